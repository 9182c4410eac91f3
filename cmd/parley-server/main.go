// Command parley-server runs the Parley organization server: HTTPS and WSS
// (signaling at /ws, the JSON API at /api/…, health at /healthz), with
// accounts, presence and chat stored in SQLite in its data directory or in
// PostgreSQL (-postgres).
//
//	parley-server init -org "Example" -admin alice     first run: organization and first admin
//	parley-server [serve] -addr :7443                   serve (self-signed TLS unless -tls-cert)
//	parley-server backup FILE                           consistent copy of the live database
//	parley-server rotate-key [-prune]                   new chat master key, re-encrypt history
//
// Every command takes -data DIR (default: the OS user config directory's
// parley-server folder, or $PARLEY_DATA) and -postgres DSN (default
// $PARLEY_POSTGRES; empty: the SQLite database in DIR). See docs/server.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := dispatch(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "parley-server:", err)
		var ue usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError marks command-line mistakes (exit status 2).
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

// dispatch runs the subcommand named by args[0] (serve when absent or a
// flag).
func dispatch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serveCmd(ctx, args, stdout, stderr)
	case "init":
		return initCmd(ctx, args, stdin, stdout, stderr)
	case "backup":
		return backupCmd(ctx, args, stdout, stderr)
	case "rotate-key":
		return rotateKeyCmd(ctx, args, stdout, stderr)
	case "help":
		fmt.Fprintln(stdout, "usage: parley-server [serve|init|backup|rotate-key] [flags]; -h on each for flags")
		return nil
	}
	return usageError{fmt.Errorf("unknown command %q (serve, init, backup, rotate-key)", cmd)}
}

// newFlags makes a FlagSet that reports errors instead of exiting.
func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("parley-server "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", defaultDataDir(), "data directory (database, chat keys, TLS certificate)")
	fs.String(postgresFlag, os.Getenv(EnvPostgres),
		"PostgreSQL connection string or URL holding the database instead of DIR's SQLite file (default $"+EnvPostgres+"; prefer the variable or a password file to a password on the command line)")
	return fs, data
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	return nil
}
