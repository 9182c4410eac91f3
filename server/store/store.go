package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// FileName is the database's name inside the data directory.
const FileName = "parley.db"

// Config says which database to open: the SQLite file at Path (the
// embedded default) or the PostgreSQL database Postgres names. Exactly one
// of the two is set.
type Config struct {
	// Path is the SQLite database file. Its directory is created (0700)
	// when missing.
	Path string
	// Postgres is a PostgreSQL connection string, as a URL
	// (postgres://user:pass@host:5432/db?sslmode=verify-full) or as
	// key=value pairs; the database must exist. Several server nodes may
	// share one.
	Postgres string
	// MaxConns bounds the PostgreSQL connections this process opens; all
	// stay open once made. Keep MaxConns times the number of nodes below
	// the PostgreSQL server's max_connections (default 100). Default
	// DefaultMaxConns; unused for SQLite.
	MaxConns int
	// Migrations to apply; nil means every Register-ed set.
	Migrations []MigrationSet
	// ReadOnly opens without writing or migrating, e.g. to back up the
	// SQLite database of a running server from another process.
	ReadOnly bool
	// BusyTimeout is how long a statement waits for another writer
	// (possibly another process). Default 5 s.
	BusyTimeout time.Duration
	// Logger gets the warning when the write-ahead log's final
	// transaction was cut short; default slog.Default().
	Logger *slog.Logger
}

// Validate reports the first unusable setting.
func (c Config) Validate() error {
	switch {
	case c.Path == "" && c.Postgres == "":
		return fmt.Errorf("%w: neither Path nor Postgres is set", ErrInvalidConfig)
	case c.Path != "" && c.Postgres != "":
		return fmt.Errorf("%w: both Path and Postgres are set", ErrInvalidConfig)
	case c.Postgres != "" && !validPostgres(c.Postgres):
		// The parser's message may quote the string, password included.
		return fmt.Errorf("%w: Postgres is not a PostgreSQL connection string or URL", ErrInvalidConfig)
	case c.MaxConns < 0:
		return fmt.Errorf("%w: MaxConns %d is negative", ErrInvalidConfig, c.MaxConns)
	case c.BusyTimeout < 0:
		return fmt.Errorf("%w: BusyTimeout %v is negative", ErrInvalidConfig, c.BusyTimeout)
	}
	return nil
}

// DB is an open, migrated database.
type DB struct {
	db      *sql.DB
	path    string
	dialect Dialect
}

// Open opens (creating if needed) the SQLite database at cfg.Path in WAL
// mode, or the PostgreSQL database cfg.Postgres, and applies pending
// migrations.
//
// Unless ReadOnly, it first checks a SQLite database: the write-ahead log's
// header and frame checksums before SQLite replays it, then PRAGMA
// quick_check. When committed data would be lost it returns a
// *CorruptError (ErrCorrupt) and changes nothing. Damage confined to the
// log's final transaction, which is also what a write interrupted by a
// crash leaves (never acknowledged), is logged as a warning and opened.
// ReadOnly opens skip the checks: they serve backups of a running server
// and the salvage of a damaged one.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Postgres != "" {
		return openPostgres(ctx, cfg)
	}
	if cfg.BusyTimeout == 0 {
		cfg.BusyTimeout = 5 * time.Second
	}
	if cfg.Migrations == nil {
		cfg.Migrations = Registered()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if !cfg.ReadOnly {
		if err := os.MkdirAll(filepath.Dir(cfg.Path), 0o700); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		wal, err := checkWAL(cfg.Path)
		if err != nil {
			return nil, err
		}
		if wal.Busy {
			cfg.Logger.Warn("store: the write-ahead log was not checked: another process kept writing it", "file", cfg.Path+"-wal")
		}
		if wal.LastOnly {
			cfg.Logger.Warn("store: the write-ahead log's final transaction is incomplete or damaged and is dropped; "+
				"a crash during a write leaves this, and such a write was never acknowledged",
				"file", cfg.Path+"-wal", "frame", wal.FirstBad, "frames", wal.Frames)
		}
		if err := quickCheck(ctx, cfg); err != nil {
			return nil, err
		}
	} else if _, err := os.Stat(cfg.Path); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	db, err := sql.Open("sqlite", dsn(cfg))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", cfg.Path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, sqlErr(cfg.Path, "open", err)
	}
	d := &DB{db: db, path: cfg.Path}
	if !cfg.ReadOnly {
		if err := d.migrate(ctx, cfg.Migrations); err != nil {
			db.Close()
			return nil, err
		}
	}
	return d, nil
}

// dsn builds the modernc.org/sqlite connection string. The pragmas run on
// every pooled connection. synchronous=FULL makes a commit durable once it
// returns, which is what chat acknowledgements promise. _txlock=immediate
// takes the write lock at BEGIN, so two writers never deadlock upgrading.
func dsn(cfg Config) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", cfg.BusyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	if cfg.ReadOnly {
		q.Set("mode", "ro")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(FULL)")
		q.Set("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: cfg.Path}).EscapedPath() + "?" + q.Encode()
}

// SQL is the connection pool, for the per-domain stores.
func (d *DB) SQL() *sql.DB { return d.db }

// Path is the SQLite database file; for PostgreSQL, a description of the
// database (host and name) for messages.
func (d *DB) Path() string { return d.path }

// Dialect is the database's kind.
func (d *DB) Dialect() Dialect { return d.dialect }

// Close closes the pool.
func (d *DB) Close() error {
	if err := d.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Tx runs fn in a transaction, committing when it returns nil.
func (d *DB) Tx(ctx context.Context, fn func(*sql.Tx) error) error {
	return InTx(ctx, d.db, fn)
}

// Beginner is what InTx needs: a *sql.DB or a *sql.Conn.
type Beginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// InTx runs fn in a transaction on db, committing when fn returns nil and
// rolling back otherwise.
func InTx(ctx context.Context, db Beginner, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, rollback(tx))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

func rollback(tx *sql.Tx) error {
	if err := tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("store: rollback: %w", err)
	}
	return nil
}
