package main

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/parley-voip/parley/internal/pgtest"
	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/org/orgtest"
	"github.com/parley-voip/parley/server/store"
)

func TestMain(m *testing.M) { orgtest.Main(m) }

// -postgres (or $PARLEY_POSTGRES) puts the organization in PostgreSQL:
// init writes there, not into the data directory, so a second node with
// another data directory finds the organization already made.
func TestInitOnPostgres(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx := context.Background()
	args := []string{"init", "-data", t.TempDir(), "-postgres", dsn, "-org", "Example", "-admin", "root"}
	if err := dispatch(ctx, args, strings.NewReader("a good password\n"), io.Discard, io.Discard); err != nil {
		t.Fatalf("init: %v", err)
	}
	t.Setenv(EnvPostgres, dsn)
	again := []string{"init", "-data", t.TempDir(), "-org", "Other", "-admin", "root2"}
	if err := dispatch(ctx, again, strings.NewReader("a good password\n"), io.Discard, io.Discard); !errors.Is(err, accounts.ErrOrgExists) {
		t.Fatalf("second node's init = %v, want ErrOrgExists", err)
	}
	db, err := store.Open(ctx, store.Config{Postgres: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	name, err := accounts.NewSQLStore(db.SQL()).OrgName(ctx)
	if err != nil || name != "Example" {
		t.Fatalf("organization in PostgreSQL = %q, %v", name, err)
	}
	err = dispatch(ctx, []string{"backup", "-data", t.TempDir(), t.TempDir() + "/b.db"}, nil, io.Discard, io.Discard)
	if !errors.Is(err, store.ErrBackupPostgres) {
		t.Fatalf("backup of a PostgreSQL organization = %v, want ErrBackupPostgres", err)
	}
	err = dispatch(ctx, []string{"init", "-data", t.TempDir(), "-postgres", "postgres://[bad", "-org", "X", "-admin", "a"},
		strings.NewReader("a good password\n"), io.Discard, io.Discard)
	if !errors.Is(err, store.ErrInvalidConfig) || strings.Contains(err.Error(), "[bad") {
		t.Fatalf("bad -postgres = %v, want ErrInvalidConfig without the string", err)
	}
}
