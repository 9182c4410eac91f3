package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/parley-voip/parley/server/store"
)

// backupCmd copies the database with VACUUM INTO through its own read-only
// connection: SQLite in WAL mode lets it read a consistent snapshot while a
// running server keeps writing, so no admin endpoint is needed. The chat
// key file is not in the copy; back it up separately.
func backupCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, data := newFlags("backup", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{errors.New("backup needs one argument: the file to write")}
	}
	if postgresOf(fs) != "" {
		return usageError{store.ErrBackupPostgres}
	}
	db, err := store.Open(ctx, store.Config{Path: filepath.Join(*data, store.FileName), ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s (the chat key file is not included)\n", db.Path(), fs.Arg(0))
	return nil
}
