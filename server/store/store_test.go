package store

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/fstest"
)

func sub(t *testing.T, dir string) fs.FS {
	t.Helper()
	f, err := fs.Sub(os.DirFS("testdata"), dir)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func openTest(t *testing.T, path string, sets ...MigrationSet) *DB {
	t.Helper()
	if sets == nil {
		sets = []MigrationSet{}
	}
	d, err := Open(context.Background(), Config{Path: path, Migrations: sets})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestLoadMigrations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		dir     string
		wantErr bool
		want    []int
	}{
		{dir: "good", want: []int{1, 2}},
		{dir: "gap", wantErr: true},
		{dir: "badname", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.dir, func(t *testing.T) {
			t.Parallel()
			set, err := LoadMigrations("notes", sub(t, tc.dir))
			if tc.wantErr {
				if !errors.Is(err, ErrBadMigration) {
					t.Fatalf("err = %v, want ErrBadMigration", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, m := range set.Migrations {
				got = append(got, m.Version)
			}
			if len(got) != len(tc.want) || got[0] != 1 || got[1] != 2 {
				t.Fatalf("versions = %v, want %v", got, tc.want)
			}
		})
	}
	if _, err := LoadMigrations("Bad Name", sub(t, "good")); !errors.Is(err, ErrBadMigration) {
		t.Fatalf("bad component name: err = %v", err)
	}
	if _, err := LoadMigrations("empty", fstest.MapFS{}); !errors.Is(err, ErrBadMigration) {
		t.Fatalf("empty set: err = %v", err)
	}
}

func TestOpenMigratesOnceAndInOrder(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "data", FileName)
	first, err := LoadMigrations("notes", fstest.MapFS{"0001_notes.sql": {Data: []byte("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);")}})
	if err != nil {
		t.Fatal(err)
	}
	d := openTest(t, path, first)
	if v, _ := d.Version(context.Background(), "notes"); v != 1 {
		t.Fatalf("version = %d, want 1", v)
	}
	if _, err := d.SQL().Exec(`INSERT INTO notes (body) VALUES ('kept')`); err != nil {
		t.Fatal(err)
	}
	d.Close()

	// Reopening with a longer set applies only the new step; re-running
	// 0001 would fail because the table exists.
	full, err := LoadMigrations("notes", sub(t, "good"))
	if err != nil {
		t.Fatal(err)
	}
	d = openTest(t, path, full)
	if v, _ := d.Version(context.Background(), "notes"); v != 2 {
		t.Fatalf("version = %d, want 2", v)
	}
	var body, author string
	if err := d.SQL().QueryRow(`SELECT body, author FROM notes`).Scan(&body, &author); err != nil {
		t.Fatal(err)
	}
	if body != "kept" || author != "" {
		t.Fatalf("row = %q,%q", body, author)
	}
	var mode string
	if err := d.SQL().QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v; want wal", mode, err)
	}
	d.Close()

	// A binary that knows fewer migrations refuses a newer database.
	_, err = Open(context.Background(), Config{Path: path, Migrations: []MigrationSet{first}})
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("older binary: err = %v, want ErrSchemaTooNew", err)
	}
}

func TestFailedMigrationRollsBack(t *testing.T) {
	t.Parallel()
	set, err := LoadMigrations("broken", fstest.MapFS{
		"0001_ok.sql":  {Data: []byte("CREATE TABLE a (x INTEGER);")},
		"0002_bad.sql": {Data: []byte("CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1);")},
	})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), FileName)
	if _, err := Open(context.Background(), Config{Path: path, Migrations: []MigrationSet{set}}); err == nil {
		t.Fatal("Open applied a broken migration")
	}
	d := openTest(t, path)
	if v, _ := d.Version(context.Background(), "broken"); v != 1 {
		t.Fatalf("version = %d, want 1", v)
	}
	var n int
	if err := d.SQL().QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'b'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("table b exists after a failed migration (n=%d, err=%v)", n, err)
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	for _, c := range []Config{{}, {Path: "x", BusyTimeout: -1}, {Path: "x", Postgres: "host=/tmp"}, {Postgres: "host=/tmp", MaxConns: -1}} {
		if _, err := Open(context.Background(), c); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("Open(%+v) = %v, want ErrInvalidConfig", c, err)
		}
	}
}

func TestRegisterRejectsDuplicates(t *testing.T) {
	// Not parallel: touches the package registry.
	fsys := fstest.MapFS{"0001_x.sql": {Data: []byte("SELECT 1;")}}
	Register("test_dup", fsys)
	defer func() {
		if recover() == nil {
			t.Fatal("second Register did not panic")
		}
		registry.mu.Lock()
		registry.sets = registry.sets[:len(registry.sets)-1]
		registry.mu.Unlock()
	}()
	Register("test_dup", fsys)
}

func TestBackupWhileWriting(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	set, err := LoadMigrations("notes", sub(t, "good"))
	if err != nil {
		t.Fatal(err)
	}
	d := openTest(t, filepath.Join(dir, FileName), set)
	ctx := context.Background()
	const before = 200
	for i := range before {
		if _, err := d.SQL().Exec(`INSERT INTO notes (body) VALUES (?)`, i); err != nil {
			t.Fatal(err)
		}
	}
	// A second process would open read-only; do the same here.
	ro, err := Open(ctx, Config{Path: d.Path(), ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			_ = d.Tx(ctx, func(tx *sql.Tx) error {
				_, err := tx.Exec(`INSERT INTO notes (body) VALUES ('during')`)
				return err
			})
		}
	})
	out := filepath.Join(dir, "backup.db")
	err = ro.Backup(ctx, out)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if err := ro.Backup(ctx, out); !errors.Is(err, ErrBackupExists) {
		t.Fatalf("second Backup: %v, want ErrBackupExists", err)
	}
	b := openTest(t, out, set)
	var n int
	var check string
	if err := b.SQL().QueryRow(`SELECT COUNT(*) FROM notes`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n < before {
		t.Fatalf("backup has %d rows, want at least %d", n, before)
	}
	if err := b.SQL().QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
}

func TestRebind(t *testing.T) {
	t.Parallel()
	q := `SELECT a FROM t WHERE b = ? AND c LIKE '%?%' ESCAPE '\' AND "d?" IN (?, ?)`
	if got := SQLite.Rebind(q); got != q {
		t.Fatalf("SQLite rebind changed the query: %s", got)
	}
	want := `SELECT a FROM t WHERE b = $1 AND c LIKE '%?%' ESCAPE '\' AND "d?" IN ($2, $3)`
	if got := Postgres.Rebind(q); got != want {
		t.Fatalf("Postgres rebind =\n%s\nwant\n%s", got, want)
	}
}
