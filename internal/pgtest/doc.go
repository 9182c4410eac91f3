// Package pgtest runs the tests of the PostgreSQL stores against a real
// PostgreSQL server: one per test binary, started on first use in a
// temporary directory and listening only on a Unix socket there, and a
// fresh database for each test.
//
// A package using it stops the server from TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// The server binaries (initdb, postgres) are found in $PARLEY_PG_BIN, else
// in the newest /usr/lib/postgresql/N/bin (Debian's postgresql package),
// else on PATH. Without them a test is skipped, unless CI is set, where it
// fails. initdb refuses to run as root, so under root the server runs as
// the user parleytest when it exists, else nobody.
//
// EachDatabase runs a suite on both databases the stores run on, as
// parallel subtests SQLite (storetest.Open) and Postgres (Open).
//
// Test databases use ICU's en-US collation, as a production database
// created in an English locale would, so a store that relies on SQLite's
// byte order where PostgreSQL sorts by the database's collation fails here
// rather than in production.
//
// The server trades durability for speed (fsync off): it holds test data
// only.
package pgtest
