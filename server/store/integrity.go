package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// CorruptError says which file of the database is damaged and how. It
// matches ErrCorrupt with errors.Is, and its message tells the operator
// what to do.
type CorruptError struct {
	// Path is the damaged file (the database or its -wal).
	Path string
	// Problem is what the check found.
	Problem string
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("store: database damaged: %s: %s. "+
		"Nothing was opened or changed. To recover, stop every parley-server using this data directory, "+
		"copy %s and its -wal and -shm files aside, then either restore your latest backup "+
		"(made by `parley-server backup`) or save what is still readable with "+
		"`parley-server backup -data DIR FILE` and put FILE in place of %s, deleting its -wal and -shm files; "+
		"see docs/server.md, \"Database integrity and recovery\"",
		e.Path, e.Problem, FileName, FileName)
}

// Unwrap makes errors.Is(err, ErrCorrupt) true.
func (e *CorruptError) Unwrap() error { return ErrCorrupt }

// checkWAL reads dbPath's write-ahead log, if there is one, before SQLite
// does: SQLite replays only the frames before the first bad checksum and
// drops the rest silently, and the next checkpoint makes that final.
func checkWAL(dbPath string) (walReport, error) {
	path := dbPath + "-wal"
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return walReport{}, nil
	}
	if err != nil {
		return walReport{}, fmt.Errorf("store: %w", err)
	}
	defer f.Close()
	// Another process (rotate-key beside a running server) may be writing
	// the log: a checkpoint restart rewrites its header, an append grows
	// it. Damage is only reported when the log stood still during the scan.
	var r walReport
	var size int64
	for attempt := 0; ; attempt++ {
		before, err := walIdentity(f)
		if err != nil {
			return walReport{}, err
		}
		size = before.size
		if r, err = scanWAL(f, size); err != nil {
			return r, err
		}
		after, err := walIdentity(f)
		if err != nil {
			return walReport{}, err
		}
		if !r.damaged() || after == before {
			break
		}
		if attempt == 4 {
			// A writer that keeps the log moving is a live server, which
			// checked the log when it started.
			return walReport{Busy: true}, nil
		}
	}
	switch {
	case r.BadHeader != "":
		return r, &CorruptError{Path: path, Problem: fmt.Sprintf(
			"the write-ahead log's header is damaged (%s), so SQLite would ignore all %d bytes of committed changes in it",
			r.BadHeader, size)}
	case r.damaged():
		return r, &CorruptError{Path: path, Problem: fmt.Sprintf(
			"frame %d of %d fails its checksum, so SQLite would silently drop %d committed transactions (%d frames) after it",
			r.FirstBad, r.Frames, r.LostCommits, r.Lost)}
	}
	return r, nil
}

// walState is what changes when a writer touches the log: its size and
// its header (salts and checkpoint sequence change at every restart).
type walState struct {
	size   int64
	header [walHeaderSize]byte
}

func walIdentity(f *os.File) (walState, error) {
	var s walState
	st, err := f.Stat()
	if err != nil {
		return s, fmt.Errorf("store: %w", err)
	}
	s.size = st.Size()
	if s.size >= walHeaderSize {
		if _, err := f.ReadAt(s.header[:], 0); err != nil {
			return s, fmt.Errorf("store: read WAL header: %w", err)
		}
	}
	return s, nil
}

// quickCheck runs PRAGMA quick_check on its own read-only connection, which
// never checkpoints, so a damaged database is left as it was found.
func quickCheck(ctx context.Context, cfg Config) error {
	if _, err := os.Stat(cfg.Path); errors.Is(err, fs.ErrNotExist) {
		return nil // first start
	}
	ro := cfg
	ro.ReadOnly = true
	db, err := sql.Open("sqlite", dsn(ro))
	if err != nil {
		return fmt.Errorf("store: open %s: %w", cfg.Path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	rows, err := db.QueryContext(ctx, `PRAGMA quick_check(10)`)
	if err != nil {
		return sqlErr(cfg.Path, "quick_check", err)
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return sqlErr(cfg.Path, "quick_check", err)
		}
		found = append(found, strings.ReplaceAll(strings.TrimSpace(line), "\n", "; "))
	}
	if err := rows.Err(); err != nil {
		return sqlErr(cfg.Path, "quick_check", err)
	}
	if len(found) == 1 && found[0] == "ok" {
		return nil
	}
	return &CorruptError{Path: cfg.Path, Problem: "PRAGMA quick_check reports: " + strings.Join(found, "; ")}
}

// sqlErr wraps a driver error, as a CorruptError when SQLite says the file
// is damaged or not a database.
func sqlErr(path, op string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return &CorruptError{Path: path, Problem: fmt.Sprintf("%s: %v", op, err)}
		}
	}
	return fmt.Errorf("store: %s %s: %w", op, path, err)
}
