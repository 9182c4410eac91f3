package cli

import (
	"errors"
	"fmt"
)

// ErrNotLoggedIn: no saved session; run `parleyctl login`.
var ErrNotLoggedIn = errors.New("not logged in: run `parleyctl login --server URL --user ID` first")

// UsageError is a mistake on the command line; the exit code is 2.
type UsageError struct {
	Msg string
}

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, a ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, a...)}
}

// APIError is a refusal from the server.
type APIError struct {
	Status  int    // HTTP status
	Code    string // API error code, e.g. "not-found"
	Message string
}

func (e *APIError) Error() string {
	switch e.Status {
	case 401:
		return "not signed in or session expired: run `parleyctl login` (" + e.Message + ")"
	case 403:
		return "refused: " + e.Message + " (this command needs an administrator)"
	}
	if e.Message == "" {
		return fmt.Sprintf("server answered %d %s", e.Status, e.Code)
	}
	return fmt.Sprintf("%s (%s)", e.Message, e.Code)
}

// ExitCode maps Run's error to the process exit code.
func ExitCode(err error) int {
	var u *UsageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &u):
		return 2
	}
	return 1
}
