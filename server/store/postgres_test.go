package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/parley-voip/parley/internal/pgtest"
	"github.com/parley-voip/parley/server/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// notes is a component with both dialects' steps; the PostgreSQL ones use
// its own types (BIGINT identity, BYTEA).
func notes(t *testing.T, steps int) store.MigrationSet {
	t.Helper()
	files := fstest.MapFS{
		"0001_notes.sql":          {Data: []byte("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);")},
		"postgres/0001_notes.sql": {Data: []byte("CREATE TABLE notes (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body TEXT NOT NULL);")},
	}
	if steps > 1 {
		files["0002_blob.sql"] = &fstest.MapFile{Data: []byte("ALTER TABLE notes ADD COLUMN raw BLOB;")}
		files["postgres/0002_blob.sql"] = &fstest.MapFile{Data: []byte("ALTER TABLE notes ADD COLUMN raw BYTEA;")}
	}
	set, err := store.LoadMigrations("notes", files)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Migrations) != steps || len(set.Postgres) != steps {
		t.Fatalf("loaded %d SQLite and %d PostgreSQL steps, want %d", len(set.Migrations), len(set.Postgres), steps)
	}
	return set
}

func TestPostgresMigratesOnceAndInOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	d, err := store.Open(ctx, store.Config{Postgres: dsn, Migrations: []store.MigrationSet{notes(t, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Dialect() != store.Postgres || store.DialectOf(d.SQL()) != store.Postgres {
		t.Fatalf("dialect %v / %v, want postgres", d.Dialect(), store.DialectOf(d.SQL()))
	}
	if _, err := d.SQL().Exec(d.Dialect().Rebind(`INSERT INTO notes (body) VALUES (?)`), "kept"); err != nil {
		t.Fatal(err)
	}
	d.Close()

	d, err = store.Open(ctx, store.Config{Postgres: dsn, Migrations: []store.MigrationSet{notes(t, 2)}})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if v, err := d.Version(ctx, "notes"); v != 2 || err != nil {
		t.Fatalf("version = %d, %v; want 2", v, err)
	}
	var body string
	var raw []byte
	if err := d.SQL().QueryRow(`SELECT body, raw FROM notes`).Scan(&body, &raw); err != nil || body != "kept" || raw != nil {
		t.Fatalf("row = %q, %v, %v", body, raw, err)
	}
	_, err = store.Open(ctx, store.Config{Postgres: dsn, Migrations: []store.MigrationSet{notes(t, 1)}})
	if !errors.Is(err, store.ErrSchemaTooNew) {
		t.Fatalf("older binary: err = %v, want ErrSchemaTooNew", err)
	}
	if err := d.Backup(ctx, t.TempDir()+"/x.db"); !errors.Is(err, store.ErrBackupPostgres) {
		t.Fatalf("Backup = %v, want ErrBackupPostgres", err)
	}
}

// Nodes starting together on one new database: the advisory lock makes
// them migrate one after the other, so every Open succeeds and each step
// runs once.
func TestPostgresConcurrentOpens(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	set := notes(t, 2)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			d, err := store.Open(context.Background(), store.Config{Postgres: dsn, Migrations: []store.MigrationSet{set}})
			if err == nil {
				d.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("node %d: %v", i, err)
		}
	}
	check, err := store.Open(context.Background(), store.Config{Postgres: dsn, Migrations: []store.MigrationSet{}})
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	var n int
	if err := check.SQL().QueryRow(`SELECT COUNT(*) FROM schema_migrations WHERE component = 'notes'`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("schema_migrations has %d notes rows (%v), want 2", n, err)
	}
}

// A component without PostgreSQL steps (or with fewer than SQLite ones)
// cannot open on PostgreSQL: its tables would be missing.
func TestPostgresRefusesMissingSteps(t *testing.T) {
	t.Parallel()
	sqliteOnly, err := store.LoadMigrations("legacy", fstest.MapFS{"0001_x.sql": {Data: []byte("CREATE TABLE x (y INTEGER);")}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = store.Open(context.Background(), store.Config{Postgres: pgtest.DSN(t), Migrations: []store.MigrationSet{sqliteOnly}})
	if !errors.Is(err, store.ErrBadMigration) {
		t.Fatalf("err = %v, want ErrBadMigration", err)
	}
}

func TestPostgresUniqueViolation(t *testing.T) {
	t.Parallel()
	for _, d := range []*store.DB{pgtest.Open(t, pgtest.WithMigrations()), openSQLite(t)} {
		if _, err := d.SQL().Exec(`CREATE TABLE u (k TEXT PRIMARY KEY, v TEXT UNIQUE)`); err != nil {
			t.Fatal(err)
		}
		ins := d.Dialect().Rebind(`INSERT INTO u (k, v) VALUES (?, ?)`)
		if _, err := d.SQL().Exec(ins, "a", "1"); err != nil {
			t.Fatal(err)
		}
		for _, row := range [][2]string{{"a", "2"}, {"b", "1"}} {
			_, err := d.SQL().Exec(ins, row[0], row[1])
			if !store.IsUniqueViolation(err) {
				t.Errorf("%v: insert %v: err = %v, want a unique violation", d.Dialect(), row, err)
			}
		}
		if _, err := d.SQL().Exec(`INSERT INTO nowhere VALUES (1)`); err == nil || store.IsUniqueViolation(err) {
			t.Errorf("%v: missing table reported as unique violation: %v", d.Dialect(), err)
		}
	}
}

// A failing step leaves PostgreSQL at the last good version, its DDL
// rolled back with it.
func TestPostgresFailedMigrationRollsBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	set, err := store.LoadMigrations("broken", fstest.MapFS{
		"0001_ok.sql":           {Data: []byte("CREATE TABLE a (x INTEGER);")},
		"0002_bad.sql":          {Data: []byte("CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1);")},
		"postgres/0001_ok.sql":  {Data: []byte("CREATE TABLE a (x INTEGER);")},
		"postgres/0002_bad.sql": {Data: []byte("CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1);")},
	})
	if err != nil {
		t.Fatal(err)
	}
	dsn := pgtest.DSN(t)
	if _, err := store.Open(ctx, store.Config{Postgres: dsn, Migrations: []store.MigrationSet{set}}); err == nil {
		t.Fatal("Open applied a broken migration")
	}
	d, err := store.Open(ctx, store.Config{Postgres: dsn, Migrations: []store.MigrationSet{}})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if v, _ := d.Version(ctx, "broken"); v != 1 {
		t.Fatalf("version = %d, want 1", v)
	}
	var b, a *string
	if err := d.SQL().QueryRow(`SELECT to_regclass('b')::text, to_regclass('a')::text`).Scan(&b, &a); err != nil || b != nil || a == nil {
		t.Fatalf("after the failed step: table b %v, a %v (%v); want only a", b, a, err)
	}
}

func openSQLite(t *testing.T) *store.DB {
	t.Helper()
	d, err := store.Open(context.Background(), store.Config{Path: t.TempDir() + "/" + store.FileName, Migrations: []store.MigrationSet{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}
