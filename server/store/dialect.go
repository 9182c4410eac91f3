package store

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Dialect is the SQL database behind a *sql.DB. The domain stores write one
// query for both, with ? placeholders, and pass it through Rebind.
type Dialect int

const (
	// SQLite is the embedded default (modernc.org/sqlite).
	SQLite Dialect = iota
	// Postgres is PostgreSQL through pgx's database/sql driver.
	Postgres
)

func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// DialectOf tells which database db was opened on. A domain store given a
// *sql.DB by its caller asks this once, at construction.
// A nil db is SQLite's.
func DialectOf(db *sql.DB) Dialect {
	if db == nil {
		return SQLite
	}
	if _, ok := db.Driver().(*stdlib.Driver); ok {
		return Postgres
	}
	return SQLite
}

// Rebind rewrites the ? placeholders of query into $1, $2, … for
// PostgreSQL; for SQLite it returns query unchanged. A ? inside a quoted
// string or identifier is left alone.
func (d Dialect) Rebind(query string) string {
	if d != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// IsUniqueViolation reports whether err is a UNIQUE or PRIMARY KEY
// constraint failure, on either database.
func IsUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505" // unique_violation
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		// The primary code alone when extended codes are off; SQLite
		// words both UNIQUE and PRIMARY KEY failures this way.
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY ||
			strings.Contains(se.Error(), "UNIQUE constraint failed")
	}
	return false
}
