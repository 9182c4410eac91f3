package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/parley-voip/parley/server/org"
)

// EnvData overrides the default data directory.
const EnvData = "PARLEY_DATA"

// EnvPostgres is the default of -postgres: the PostgreSQL database that
// holds the organization's tables instead of the data directory's SQLite
// file.
const EnvPostgres = "PARLEY_POSTGRES"

// EnvNATS is the default of serve -nats: the NATS server that joins the
// organization's nodes.
const EnvNATS = "PARLEY_NATS"

// postgresFlag is the flag every command has beside -data.
const postgresFlag = "postgres"

// postgresOf is the -postgres value fs parsed.
func postgresOf(fs *flag.FlagSet) string { return fs.Lookup(postgresFlag).Value.String() }

func defaultDataDir() string {
	if d := os.Getenv(EnvData); d != "" {
		return d
	}
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "parley-server")
	}
	return "parley-data"
}

// openOrg opens the organization in dir (and the -postgres database fs
// names, if any), the same way the server runs it.
func openOrg(ctx context.Context, fs *flag.FlagSet, dir string, log *slog.Logger) (*org.Org, error) {
	return org.Open(ctx, org.Config{Dir: dir, Postgres: postgresOf(fs), Logger: log})
}
