//go:build !linux

package pgtest

import "syscall"

// sysProcAttr: outside Linux the tests do not run as root, so the server
// runs as the current user.
func sysProcAttr(uid, gid int) *syscall.SysProcAttr { return nil }
