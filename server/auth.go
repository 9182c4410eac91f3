package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/signaling"
)

// Identity is who a connection acts as. Device names the session it was
// made with: a new connection with the same Device replaces the old one,
// connections with different Devices of one user coexist.
type Identity struct {
	User   signaling.User
	Device string
}

// Authenticator decides who a new connection is. It sees the WebSocket
// upgrade request (headers, e.g. a session token) and the hello message. An
// error refuses the connection; wrap ErrUnauthorized.
type Authenticator interface {
	Authenticate(ctx context.Context, r *http.Request, hello *signaling.Message) (Identity, error)
}

// AuthenticatorFunc adapts a function to Authenticator.
type AuthenticatorFunc func(ctx context.Context, r *http.Request, hello *signaling.Message) (Identity, error)

// Authenticate calls f.
func (f AuthenticatorFunc) Authenticate(ctx context.Context, r *http.Request, hello *signaling.Message) (Identity, error) {
	return f(ctx, r, hello)
}

// trustClaims (WithTrustedClaims, tests only): a connection is whoever its
// hello says, one device per user.
type trustClaims struct{}

func (trustClaims) Authenticate(_ context.Context, _ *http.Request, hello *signaling.Message) (Identity, error) {
	if hello.User == nil {
		return Identity{}, fmt.Errorf("%w: hello without a user", ErrUnauthorized)
	}
	u := *hello.User
	if u.Name == "" {
		u.Name = u.ID
	}
	return Identity{User: u, Device: u.ID}, nil
}

// TokenAuthenticator is the organization server's: the session token comes
// from the Authorization header, or else from hello's token
// field; a user named in hello must match it.
type TokenAuthenticator struct {
	Accounts interface {
		Authenticate(ctx context.Context, token string) (accounts.User, accounts.Session, error)
	}
}

// Authenticate implements Authenticator.
func (a TokenAuthenticator) Authenticate(ctx context.Context, r *http.Request, hello *signaling.Message) (Identity, error) {
	token := accounts.TokenFrom(r)
	if token == "" {
		token = hello.Token
	}
	u, se, err := a.Accounts.Authenticate(ctx, token)
	if errors.Is(err, accounts.ErrUnauthenticated) {
		return Identity{}, fmt.Errorf("%w: sign in first", ErrUnauthorized)
	}
	if err != nil {
		return Identity{}, err
	}
	if hello.User != nil && hello.User.ID != u.ID {
		return Identity{}, fmt.Errorf("%w: token belongs to another user", ErrUnauthorized)
	}
	return Identity{User: signaling.User{ID: u.ID, Name: u.DisplayName}, Device: se.ID}, nil
}
