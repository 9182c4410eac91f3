package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/chat"
	"github.com/parley-voip/parley/server/store"
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

// org is the opened data directory.
type org struct {
	db       *store.DB
	accounts *accounts.Service
	chat     *chat.Service
}

func openOrg(ctx context.Context, dir string, log *slog.Logger) (*org, error) {
	db, err := store.Open(ctx, store.Config{Path: filepath.Join(dir, store.FileName)})
	if err != nil {
		return nil, err
	}
	acc, err := accounts.NewService(accounts.Config{Store: accounts.NewSQLStore(db.SQL()), Logger: log})
	if err != nil {
		db.Close()
		return nil, err
	}
	kr, err := chat.LoadKeyring(dir, true)
	if err != nil {
		db.Close()
		return nil, err
	}
	cs, err := chat.New(chat.Config{
		DB: db.SQL(), Keys: kr,
		Reload: func() (*chat.Keyring, error) { return chat.LoadKeyring(dir, false) },
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return &org{db: db, accounts: acc, chat: cs}, nil
}
