package accounts_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/parley-voip/parley/internal/pgtest"
	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/accounts/accountstest"
	"github.com/parley-voip/parley/server/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestSQLStore(t *testing.T) {
	t.Parallel()
	for _, db := range []struct {
		name string
		open func(*testing.T) *store.DB
	}{
		{"SQLite", func(t *testing.T) *store.DB {
			db, err := store.Open(context.Background(), store.Config{Path: filepath.Join(t.TempDir(), store.FileName)})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}},
		{"Postgres", func(t *testing.T) *store.DB { return pgtest.Open(t) }},
	} {
		t.Run(db.name, func(t *testing.T) {
			t.Parallel()
			accountstest.TestStore(t, func(t *testing.T) accounts.Store { return accounts.NewSQLStore(db.open(t).SQL()) })
		})
	}
}
