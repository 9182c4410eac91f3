package recording

import (
	"embed"

	"github.com/parley-voip/parley/server/store"
)

//go:embed migrations/*.sql migrations/postgres/*.sql
var migrations embed.FS

// Component is this package's migration component name in package store.
const Component = "recording"

func init() { store.RegisterDir(Component, migrations, "migrations") }
