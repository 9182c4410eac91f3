// Package chat stores the organization's chat messages encrypted at rest.
//
// Each message body is sealed with XChaCha20-Poly1305 under a master key
// kept outside the database (a key file in the data directory, mode 0600, or
// the PARLEY_CHAT_KEYS environment variable). The row records the key's id,
// and the associated data binds the ciphertext to its row (id, sender,
// recipient, call, time), so a database writer cannot move a message into
// another conversation undetected.
//
// Rotation (parley-server rotate-key) appends a new key, which encrypts
// from then on; old keys stay in the key file so existing rows remain
// readable, and Reencrypt moves every row to the current key, after which
// Prune may drop keys no row uses. See ../../docs/server.md.
//
// Its table is migration component "chat" (see package store), in SQLite
// or PostgreSQL alike; package chattest holds the tests both must pass.
package chat

import (
	"embed"

	"github.com/parley-voip/parley/server/store"
)

//go:embed migrations/*.sql migrations/postgres/*.sql
var migrations embed.FS

func init() { store.RegisterDir("chat", migrations, "migrations") }
