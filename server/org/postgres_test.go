package org_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-voip/parley/internal/pgtest"
	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/chat"
	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/server/org/orgtest"
	"github.com/parley-voip/parley/server/store"
)

func TestMain(m *testing.M) { orgtest.Main(m) }

// Every component the organization registers has its PostgreSQL steps,
// as many as its SQLite ones.
func TestEveryComponentHasPostgresMigrations(t *testing.T) {
	sets := store.Registered()
	if len(sets) == 0 {
		t.Fatal("no components registered")
	}
	for _, set := range sets {
		if len(set.Postgres) != len(set.Migrations) {
			t.Errorf("%s: %d SQLite migrations, %d PostgreSQL", set.Component, len(set.Migrations), len(set.Postgres))
		}
	}
}

func TestConfigPostgres(t *testing.T) {
	t.Parallel()
	err := org.Config{Dir: t.TempDir(), Postgres: "postgres://u:secret@[::1"}.Validate()
	if !errors.Is(err, org.ErrInvalidConfig) || !errors.Is(err, store.ErrInvalidConfig) {
		t.Fatalf("bad DSN: %v, want ErrInvalidConfig", err)
	}
	if strings.Contains(err.Error(), "secret") {
		t.Fatalf("the error shows the password: %v", err)
	}
	if err := (org.Config{Dir: t.TempDir(), Postgres: "host=/tmp dbname=x"}).Validate(); err != nil {
		t.Fatalf("key=value DSN: %v", err)
	}
}

// Two nodes, each with its own data directory, on one PostgreSQL database
// and one chat key: a user made on one signs in on the other, and a
// message stored through one reads back through the other. Nothing goes
// into either directory's SQLite file.
func TestTwoNodesShareOnePostgres(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	dir1, dir2 := t.TempDir(), t.TempDir()
	keys, err := chat.LoadKeyring(dir1, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := chat.SaveKeyring(dir2, keys); err != nil {
		t.Fatal(err)
	}
	n1 := orgtest.Start(t, org.Config{Dir: dir1, Postgres: dsn})
	n2 := orgtest.Start(t, org.Config{Dir: dir2, Postgres: dsn})
	if _, err := n1.Accounts.InitOrg(ctx, "Example", accounts.NewUser{ID: "root", Password: "root-password"}); err != nil {
		t.Fatal(err)
	}
	if _, err := n2.Accounts.SignIn(ctx, "root", "root-password", "192.0.2.1", "test"); err != nil {
		t.Fatalf("sign-in on node 2 of a user made on node 1: %v", err)
	}
	sent, err := n1.Chat.PostOnce(ctx, "root", "m-1", "bob", "", "across nodes")
	if err != nil {
		t.Fatal(err)
	}
	again, err := n2.Chat.PostOnce(ctx, "root", "m-1", "bob", "", "across nodes")
	if err != nil || again != sent {
		t.Fatalf("resend through node 2 = %+v, %v; want the original %+v", again, err, sent)
	}
	hist, err := n2.Chat.History(ctx, "bob", "root", 0, 10)
	if err != nil || len(hist) != 1 || hist[0] != sent {
		t.Fatalf("history on node 2 = %+v, %v", hist, err)
	}
	for _, dir := range []string{dir1, dir2} {
		if _, err := os.Stat(filepath.Join(dir, store.FileName)); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("%s has a SQLite database (%v)", dir, err)
		}
	}
}
