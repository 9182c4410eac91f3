package pgtest

import "syscall"

// sysProcAttr runs a child as uid:gid (when uid >= 0), and has the kernel
// stop the server with the test binary should that die without Main's
// clean-up (SIGQUIT: PostgreSQL's immediate shutdown).
func sysProcAttr(uid, gid int) *syscall.SysProcAttr {
	a := &syscall.SysProcAttr{Pdeathsig: syscall.SIGQUIT}
	if uid >= 0 {
		a.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	return a
}
