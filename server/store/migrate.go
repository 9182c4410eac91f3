package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

const migrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	component  TEXT    NOT NULL,
	version    INTEGER NOT NULL,
	name       TEXT    NOT NULL,
	applied_at BIGINT  NOT NULL,
	PRIMARY KEY (component, version)
)`

// migrate applies each set's pending migrations, one transaction per
// migration so that a failure leaves the schema at the last good version.
// It works on one connection, which on PostgreSQL holds an advisory lock
// meanwhile, so nodes starting together migrate one after the other.
func (d *DB) migrate(ctx context.Context, sets []MigrationSet) error {
	c, err := d.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: migrating: %w", err)
	}
	defer c.Close()
	unlock, err := lockMigrations(ctx, c, d.dialect)
	if err != nil {
		return err
	}
	defer unlock()
	if _, err := c.ExecContext(ctx, migrationsTable); err != nil {
		return fmt.Errorf("store: creating schema_migrations: %w", err)
	}
	for _, set := range sets {
		if err := d.migrateSet(ctx, c, set); err != nil {
			return err
		}
	}
	return nil
}

func (d *DB) migrateSet(ctx context.Context, c *sql.Conn, set MigrationSet) error {
	steps := set.Migrations
	if d.dialect == Postgres {
		steps = set.Postgres
		if len(steps) != len(set.Migrations) {
			return fmt.Errorf("%w: %s has %d SQLite migrations but %d for PostgreSQL",
				ErrBadMigration, set.Component, len(set.Migrations), len(steps))
		}
	}
	current, err := version(ctx, c, d.dialect, set.Component)
	if err != nil {
		return err
	}
	if current > len(steps) {
		return fmt.Errorf("%w: %s is at version %d, this server knows %d",
			ErrSchemaTooNew, set.Component, current, len(steps))
	}
	for _, m := range steps[current:] {
		err := InTx(ctx, c, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, d.dialect.Rebind(
				`INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (?, ?, ?, ?)`),
				set.Component, m.Version, m.Name, time.Now().Unix())
			return err
		})
		if err != nil {
			return fmt.Errorf("store: migrating %s to %s: %w", set.Component, m.Name, err)
		}
	}
	return nil
}

// Version is the last applied migration of component, 0 if none.
func (d *DB) Version(ctx context.Context, component string) (int, error) {
	return version(ctx, d.db, d.dialect, component)
}

func version(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, d Dialect, component string) (int, error) {
	var v sql.NullInt64
	err := q.QueryRowContext(ctx,
		d.Rebind(`SELECT MAX(version) FROM schema_migrations WHERE component = ?`), component).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("store: reading version of %s: %w", component, err)
	}
	return int(v.Int64), nil
}
