package main

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/parley-voip/parley/server"
)

func TestRunShutsDownWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := run(ctx, server.Config{Logger: slog.New(slog.DiscardHandler)}); err != nil {
		t.Fatalf("run = %v, want nil after a clean shutdown", err)
	}
}

func TestRunRejectsBadConfig(t *testing.T) {
	err := run(context.Background(), server.Config{SendQueue: -1, Logger: slog.New(slog.DiscardHandler)})
	if !errors.Is(err, server.ErrInvalidConfig) {
		t.Fatalf("run = %v, want ErrInvalidConfig", err)
	}
	if err := run(context.Background(), server.Config{Addr: "256.0.0.1:bad", Logger: slog.New(slog.DiscardHandler)}); err == nil {
		t.Fatal("run with an unusable address succeeded")
	}
}
