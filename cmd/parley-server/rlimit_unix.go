//go:build unix

package main

import "syscall"

// raiseFileLimit sets the soft RLIMIT_NOFILE to the hard limit and returns
// the resulting limit. Every connection is a descriptor; the hard limit
// (ulimit -Hn) is the ceiling only root can move. Go's runtime already
// raises the soft limit to one below the hard limit at start-up; doing it
// here makes the figure explicit, logged, and the whole hard limit.
func raiseFileLimit() (soft, hard uint64, err error) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, 0, err
	}
	if lim.Cur < lim.Max {
		want := lim
		want.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err != nil {
			return uint64(lim.Cur), uint64(lim.Max), err
		}
		lim = want
	}
	return uint64(lim.Cur), uint64(lim.Max), nil
}
