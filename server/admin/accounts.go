package admin

import (
	"context"

	"github.com/parley-voip/parley/server/accounts"
)

// Accounts is what the admin surfaces need from the accounts service
// (*accounts.Service): resolving session tokens, signing in and out for the
// portal, and managing users.
type Accounts interface {
	Authenticate(ctx context.Context, token string) (accounts.User, accounts.Session, error)
	SignIn(ctx context.Context, login, password, addr, userAgent string) (accounts.SignedIn, error)
	SignOut(ctx context.Context, token string) error
	CreateUser(ctx context.Context, n accounts.NewUser) (accounts.User, error)
	SetEnabled(ctx context.Context, userID string, enabled bool) error
	SetPassword(ctx context.Context, userID, password string) error
	Store() accounts.Store
}
