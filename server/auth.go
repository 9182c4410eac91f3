package server

import (
	"context"
	"net/http"

	"github.com/parley-voip/parley/signaling"
)

// Authenticator decides who a new connection is. It sees the WebSocket
// upgrade request (headers, e.g. a session token) and the user the hello
// claims, and returns the user the connection acts as. An error refuses the
// connection; wrap ErrUnauthorized.
type Authenticator interface {
	Authenticate(ctx context.Context, r *http.Request, claimed signaling.User) (signaling.User, error)
}

// AuthenticatorFunc adapts a function to Authenticator.
type AuthenticatorFunc func(ctx context.Context, r *http.Request, claimed signaling.User) (signaling.User, error)

// Authenticate calls f.
func (f AuthenticatorFunc) Authenticate(ctx context.Context, r *http.Request, claimed signaling.User) (signaling.User, error) {
	return f(ctx, r, claimed)
}

// trustClaims is the walking skeleton's policy: a connection is whoever its
// hello says. Only safe where everyone who can reach the server is trusted
// (the default loopback address).
type trustClaims struct{}

func (trustClaims) Authenticate(_ context.Context, _ *http.Request, claimed signaling.User) (signaling.User, error) {
	if claimed.Name == "" {
		claimed.Name = claimed.ID
	}
	return claimed, nil
}
