package captions

import (
	"embed"

	"github.com/parley-voip/parley/server/chat"
	"github.com/parley-voip/parley/server/store"
)

//go:embed migrations/*.sql migrations/postgres/*.sql
var migrations embed.FS

// Component is this package's migration component name in package store.
const Component = "captions"

func init() {
	store.RegisterDir(Component, migrations, "migrations")
	chat.RegisterSealedTable("call_transcripts")
}
