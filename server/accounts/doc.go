// Package accounts holds the organization's users and their sign-in
// sessions: argon2id password hashes, random session tokens stored only as
// SHA-256 hashes, brute-force throttling of sign-in per account and per
// address, and the HTTP middleware that turns a bearer token into the
// signed-in User for every other server package (UserFrom, RequireAdmin).
//
// Its tables are migration component "accounts" (see package store), in
// SQLite or PostgreSQL (SQLStore; conformance suite in accountstest). The
// HTTP API is described in ../../docs/server-api.md.
package accounts

import (
	"embed"

	"github.com/parley-voip/parley/server/store"
)

//go:embed migrations/*.sql migrations/postgres/*.sql
var migrations embed.FS

func init() { store.RegisterDir("accounts", migrations, "migrations") }
