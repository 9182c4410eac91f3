package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/term"
)

// EnvAdminPassword gives init the first admin's password in scripts.
const EnvAdminPassword = "PARLEY_ADMIN_PASSWORD"

func initCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, data := newFlags("init", stderr)
	orgName := fs.String("org", "", "organization name (required)")
	admin := fs.String("admin", "", "first admin's user id (required)")
	name := fs.String("admin-name", "", "first admin's display name")
	email := fs.String("admin-email", "", "first admin's email")
	pwFile := fs.String("admin-password-file", "", "read the password from this file (else $"+EnvAdminPassword+", else a prompt)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *orgName == "" || *admin == "" {
		return usageError{errors.New("init needs -org and -admin")}
	}
	pw, err := adminPassword(*pwFile, stdin, stderr)
	if err != nil {
		return err
	}
	o, err := openOrg(ctx, fs, *data, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer o.DB.Close()
	u, err := o.Accounts.InitOrg(ctx, *orgName, newAdmin(*admin, *name, *email, pw))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "organization %q created in %s; admin %s can sign in\n", *orgName, *data, u.ID)
	return nil
}

func adminPassword(file string, stdin io.Reader, stderr io.Writer) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", err
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	if pw := os.Getenv(EnvAdminPassword); pw != "" {
		return pw, nil
	}
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "Password for the first admin: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stderr, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the passwords differ")
		}
		return string(a), nil
	}
	// Piped: the first line.
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}
