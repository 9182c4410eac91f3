package chat_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/parley-voip/parley/internal/pgtest"
	"github.com/parley-voip/parley/server/chat/chattest"
	"github.com/parley-voip/parley/server/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestService(t *testing.T) {
	t.Parallel()
	t.Run("SQLite", func(t *testing.T) {
		t.Parallel()
		chattest.TestService(t, func(t *testing.T) *sql.DB {
			db, err := store.Open(context.Background(), store.Config{Path: filepath.Join(t.TempDir(), store.FileName)})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db.SQL()
		})
	})
	t.Run("Postgres", func(t *testing.T) {
		t.Parallel()
		chattest.TestService(t, func(t *testing.T) *sql.DB { return pgtest.Open(t).SQL() })
	})
}
