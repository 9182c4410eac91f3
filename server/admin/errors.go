package admin

import (
	"errors"
	"net/http"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/httpx"
	"github.com/parley-voip/parley/server/policy"
)

// Error codes of the admin API, beyond the HTTP status.
const (
	codeUnauthenticated = "unauthorized"
	codeForbidden       = "forbidden"
	codeBadRequest      = "bad-request"
	codeNotFound        = "not-found"
	codeConflict        = "conflict"
	codeThrottled       = "throttled"
	codeBusy            = "busy"
	codeInternal        = "internal"
)

// status maps a domain error to an HTTP status and API code. Unknown errors
// are internal: their text is logged, not sent.
func status(err error) (int, string) {
	var throttled *accounts.ThrottledError
	switch {
	case errors.As(err, &throttled):
		return http.StatusTooManyRequests, codeThrottled
	case errors.Is(err, accounts.ErrBusy):
		return http.StatusServiceUnavailable, codeBusy
	case errors.Is(err, accounts.ErrUnauthenticated), errors.Is(err, accounts.ErrBadCredentials):
		return http.StatusUnauthorized, codeUnauthenticated
	case errors.Is(err, accounts.ErrForbidden):
		return http.StatusForbidden, codeForbidden
	case errors.Is(err, httpx.ErrBadRequest), errors.Is(err, policy.ErrInvalid),
		errors.Is(err, accounts.ErrInvalidUser), errors.Is(err, accounts.ErrWeakPassword):
		return http.StatusBadRequest, codeBadRequest
	case errors.Is(err, policy.ErrNotFound), errors.Is(err, accounts.ErrNotFound):
		return http.StatusNotFound, codeNotFound
	case errors.Is(err, policy.ErrExists), errors.Is(err, accounts.ErrExists),
		errors.Is(err, policy.ErrGlobal), errors.Is(err, policy.ErrInUse):
		return http.StatusConflict, codeConflict
	}
	return http.StatusInternalServerError, codeInternal
}

// message is the text an admin sees for err; internal errors stay generic.
func message(err error) string {
	if st, _ := status(err); st == http.StatusInternalServerError {
		return "internal error"
	}
	return err.Error()
}
