// Command parleyctl administers a Parley organization server from the
// command line: users, groups and end-to-end encryption policies. Run
// `parleyctl --help`; the guide is docs/admin.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/parley-voip/parley/cmd/parleyctl/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "parleyctl:", err)
	}
	os.Exit(cli.ExitCode(err))
}

func run(ctx context.Context) error {
	return cli.Run(ctx, cli.Env{
		Args:   os.Args[1:],
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Getenv: os.Getenv,
	})
}
