package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/parley-voip/parley/server/chat"
)

// rotateKeyCmd adds a chat master key, re-encrypts every stored message
// under it and, with -prune, drops keys no message uses any more. It is
// safe while the server runs: the server reloads the key file when it meets
// an unknown key id, and keeps encrypting with its old key (still in the
// file) until restarted, which is why -prune keeps keys still in use.
func rotateKeyCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, data := newFlags("rotate-key", stderr)
	prune := fs.Bool("prune", false, "drop keys that no stored message uses after re-encryption")
	if err := parse(fs, args); err != nil {
		return err
	}
	kr, err := chat.LoadKeyring(*data, false)
	if err != nil {
		return err
	}
	k := kr.Rotate()
	if err := chat.SaveKeyring(*data, kr); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "new chat key %s\n", k.ID())
	o, err := openOrg(ctx, fs, *data, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer o.DB.Close()
	n, err := o.Chat.Reencrypt(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "re-encrypted %d messages\n", n)
	// Recordings keep their audio; only their file keys are re-wrapped,
	// so pruning cannot strand them.
	nr, err := o.Recordings.Rewrap(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "re-wrapped %d recording keys\n", nr)
	if *prune {
		kept, err := o.Chat.Prune(ctx)
		if err != nil {
			return err
		}
		if err := chat.SaveKeyring(*data, kept); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "keys kept: %v\n", kept.IDs())
	}
	return nil
}
