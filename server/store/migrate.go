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
	applied_at INTEGER NOT NULL,
	PRIMARY KEY (component, version)
)`

// migrate applies each set's pending migrations, one transaction per
// migration so that a failure leaves the schema at the last good version.
func (d *DB) migrate(ctx context.Context, sets []MigrationSet) error {
	if _, err := d.db.ExecContext(ctx, migrationsTable); err != nil {
		return fmt.Errorf("store: creating schema_migrations: %w", err)
	}
	for _, set := range sets {
		if err := d.migrateSet(ctx, set); err != nil {
			return err
		}
	}
	return nil
}

func (d *DB) migrateSet(ctx context.Context, set MigrationSet) error {
	current, err := d.Version(ctx, set.Component)
	if err != nil {
		return err
	}
	if current > len(set.Migrations) {
		return fmt.Errorf("%w: %s is at version %d, this server knows %d",
			ErrSchemaTooNew, set.Component, current, len(set.Migrations))
	}
	for _, m := range set.Migrations[current:] {
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx,
				`INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (?, ?, ?, ?)`,
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
	var v sql.NullInt64
	err := d.db.QueryRowContext(ctx,
		`SELECT MAX(version) FROM schema_migrations WHERE component = ?`, component).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("store: reading version of %s: %w", component, err)
	}
	return int(v.Int64), nil
}
