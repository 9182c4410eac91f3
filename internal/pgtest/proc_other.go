//go:build !linux

package pgtest

import (
	"errors"
	"syscall"
)

// sysProcAttr: outside Linux the tests do not run as root, so the server
// runs as the current user.
func sysProcAttr(uid, gid int) *syscall.SysProcAttr { return nil }

// processUID is not known here.
func processUID(pid int) (int, error) { return 0, errors.ErrUnsupported }
