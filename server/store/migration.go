package store

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"sync"
)

// Migration is one schema step of a component.
type Migration struct {
	Version int
	Name    string // file name, for messages
	SQL     string
}

// MigrationSet is a component's migrations, in version order.
type MigrationSet struct {
	Component  string
	Migrations []Migration
}

var migrationName = regexp.MustCompile(`^([0-9]{4})_[a-z0-9_]+\.sql$`)

var componentName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// LoadMigrations reads the NNNN_name.sql files at the root of fsys. Versions
// must start at 1 and have no gaps: a missing file would otherwise be
// skipped silently on fresh databases.
func LoadMigrations(component string, fsys fs.FS) (MigrationSet, error) {
	if !componentName.MatchString(component) {
		return MigrationSet{}, fmt.Errorf("%w: component name %q", ErrBadMigration, component)
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return MigrationSet{}, fmt.Errorf("%w: %s: %w", ErrBadMigration, component, err)
	}
	set := MigrationSet{Component: component}
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".sql" {
			continue
		}
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return MigrationSet{}, fmt.Errorf("%w: %s: file name %q is not NNNN_name.sql", ErrBadMigration, component, e.Name())
		}
		v, _ := strconv.Atoi(m[1])
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return MigrationSet{}, fmt.Errorf("%w: %s: %w", ErrBadMigration, component, err)
		}
		set.Migrations = append(set.Migrations, Migration{Version: v, Name: e.Name(), SQL: string(b)})
	}
	slices.SortFunc(set.Migrations, func(a, b Migration) int { return a.Version - b.Version })
	for i, m := range set.Migrations {
		if m.Version != i+1 {
			return MigrationSet{}, fmt.Errorf("%w: %s: expected version %04d, found %s", ErrBadMigration, component, i+1, m.Name)
		}
	}
	if len(set.Migrations) == 0 {
		return MigrationSet{}, fmt.Errorf("%w: %s: no migrations", ErrBadMigration, component)
	}
	return set, nil
}

var registry struct {
	mu   sync.Mutex
	sets []MigrationSet
}

// Register adds a component's migrations (NNNN_name.sql files at the root of
// fsys, usually an embed.FS sub-directory) to those Open applies. Call it
// from the component package's init; it panics on a malformed set or a
// duplicate component, as both are programming errors.
func Register(component string, fsys fs.FS) {
	set, err := LoadMigrations(component, fsys)
	if err != nil {
		panic(err)
	}
	registry.mu.Lock()
	defer registry.mu.Unlock()
	for _, s := range registry.sets {
		if s.Component == component {
			panic(fmt.Sprintf("store: component %q registered twice", component))
		}
	}
	registry.sets = append(registry.sets, set)
}

// RegisterDir is Register for the migrations in directory dir of fsys, the
// usual layout: //go:embed migrations/*.sql, then
// store.RegisterDir("name", migrations, "migrations") in init.
func RegisterDir(component string, fsys fs.FS, dir string) {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(fmt.Sprintf("store: %s migrations: %v", component, err))
	}
	Register(component, sub)
}

// Registered returns the registered migration sets in registration order.
func Registered() []MigrationSet {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	return slices.Clone(registry.sets)
}
