//go:build !unix

package main

import "log/slog"

// reportMemoryOnSignal needs SIGUSR1, which this OS does not have.
func reportMemoryOnSignal(*slog.Logger) {}
