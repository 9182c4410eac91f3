package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Backup writes a consistent copy of the database to path, which must not
// exist. VACUUM INTO reads one snapshot, so writers (this process or a
// running server in another) carry on meanwhile; the copy is compact and
// needs no WAL file. A PostgreSQL database is backed up with its own
// tools (pg_dump); Backup refuses it with ErrBackupPostgres.
func (d *DB) Backup(ctx context.Context, path string) error {
	if d.dialect == Postgres {
		return ErrBackupPostgres
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%w: %s", ErrBackupExists, path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("store: backup: %w", err)
	}
	if _, err := d.db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("store: backup to %s: %w", path, err)
	}
	return nil
}
