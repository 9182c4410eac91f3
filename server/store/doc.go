// Package store opens the organization server's SQLite database and keeps its
// schema current.
//
// The database is one file in the server's data directory, opened in WAL mode
// with foreign keys on, through modernc.org/sqlite (pure Go, no cgo). Each
// domain package (accounts, chat, policy, …) owns its tables: it embeds its
// migrations as NNNN_name.sql files and calls Register with a component name
// in an init function. Open applies every registered component's pending
// migrations in version order, each in its own transaction, and records them
// in schema_migrations(component, version). Versions are per component, so
// packages never collide on numbers.
//
// Domain packages declare their own Store interfaces over *sql.DB; this
// package is the only one that knows the driver, so a PostgreSQL
// implementation can follow by replacing it and the SQL behind those
// interfaces.
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
