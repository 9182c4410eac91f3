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

// MigrationSet is a component's migrations, in version order: the same
// steps written once for SQLite and once for PostgreSQL.
type MigrationSet struct {
	Component  string
	Migrations []Migration // SQLite
	// Postgres holds the PostgreSQL steps, from the postgres/ directory
	// beside the SQLite files. A PostgreSQL database opens only when every
	// component has as many of these as of SQLite steps.
	Postgres []Migration
}

// PostgresDir is the sub-directory of a component's migrations that holds
// the PostgreSQL versions of its steps, with the same NNNN_name.sql names.
const PostgresDir = "postgres"

var migrationName = regexp.MustCompile(`^([0-9]{4})_[a-z0-9_]+\.sql$`)

var componentName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// LoadMigrations reads the NNNN_name.sql files at the root of fsys (SQLite)
// and, when present, those in its PostgresDir. Versions must start at 1 and
// have no gaps: a missing file would otherwise be skipped silently on
// fresh databases.
func LoadMigrations(component string, fsys fs.FS) (MigrationSet, error) {
	if !componentName.MatchString(component) {
		return MigrationSet{}, fmt.Errorf("%w: component name %q", ErrBadMigration, component)
	}
	steps, err := loadSteps(component, fsys)
	if err != nil {
		return MigrationSet{}, err
	}
	set := MigrationSet{Component: component, Migrations: steps}
	if fi, err := fs.Stat(fsys, PostgresDir); err == nil && fi.IsDir() {
		pg, err := fs.Sub(fsys, PostgresDir)
		if err != nil {
			return MigrationSet{}, fmt.Errorf("%w: %s: %w", ErrBadMigration, component, err)
		}
		if set.Postgres, err = loadSteps(component+" (postgres)", pg); err != nil {
			return MigrationSet{}, err
		}
	}
	return set, nil
}

func loadSteps(component string, fsys fs.FS) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrBadMigration, component, err)
	}
	var steps []Migration
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".sql" {
			continue
		}
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("%w: %s: file name %q is not NNNN_name.sql", ErrBadMigration, component, e.Name())
		}
		v, _ := strconv.Atoi(m[1])
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrBadMigration, component, err)
		}
		steps = append(steps, Migration{Version: v, Name: e.Name(), SQL: string(b)})
	}
	slices.SortFunc(steps, func(a, b Migration) int { return a.Version - b.Version })
	for i, m := range steps {
		if m.Version != i+1 {
			return nil, fmt.Errorf("%w: %s: expected version %04d, found %s", ErrBadMigration, component, i+1, m.Name)
		}
	}
	if len(steps) == 0 {
		return nil, fmt.Errorf("%w: %s: no migrations", ErrBadMigration, component)
	}
	return steps, nil
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
// usual layout: //go:embed migrations/*.sql migrations/postgres/*.sql, then
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
