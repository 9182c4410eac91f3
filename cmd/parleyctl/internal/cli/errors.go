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
