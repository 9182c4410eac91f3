package main

import (
	"os"
	"syscall"
)

// reexec replaces the process with a fresh start of the same binary and
// arguments under env; the pid stays. It returns only if exec fails.
func reexec(env []string) {
	if exe, err := os.Executable(); err == nil {
		_ = syscall.Exec(exe, os.Args, env)
	}
}
