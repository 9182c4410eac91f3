package accounts

import (
	"errors"
	"fmt"
	"time"
)

var (
	// ErrInvalidConfig wraps every Config.Validate failure.
	ErrInvalidConfig = errors.New("accounts: invalid config")
	// ErrNotFound: no such user or session.
	ErrNotFound = errors.New("accounts: not found")
	// ErrExists: a user with this id or email already exists.
	ErrExists = errors.New("accounts: already exists")
	// ErrInvalidUser: a user field is not acceptable.
	ErrInvalidUser = errors.New("accounts: invalid user")
	// ErrWeakPassword: the password is too short or too long.
	ErrWeakPassword = errors.New("accounts: password must be 8 to 1024 bytes")
	// ErrBadCredentials: unknown user, wrong password or disabled account.
	// Sign-in does not say which, so ids cannot be probed.
	ErrBadCredentials = errors.New("accounts: wrong user or password")
	// ErrUnauthenticated: no token, or an unknown, expired or revoked one.
	ErrUnauthenticated = errors.New("accounts: not signed in")
	// ErrForbidden: signed in but not allowed (not an admin).
	ErrForbidden = errors.New("accounts: forbidden")
	// ErrBadHash: a stored password hash cannot be parsed.
	ErrBadHash = errors.New("accounts: malformed password hash")
	// ErrBusy: too many passwords are being hashed at once (the memory
	// budget is taken and the queue is full, or the wait ran out). Nothing
	// was checked and nothing counts against the sign-in throttle; retry
	// shortly (HTTP 503 with Retry-After).
	ErrBusy = errors.New("accounts: busy checking other passwords, retry shortly")
	// ErrOrgExists: the organization was already initialized.
	ErrOrgExists = errors.New("accounts: organization already initialized")
)

// ThrottledError is returned by SignIn while too many recent failures for
// the account or the address are being paid off.
type ThrottledError struct {
	RetryAfter time.Duration
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("accounts: too many failed sign-ins, retry in %s", e.RetryAfter.Round(time.Second))
}
