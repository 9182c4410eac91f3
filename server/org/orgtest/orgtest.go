// Package orgtest runs a real organization server for tests in other
// packages: data in a temporary directory, loopback, quiet, and cheap
// password hashing so sign-ins do not dominate test time.
package orgtest

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/org"
)

// CheapHash is argon2id at its minimum cost: fine for tests, never for use.
var CheapHash = accounts.HashParams{Memory: 64, Time: 1, Threads: 1}

// Start opens and starts an organization as cfg says (Dir defaults to a
// temporary directory) and shuts it down when the test ends.
func Start(t testing.TB, cfg org.Config) *org.Org {
	t.Helper()
	if cfg.Dir == "" {
		cfg.Dir = t.TempDir()
	}
	if cfg.PasswordHash == (accounts.HashParams{}) {
		cfg.PasswordHash = CheapHash
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	o, err := org.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.Server.Start(context.Background()); err != nil {
		_ = o.DB.Close()
		t.Fatal(err)
	}
	o.StartCaptions()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = o.Shutdown(ctx)
	})
	return o
}
