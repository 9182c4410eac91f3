// Package store opens the organization server's database, SQLite or
// PostgreSQL, and keeps its schema current.
//
// By default the database is one file in the server's data directory, opened
// in WAL mode with foreign keys on, through modernc.org/sqlite (pure Go, no
// cgo). With Config.Postgres it is a PostgreSQL database, opened through
// pgx's database/sql driver, which several server nodes can share. Each
// domain package (accounts, chat, policy, …) owns its tables: it embeds its
// migrations as NNNN_name.sql files, with the PostgreSQL versions of the same
// steps in a postgres/ sub-directory, and calls Register with a component
// name in an init function. Open applies every registered component's
// pending migrations in version order, each in its own transaction, and
// records them in schema_migrations(component, version). Versions are per
// component, so packages never collide on numbers.
//
// Domain packages declare their own Store interfaces and implement them once
// on *sql.DB for both databases: queries use ? placeholders and go through
// Dialect.Rebind; IsUniqueViolation reads either driver's errors.
//
// Before a read-write Open lets SQLite replay the write-ahead log, it checks
// the log's header and frame checksums (SQLite would otherwise drop every
// transaction after a damaged frame without a word) and runs PRAGMA
// quick_check; damage that loses committed data is refused with a
// *CorruptError (ErrCorrupt) that says how to recover.
//
// Backup makes a consistent copy of the live database with VACUUM INTO,
// which reads one snapshot while the server keeps writing. See
// ../../docs/server.md.
package store
