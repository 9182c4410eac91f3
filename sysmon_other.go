//go:build !linux

package main

// reexec is Linux only: elsewhere the app keeps the runtime's default.
func reexec([]string) {}
