// Command parley-server runs the Parley organization server on its own:
// WebSocket signaling at /ws and a health check at /healthz.
//
//	parley-server -addr 127.0.0.1:7480
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/parley-voip/parley/server"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:7480", "listen address (host:port)")
	verbose := flag.Bool("v", false, "log debug messages")
	flag.Parse()

	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, server.Config{Addr: *addr, Logger: log}); err != nil {
		fmt.Fprintln(os.Stderr, "parley-server:", err)
		os.Exit(1)
	}
}

// run serves until ctx ends, then shuts down gracefully.
func run(ctx context.Context, cfg server.Config) error {
	srv, err := server.New(cfg)
	if err != nil {
		return err
	}
	if _, err := srv.Start(ctx); err != nil {
		return err
	}
	cfg.Logger.Info("parley-server ready", "url", srv.URL())
	<-ctx.Done()
	cfg.Logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
