package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// notesSet is one table and no index, so each insert is one transaction
// that usually writes one page: a WAL frame per acknowledged row.
func notesSet(t testing.TB) MigrationSet {
	t.Helper()
	set, err := LoadMigrations("notes", fstest.MapFS{"0001_notes.sql": {Data: []byte("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);")}})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// crashedDB writes rows notes, one transaction each, into a fresh database
// whose schema is checkpointed, and returns the database and write-ahead
// log as a kill -9 leaves them: copied while the connection is open, so
// nothing is checkpointed and every row is only in the WAL.
func crashedDB(t testing.TB, rows int, opts ...crashOption) (dbFile, walFile []byte) {
	t.Helper()
	var o crashOptions
	for _, opt := range opts {
		opt(&o)
	}
	path := filepath.Join(t.TempDir(), FileName)
	d, err := Open(context.Background(), Config{Path: path, Migrations: []MigrationSet{notesSet(t)}})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	db := d.SQL()
	db.SetMaxOpenConns(1) // one connection: the checkpoint below has no reader in its way
	if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	for _, n := range o.generations {
		for i := range n {
			if _, err := db.Exec(`INSERT INTO notes (body) VALUES (?)`, strings.Repeat("b", 40)+string(rune('a'+i%26))); err != nil {
				t.Fatal(err)
			}
		}
		// A full checkpoint: the next write restarts the log from its
		// start with new salts, over the old frames.
		if _, err := db.Exec(`PRAGMA wal_checkpoint(RESTART)`); err != nil {
			t.Fatal(err)
		}
	}
	for i := range rows {
		if _, err := db.Exec(`INSERT INTO notes (body) VALUES (?)`, "acknowledged "+string(rune('a'+i%26))); err != nil {
			t.Fatal(err)
		}
	}
	if dbFile, err = os.ReadFile(path); err != nil {
		t.Fatal(err)
	}
	if walFile, err = os.ReadFile(path + "-wal"); err != nil {
		t.Fatal(err)
	}
	return dbFile, walFile
}

type crashOptions struct{ generations []int }

type crashOption func(*crashOptions)

// withCheckpointedRows writes each count of rows and checkpoints them
// before the rows that stay in the WAL, so the log holds stale frames of
// older generations behind the live ones.
func withCheckpointedRows(counts ...int) crashOption {
	return func(o *crashOptions) { o.generations = counts }
}

// place writes the files into a new data directory and returns the
// database path.
func place(t testing.TB, dbFile, walFile []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, dbFile, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+"-wal", walFile, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// countRows is what SQLite itself shows of notes, through a read-only
// connection that neither checks nor checkpoints.
func countRows(t testing.TB, path string) (int, error) {
	t.Helper()
	d, err := Open(context.Background(), Config{Path: path, ReadOnly: true})
	if err != nil {
		return 0, err
	}
	defer d.Close()
	var n int
	err = d.SQL().QueryRow(`SELECT COUNT(*) FROM notes`).Scan(&n)
	return n, err
}

// openRows opens path as the server would (checks, migrations) and returns
// how many notes it holds; logs go to logger when not nil.
func openRows(t testing.TB, path string, logger *slog.Logger) int {
	t.Helper()
	d, err := Open(context.Background(), Config{Path: path, Migrations: []MigrationSet{notesSet(t)}, Logger: logger})
	if err != nil {
		t.Fatalf("Open %s: %v", path, err)
	}
	defer d.Close()
	var n int
	if err := d.SQL().QueryRow(`SELECT COUNT(*) FROM notes`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func walGeometry(t testing.TB, wal []byte) (frameSize int) {
	t.Helper()
	r, err := scanWAL(bytes.NewReader(wal), int64(len(wal)))
	if err != nil || r.FirstBad != 0 || r.Frames == 0 || r.Replayed != r.Frames {
		t.Fatalf("clean WAL scans as %+v, %v", r, err)
	}
	return (len(wal) - walHeaderSize) / r.Frames
}

// The checker agrees with SQLite on a log SQLite wrote: every frame valid
// and replayed.
func TestScanWALMatchesSQLite(t *testing.T) {
	t.Parallel()
	const rows = 50
	dbFile, wal := crashedDB(t, rows)
	walGeometry(t, wal)
	if n := openRows(t, place(t, dbFile, wal), nil); n != rows {
		t.Fatalf("rows = %d after a clean crash, want %d", n, rows)
	}
}

// Random bytes over the middle of the WAL: SQLite alone would drop every
// transaction after them without a word; Open refuses with a CorruptError,
// leaves the files as they were, and the salvage the message describes
// keeps what is readable.
func TestOpenRefusesCorruptWAL(t *testing.T) {
	t.Parallel()
	const rows = 120
	dbFile, wal := crashedDB(t, rows)
	frame := walGeometry(t, wal)
	at := walHeaderSize + 40*frame + walFrameHeaderSize + 1000
	copy(wal[at:], bytes.Repeat([]byte{0x5a, 0xa5, 0x13}, 30))
	path := place(t, dbFile, wal)

	if n, err := countRows(t, path); err != nil || n >= rows {
		t.Fatalf("SQLite shows %d of %d rows (%v): the damage must lose rows for this test to mean anything", n, rows, err)
	}
	_, err := Open(context.Background(), Config{Path: path, Migrations: []MigrationSet{notesSet(t)}})
	var ce *CorruptError
	if !errors.Is(err, ErrCorrupt) || !errors.As(err, &ce) {
		t.Fatalf("Open = %v, want a *CorruptError", err)
	}
	if ce.Path != path+"-wal" {
		t.Errorf("CorruptError.Path = %q, want the WAL", ce.Path)
	}
	for _, want := range []string{"frame 41 of", "committed transactions", "parley-server backup", "Database integrity and recovery"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %v", want, err)
		}
	}
	if got, _ := os.ReadFile(path + "-wal"); !bytes.Equal(got, wal) {
		t.Fatal("the refused open changed the WAL")
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, dbFile) {
		t.Fatal("the refused open changed the database file")
	}

	// Salvage as docs/server.md says: a read-only backup, put in place.
	shown, _ := countRows(t, path)
	salvage := filepath.Join(t.TempDir(), "salvage.db")
	ro, err := Open(context.Background(), Config{Path: path, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := ro.Backup(context.Background(), salvage); err != nil {
		t.Fatal(err)
	}
	ro.Close()
	if n := openRows(t, salvage, nil); n != shown {
		t.Fatalf("salvage has %d rows, want the %d SQLite could read", n, shown)
	}
}

func TestOpenRefusesDamagedWALHeader(t *testing.T) {
	t.Parallel()
	dbFile, wal := crashedDB(t, 10)
	wal[17] ^= 0x40 // salt-1
	path := place(t, dbFile, wal)
	_, err := Open(context.Background(), Config{Path: path, Migrations: []MigrationSet{notesSet(t)}})
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "header") {
		t.Fatalf("Open = %v, want ErrCorrupt about the header", err)
	}
}

// What a crash leaves is not damage: stale frames of an older generation
// behind the live ones, and a final frame cut short.
func TestOpenAcceptsCrashLeftovers(t *testing.T) {
	t.Parallel()
	const rows = 15
	before := 200 + 120 + 60 + 30
	// Four older generations, each shorter than the last: the log's tail
	// holds stale frames of several of them.
	dbFile, wal := crashedDB(t, rows, withCheckpointedRows(200, 120, 60, 30))
	r, err := scanWAL(bytes.NewReader(wal), int64(len(wal)))
	if err != nil || r.FirstBad == 0 || r.Lost != 0 || r.damaged() || r.LastOnly {
		t.Fatalf("restarted log scans as %+v, %v; want stale frames and no loss", r, err)
	}
	frame := (len(wal) - walHeaderSize) / r.Frames
	gens := map[uint32]bool{}
	for i := range r.Frames {
		gens[binary.BigEndian.Uint32(wal[walHeaderSize+i*frame+8:])] = true
	}
	if len(gens) < 3 {
		t.Fatalf("the log holds frames of %d generations, want the live one and at least two stale ones", len(gens))
	}
	cases := map[string][]byte{
		"stale frames":     wal,
		"torn final frame": wal[:walHeaderSize+r.Replayed*frame+frame/2],
	}
	for name, w := range cases {
		t.Run(name, func(t *testing.T) {
			if n := openRows(t, place(t, dbFile, w), nil); n != before+rows {
				t.Fatalf("rows = %d, want %d", n, before+rows)
			}
		})
	}
}

// Damage to the final transaction only looks the same as a write cut short
// by a crash (never acknowledged): Open goes on, with a warning.
func TestOpenWarnsOnDamagedFinalTransaction(t *testing.T) {
	t.Parallel()
	const rows = 20
	dbFile, wal := crashedDB(t, rows)
	frame := walGeometry(t, wal)
	wal[len(wal)-frame/2] ^= 0xff // the last (commit) frame's page
	var logs bytes.Buffer
	n := openRows(t, place(t, dbFile, wal), slog.New(slog.NewTextHandler(&logs, nil)))
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "final transaction") {
		t.Fatalf("no warning logged: %q", logs.String())
	}
	if n != rows-1 {
		t.Fatalf("rows = %d, want %d", n, rows-1)
	}
}

// A damaged page in the database file itself is found by quick_check.
func TestOpenRefusesDamagedDatabase(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), FileName)
	d := openTest(t, path, notesSet(t))
	for range 300 {
		if _, err := d.SQL().Exec(`INSERT INTO notes (body) VALUES (?)`, strings.Repeat("x", 100)); err != nil {
			t.Fatal(err)
		}
	}
	var root, pageSize int
	if err := d.SQL().QueryRow(`SELECT rootpage FROM sqlite_master WHERE name = 'notes'`).Scan(&root); err != nil {
		t.Fatal(err)
	}
	if err := d.SQL().QueryRow(`PRAGMA page_size`).Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	d.Close() // the last connection checkpoints: everything is in the file
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Fatal("WAL still there after close")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The table's root is an interior page; overwrite its cell pointers.
	off := (root-1)*pageSize + 12
	copy(b[off:], bytes.Repeat([]byte{0xee}, 64))
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Open(context.Background(), Config{Path: path, Migrations: []MigrationSet{notesSet(t)}})
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.Path != path {
		t.Fatalf("Open = %v, want a *CorruptError for the database file", err)
	}
	t.Log(err)
}

// BenchmarkStartupChecks is what the checks add to a start: scanning a WAL
// of 900 live frames (SQLite checkpoints at 1,000; ≈ 3.7 MB) and PRAGMA
// quick_check of a 300,000-row (≈ 45 MB) database.
func BenchmarkStartupChecks(b *testing.B) {
	_, wal := crashedDB(b, 900)
	if r, _ := scanWAL(bytes.NewReader(wal), int64(len(wal))); r.FirstBad != 0 || r.Replayed < 900 {
		b.Fatalf("the WAL is not all live: %+v", r)
	}
	b.Run("wal-900-frames", func(b *testing.B) {
		b.SetBytes(int64(len(wal)))
		for b.Loop() {
			if r, err := scanWAL(bytes.NewReader(wal), int64(len(wal))); err != nil || r.damaged() {
				b.Fatal(r, err)
			}
		}
	})
	path := filepath.Join(b.TempDir(), FileName)
	d, err := Open(context.Background(), Config{Path: path, Migrations: []MigrationSet{notesSet(b)}})
	if err != nil {
		b.Fatal(err)
	}
	body := strings.Repeat("x", 120)
	err = d.Tx(context.Background(), func(tx *sql.Tx) error {
		for range 300_000 {
			if _, err := tx.Exec(`INSERT INTO notes (body) VALUES (?)`, body); err != nil {
				return err
			}
		}
		return nil
	})
	d.Close()
	if err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(path)
	b.Run("quick_check-45MB", func(b *testing.B) {
		b.SetBytes(st.Size())
		for b.Loop() {
			if err := quickCheck(context.Background(), Config{Path: path}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// rotate-key opens the database read-write beside a running server: its
// check reads a log that is being appended to and restarted. A restart
// between reading the header and the frames must not pass for damage.
func TestWALCheckBesideAWriter(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), FileName)
	d := openTest(t, path, notesSet(t))
	db := d.SQL()
	db.SetMaxOpenConns(1)
	const cycles, rows = 30, 60
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range cycles {
			err := d.Tx(context.Background(), func(tx *sql.Tx) error {
				for range rows {
					if _, err := tx.Exec(`INSERT INTO notes (body) VALUES (?)`, strings.Repeat("y", 3000)); err != nil {
						return err
					}
				}
				return nil
			})
			if err == nil {
				_, err = db.Exec(`PRAGMA wal_checkpoint(RESTART)`)
			}
			if err != nil {
				t.Error(err)
				return
			}
		}
	}()
	checks := 0
	for {
		select {
		case <-done:
			t.Logf("%d checks beside %d log restarts", checks, cycles)
			return
		default:
		}
		checks++
		if _, err := checkWAL(path); err != nil {
			<-done // the writer reports to t too
			t.Fatalf("checkWAL beside a live writer (check %d): %v", checks, err)
		}
	}
}
