package app

import (
	"context"
	"log/slog"
)

// LocalOrg is the organization server running inside the app ("Start a
// local organization on this computer"). main.go provides it (package
// server/org's Local) through SoftphoneConfig.StartLocalOrg, as it provides
// the sound devices: app/ does not import the server.
type LocalOrg interface {
	Addr() string    // the address it listens on, host:port
	URL() string     // its signaling URL, ws://…/ws
	BaseURL() string // its HTTP API, http://…
	// OpenSession opens a session for userID without a password (the
	// person at this computer). An error wrapping fs.ErrNotExist means
	// userID has no account yet.
	OpenSession(ctx context.Context, userID string) (token string, err error)
	// SessionUser is the user id token belongs to, or an error when it is
	// not a live session.
	SessionUser(ctx context.Context, token string) (string, error)
	Shutdown(ctx context.Context) error
}

// StartLocalOrgFunc opens the local organization with its data in dir and
// serves it on addr (127.0.0.1:port; port 0 for any free one).
type StartLocalOrgFunc func(ctx context.Context, dir, addr string, log *slog.Logger) (LocalOrg, error)
