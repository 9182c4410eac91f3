package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-voip/parley/server"
)

func TestRunShutsDownWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	if err := run(ctx, server.Config{Logger: slog.New(slog.DiscardHandler)}, &out, server.WithTrustedClaims()); err != nil {
		t.Fatalf("run = %v, want nil after a clean shutdown", err)
	}
	if !strings.HasPrefix(out.String(), "listening http://127.0.0.1:") {
		t.Fatalf("stdout %q does not announce the address", out.String())
	}
}

func TestRunRejectsBadConfig(t *testing.T) {
	err := run(context.Background(), server.Config{SendQueue: -1, Logger: slog.New(slog.DiscardHandler)}, io.Discard, server.WithTrustedClaims())
	if !errors.Is(err, server.ErrInvalidConfig) {
		t.Fatalf("run = %v, want ErrInvalidConfig", err)
	}
	if err := run(context.Background(), server.Config{Addr: "256.0.0.1:bad", Logger: slog.New(slog.DiscardHandler)}, io.Discard, server.WithTrustedClaims()); err == nil {
		t.Fatal("run with an unusable address succeeded")
	}
	// Plain HTTP where others can connect is refused with a clear error.
	err = run(context.Background(), server.Config{Addr: "0.0.0.0:0", Logger: slog.New(slog.DiscardHandler)}, io.Discard, server.WithTrustedClaims())
	if !errors.Is(err, server.ErrPlainNotLoopback) {
		t.Fatalf("run on 0.0.0.0 without TLS = %v, want ErrPlainNotLoopback", err)
	}
}

func TestChooseCert(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	dir := t.TempDir()
	tests := []struct {
		mode, addr, cert, key string
		wantTLS, wantUsage    bool
	}{
		{mode: "auto", addr: "127.0.0.1:0"},
		{mode: "auto", addr: "0.0.0.0:7443", wantTLS: true},
		{mode: "self-signed", addr: "127.0.0.1:0", wantTLS: true},
		{mode: "off", addr: "0.0.0.0:0"}, // refused later by the server
		{mode: "auto", addr: "127.0.0.1:0", cert: "x.pem", wantUsage: true},
		{mode: "bogus", addr: "127.0.0.1:0", wantUsage: true},
		{mode: "auto", addr: "no-port", wantUsage: true},
	}
	for _, tc := range tests {
		c, err := chooseCert(tc.mode, tc.addr, tc.cert, tc.key, dir, log)
		var ue usageError
		if tc.wantUsage != errors.As(err, &ue) {
			t.Errorf("%+v: err = %v", tc, err)
			continue
		}
		if !tc.wantUsage && (err != nil || (c != nil) != tc.wantTLS) {
			t.Errorf("%+v: cert=%v err=%v", tc, c != nil, err)
		}
	}
}

func TestDispatchUsage(t *testing.T) {
	var ue usageError
	for _, args := range [][]string{{"frobnicate"}, {"init"}, {"backup"}, {"serve", "-nope"}} {
		err := dispatch(context.Background(), append(args, "-data", t.TempDir()), strings.NewReader(""), io.Discard, io.Discard)
		if !errors.As(err, &ue) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}

func TestInitOnceFromPipe(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	args := []string{"init", "-data", dir, "-org", "Example", "-admin", "root"}
	if err := dispatch(context.Background(), args, strings.NewReader("a good password\n"), &out, io.Discard); err != nil {
		t.Fatalf("init: %v", err)
	}
	if err := dispatch(context.Background(), args, strings.NewReader("a good password\n"), io.Discard, io.Discard); err == nil {
		t.Fatal("second init succeeded")
	}
	pw := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pw, []byte("short\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := dispatch(context.Background(), []string{"init", "-data", t.TempDir(), "-org", "X", "-admin", "a", "-admin-password-file", pw},
		strings.NewReader(""), io.Discard, io.Discard)
	if err == nil {
		t.Fatal("init accepted a weak password")
	}
}
