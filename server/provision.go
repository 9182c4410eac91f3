package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/signaling"
)

// WithAutoProvision (after WithAccounts) also admits hellos that carry no
// token but claim a user, creating that user on first sight: the desktop
// app's "local organization on this computer", where everyone who can
// reach the loopback port is the person at the keyboard. Tokens keep
// working. Start and Serve refuse it on a non-loopback address.
func WithAutoProvision() Option {
	return func(s *Server) {
		if s.accounts == nil {
			return
		}
		s.autoProvision = true
		s.auth = provisioner{acc: s.accounts, token: TokenAuthenticator{Accounts: s.accounts}}
	}
}

type provisioner struct {
	acc   *accounts.Service
	token TokenAuthenticator
}

func (p provisioner) Authenticate(ctx context.Context, r *http.Request, hello *signaling.Message) (Identity, error) {
	if accounts.TokenFrom(r) != "" || hello.Token != "" || hello.User == nil {
		return p.token.Authenticate(ctx, r, hello)
	}
	claim := *hello.User
	if !accounts.ValidID(claim.ID) {
		return Identity{}, fmt.Errorf("%w: %q is not a valid user id", ErrUnauthorized, claim.ID)
	}
	u, err := p.acc.Store().User(ctx, claim.ID)
	if errors.Is(err, accounts.ErrNotFound) {
		u, err = p.acc.CreateUser(ctx, accounts.NewUser{ID: claim.ID, DisplayName: claim.Name, Password: randomPassword()})
		if errors.Is(err, accounts.ErrExists) { // a concurrent first hello
			u, err = p.acc.Store().User(ctx, claim.ID)
		}
	}
	switch {
	case errors.Is(err, accounts.ErrInvalidUser):
		return Identity{}, fmt.Errorf("%w: %w", ErrUnauthorized, err)
	case err != nil:
		return Identity{}, err
	case !u.Enabled:
		return Identity{}, fmt.Errorf("%w: user disabled", ErrUnauthorized)
	}
	return Identity{User: signaling.User{ID: u.ID, Name: u.DisplayName}, Device: "claim:" + u.ID}, nil
}

// randomPassword locks an auto-provisioned account against password
// sign-in until someone sets one.
func randomPassword() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
