package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/parley-voip/parley/internal/testproc"
	"github.com/parley-voip/parley/server/store"
	"github.com/parley-voip/parley/server/store/storetest"
)

// server is the test binary's PostgreSQL.
type server struct {
	dir   string // socket directory and parent of the data directory
	proc  *testproc.Proc
	admin *sql.DB // connection to the postgres database, to create others
}

var (
	lazy    = testproc.Lazy[*server]{Start: start, Close: (*server).stop}
	counter atomic.Int64
)

// Main runs the tests, then stops the server if one was started, and exits.
func Main(m *testing.M) { testproc.Main(m, Stop) }

// Stop stops the server if one was started, for a TestMain that also
// stops other things (orgtest.Main).
func Stop() { lazy.Stop() }

// DSN creates a new, empty database for t and returns its connection
// string. It skips t when PostgreSQL is not installed and CI is unset.
func DSN(t testing.TB) string {
	t.Helper()
	srv := lazy.Get(t)
	name := fmt.Sprintf("t%d_%d", os.Getpid(), counter.Add(1))
	// en-US, not the server's C: see the package doc.
	if _, err := srv.admin.Exec(`CREATE DATABASE ` + name + ` TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'`); err != nil {
		t.Fatalf("pgtest: creating database: %v", err)
	}
	return srv.dsn(name)
}

// Option changes what Open does.
type Option func(*store.Config)

// WithMigrations applies sets instead of every registered component's.
func WithMigrations(sets ...store.MigrationSet) Option {
	return func(c *store.Config) { c.Migrations = append([]store.MigrationSet{}, sets...) }
}

// Open opens a fresh database for t through package store, migrated, and
// closes it when t ends.
func Open(t testing.TB, opts ...Option) *store.DB {
	t.Helper()
	cfg := store.Config{Postgres: DSN(t)}
	for _, o := range opts {
		o(&cfg)
	}
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func (s *server) dsn(db string) string {
	return fmt.Sprintf("host=%s port=5432 user=postgres dbname=%s sslmode=disable", s.dir, db)
}

// binDir finds initdb and postgres.
func binDir() (string, error) {
	if d := os.Getenv("PARLEY_PG_BIN"); d != "" {
		return d, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return pgVersion(b) - pgVersion(a) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", testproc.NotInstalled("PostgreSQL binaries (initdb, postgres) not found; install Debian's postgresql or set PARLEY_PG_BIN")
}

func pgVersion(dir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return v
}

// runAs is the account the server runs under: the current one, or an
// unprivileged one when that is root.
func runAs() (uid, gid int, err error) {
	if os.Geteuid() != 0 {
		return -1, -1, nil
	}
	for _, name := range []string{"parleytest", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		return uid, gid, nil
	}
	return 0, 0, errors.New("pgtest: running as root and neither user parleytest nor nobody exists; initdb refuses root")
}

func start() (*server, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	uid, gid, err := runAs()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "parley-pg-")
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	s := &server{dir: dir}
	if uid >= 0 {
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("pgtest: %w", err)
		}
	}
	data := filepath.Join(dir, "data")
	initdb := command(uid, gid, filepath.Join(bin, "initdb"),
		"-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions")
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pgtest: initdb: %w\n%s", err, out)
	}
	s.proc, err = testproc.Start(command(uid, gid, filepath.Join(bin, "postgres"), "-D", data, "-k", dir, "-p", "5432",
		"-c", "listen_addresses=", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "shared_buffers=32MB", "-c", "max_connections=200",
		"-c", "log_min_messages=warning"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := s.waitReady(); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

func command(uid, gid int, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = []string{"LANG=C", "PATH=" + os.Getenv("PATH")}
	cmd.SysProcAttr = sysProcAttr(uid, gid)
	return cmd
}

// waitReady connects until the server accepts, it exits, or 60 s pass
// (initdb and start-up on a loaded machine).
func (s *server) waitReady() error {
	cfg, err := pgx.ParseConfig(s.dsn("postgres"))
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	return s.proc.WaitReady(60*time.Second, func() error {
		db := stdlib.OpenDB(*cfg)
		if err := db.Ping(); err != nil {
			db.Close()
			return err
		}
		s.admin = db
		return nil
	})
}

// stop shuts the server down (fast shutdown: SIGINT) and removes its
// directory.
func (s *server) stop() {
	if s.admin != nil {
		s.admin.Close()
	}
	if s.proc != nil {
		s.proc.Stop(30 * time.Second)
	}
	os.RemoveAll(s.dir)
}

// Database is one of the databases the stores run on.
type Database struct {
	Name string // SQLite or Postgres, the subtest's name
	Open func(testing.TB) *store.DB
}

// Databases are SQLite and PostgreSQL, in that order.
var Databases = []Database{
	{"SQLite", storetest.Open},
	{"Postgres", func(t testing.TB) *store.DB { return Open(t) }},
}

// EachDatabase runs fn as a parallel subtest named SQLite, then one named
// Postgres, each given how to open a fresh database of its kind.
func EachDatabase(t *testing.T, fn func(t *testing.T, open func(testing.TB) *store.DB)) {
	t.Helper()
	for _, db := range Databases {
		t.Run(db.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, db.Open)
		})
	}
}
