// Package calllog keeps each user's call history on the organization
// server, so every device of a user shows the same list.
//
// The server's call relay writes one Record per party when a call ends
// (or could not start): direction, peer, start, duration, outcome and
// whether both clients said the call was end-to-end encrypted — their
// claim, since the server never sees E2EE media. A Record also names the
// device that answered, so each device can tell "answered" from "answered
// elsewhere" (Record.Wire).
//
// Store is what the server needs; SQLStore implements it on the server's
// SQLite or PostgreSQL database (migration component "calllog", see package
// store), and calllogtest holds the conformance tests both pass. Its queries are written for both SQLite and PostgreSQL (?
// placeholders passed through SQLStore.q, INSERT … RETURNING), and
// migrations/postgres holds the PostgreSQL schema.
package calllog

import (
	"embed"

	"github.com/parley-voip/parley/server/store"
)

//go:embed migrations/*.sql migrations/postgres/*.sql
var migrations embed.FS

// Component is this package's migration component name in package store.
const Component = "calllog"

func init() { store.RegisterDir(Component, migrations, "migrations") }
