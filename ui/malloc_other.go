//go:build !linux

package ui

// TuneMalloc does nothing here: the C heap it tunes on Linux is glibc's.
func TuneMalloc() {}
