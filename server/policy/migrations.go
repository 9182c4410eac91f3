package policy

import (
	"embed"
	"io/fs"

	"github.com/parley-voip/parley/server/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Component is this package's migration component name in package store.
const Component = "policy"

func init() {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err)
	}
	store.Register(Component, sub)
}
