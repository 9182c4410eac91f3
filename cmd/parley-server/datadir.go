package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/parley-voip/parley/server/org"
)

// EnvData overrides the default data directory.
const EnvData = "PARLEY_DATA"

func defaultDataDir() string {
	if d := os.Getenv(EnvData); d != "" {
		return d
	}
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "parley-server")
	}
	return "parley-data"
}

// openOrg opens the organization in dir, the same way the server runs it.
func openOrg(ctx context.Context, dir string, log *slog.Logger) (*org.Org, error) {
	return org.Open(ctx, org.Config{Dir: dir, Logger: log})
}
