// Package storetest opens the server's SQLite database for tests of the
// packages that keep tables in it: a fresh file in a temporary directory,
// every registered migration applied, closed when the test ends.
package storetest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/parley-voip/parley/server/store"
)

// Open returns a fresh database with every registered component's
// migrations applied (those of the packages the test binary links).
func Open(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), store.Config{Path: filepath.Join(t.TempDir(), store.FileName)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
