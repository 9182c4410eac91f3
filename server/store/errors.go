package store

import "errors"

var (
	// ErrInvalidConfig wraps every Config.Validate failure.
	ErrInvalidConfig = errors.New("store: invalid config")
	// ErrBadMigration: a migration file name or set is unusable.
	ErrBadMigration = errors.New("store: bad migration")
	// ErrSchemaTooNew: the database holds migrations this binary does not
	// know, i.e. it was written by a newer server.
	ErrSchemaTooNew = errors.New("store: database schema is newer than this server")
	// ErrBackupExists: the backup target already exists.
	ErrBackupExists = errors.New("store: backup file already exists")
	// ErrBackupPostgres: Backup copies SQLite files; a PostgreSQL database
	// is backed up with pg_dump.
	ErrBackupPostgres = errors.New("store: back up a PostgreSQL database with pg_dump")
	// ErrCorrupt: the database or its write-ahead log is damaged so that
	// SQLite would lose committed data; Open refuses it. The error is a
	// *CorruptError saying which file and what to do.
	ErrCorrupt = errors.New("store: database is damaged")
)
