package org

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"github.com/parley-voip/parley/server"
	"github.com/parley-voip/parley/server/accounts"
)

// Local is a local organization as the desktop app runs it ("Start a
// local organization on this computer"): the full server on loopback with
// Config.Local, its data in the app's folder. It has the methods the app's
// LocalOrg interface asks for; main.go hands it in, so the app never
// imports the server.
type Local struct{ *Org }

// StartLocal opens the local organization in dir and serves it on addr
// (127.0.0.1:port, port 0 for any).
func StartLocal(ctx context.Context, dir, addr string, log *slog.Logger) (*Local, error) {
	o, err := Open(ctx, Config{Dir: dir, Server: server.Config{Addr: addr}, Local: true, Logger: log})
	if err != nil {
		return nil, err
	}
	if _, err := o.Server.Start(ctx); err != nil {
		sctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		return nil, errors.Join(err, o.Shutdown(sctx))
	}
	o.StartCaptions()
	return &Local{o}, nil
}

// Addr is the address the server listens on, host:port.
func (l *Local) Addr() string { return l.Server.Addr() }

// URL is the signaling URL, ws://…/ws.
func (l *Local) URL() string { return l.Server.URL() }

// BaseURL is the HTTP API's base, http://….
func (l *Local) BaseURL() string { return l.Server.BaseURL() }

// OpenSession opens a session for userID without a password: the person
// at this computer. An error wrapping fs.ErrNotExist means userID has no
// account yet (the server provisions people when they first connect).
func (l *Local) OpenSession(ctx context.Context, userID string) (string, error) {
	in, err := l.Accounts.OpenSession(ctx, userID, "127.0.0.1", "parley")
	if errors.Is(err, accounts.ErrNotFound) {
		return "", fmt.Errorf("%w: %w", fs.ErrNotExist, err)
	}
	if err != nil {
		return "", err
	}
	return in.Token, nil
}

// SessionUser is the user id token belongs to, or an error when it is not
// a live session.
func (l *Local) SessionUser(ctx context.Context, token string) (string, error) {
	u, _, err := l.Accounts.Authenticate(ctx, token)
	if err != nil {
		return "", err
	}
	return u.ID, nil
}
