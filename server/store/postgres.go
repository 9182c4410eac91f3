package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// openPostgres opens cfg.Postgres through pgx's database/sql driver and
// applies the PostgreSQL migrations. Several server nodes may start at
// once on one database: migrate holds an advisory lock while it works.
func openPostgres(ctx context.Context, cfg Config) (*DB, error) {
	if cfg.Migrations == nil {
		cfg.Migrations = Registered()
	}
	if cfg.MaxConns == 0 {
		cfg.MaxConns = DefaultMaxConns
	}
	pc, err := pgx.ParseConfig(cfg.Postgres)
	if err != nil { // Validate parsed it already
		return nil, fmt.Errorf("%w: Postgres is not a PostgreSQL connection string or URL", ErrInvalidConfig)
	}
	db := stdlib.OpenDB(*pc)
	db.SetMaxOpenConns(cfg.MaxConns)
	db.SetMaxIdleConns(cfg.MaxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	where := fmt.Sprintf("postgres %s/%s", pc.Host, pc.Database)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", where, err)
	}
	d := &DB{db: db, path: where, dialect: Postgres}
	if !cfg.ReadOnly {
		if err := d.migrate(ctx, cfg.Migrations); err != nil {
			db.Close()
			return nil, err
		}
	}
	return d, nil
}

func validPostgres(s string) bool {
	_, err := pgx.ParseConfig(s)
	return err == nil
}

// DefaultMaxConns is Config.MaxConns's default.
const DefaultMaxConns = 16

// migrationLock is the pg_advisory_lock key that serialises migrations
// of nodes starting together ("parley" in ASCII).
const migrationLock = 0x7061726c6579

func lockMigrations(ctx context.Context, c *sql.Conn, d Dialect) (unlock func(), err error) {
	if d != Postgres {
		return func() {}, nil
	}
	if _, err := c.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return nil, fmt.Errorf("store: locking migrations: %w", err)
	}
	return func() {
		_, _ = c.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock)
	}, nil
}
