package org

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"

	"github.com/parley-voip/parley/server"
	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/natsbus"
	"github.com/parley-voip/parley/server/recording"
	"github.com/parley-voip/parley/server/sfu"
	"github.com/parley-voip/parley/server/store"
	"github.com/parley-voip/parley/server/turn"
)

// ErrInvalidConfig wraps every Config.Validate failure.
var ErrInvalidConfig = errors.New("org: invalid config")

// Config says where an organization keeps its data and how it is served.
type Config struct {
	// Dir is the data directory: database (unless Postgres), chat keys,
	// TLS certificate.
	Dir string
	// Postgres, when set, keeps the organization's tables in this
	// PostgreSQL database (a connection string or postgres:// URL) instead
	// of the SQLite file in Dir, so that several server nodes can share
	// them. Empty (the default) is the embedded SQLite database.
	Postgres string
	// NATS, when set, joins this node to the others of the organization
	// through the NATS server(s) at this URL (package server/natsbus):
	// presence, call signaling, chat delivery and policy pushes cross
	// nodes. It needs Postgres, the database the nodes share. Empty (the
	// default): one node.
	NATS string
	// Server configures the signaling server (address, limits).
	Server server.Config
	// TLS serves HTTPS/WSS; nil serves plain HTTP, on loopback only.
	TLS *tls.Certificate
	// Local is the desktop app's "local organization on this computer":
	// whoever reaches the loopback port gets an account on first sight
	// (server.WithAutoProvision), and the Global policy is created allowing
	// users to turn E2EE on, so one person can try an encrypted call.
	Local bool
	// PasswordHash sets argon2id's cost for new password hashes;
	// accounts.DefaultHashParams when zero (tests lower it).
	PasswordHash accounts.HashParams
	// SignIn bounds sign-in work: memory for concurrent argon2id
	// (HashMemory), its queue (HashQueue, HashWait) and sessions per user
	// (MaxSessionsPerUser). Zero fields take accounts.Config's defaults;
	// Store, Hash and Logger are filled in by Open.
	SignIn accounts.Config
	// Media configures the media service that carries standard calls
	// (public address, UDP port range). Its Logger defaults to Logger; a
	// Local organization offers loopback candidates.
	Media sfu.Config
	// RecordingMedia is the media service recordings tap; nil: the
	// organization's own (which, until the media service is composed
	// here, carries no calls, so recording is refused). Tests put a
	// stand-in here.
	RecordingMedia recording.Media
	// TURN runs the STUN/TURN service (package server/turn) and hands its
	// credentials to every signed-in client; nil for none (clients then
	// gather host candidates only). The TURN server starts with Open.
	TURN *turn.Config
	// CaptionsWorker is the live-captions worker binary: "" finds
	// parley-captions next to the server or on PATH (none: captions are
	// unavailable, with the reason), CaptionsOff turns captions off.
	CaptionsWorker string
	// Logger; discarded when nil.
	Logger *slog.Logger
}

// Validate reports the first unusable setting.
func (c Config) Validate() error {
	if c.Dir == "" {
		return fmt.Errorf("%w: Dir is empty", ErrInvalidConfig)
	}
	if err := c.Server.Validate(); err != nil {
		return err
	}
	if err := c.Media.Validate(); err != nil {
		return err
	}
	if err := c.storeConfig().Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	if c.NATS != "" {
		if c.Postgres == "" {
			return fmt.Errorf("%w: NATS joins nodes that share a database: set Postgres too", ErrInvalidConfig)
		}
		if c.Local {
			return fmt.Errorf("%w: the local organization is one node: NATS with Local", ErrInvalidConfig)
		}
		if err := c.busConfig().Validate(); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidConfig, err)
		}
	}
	return c.accountsConfig(accounts.NewSQLStore(nil)).Validate()
}

// storeConfig is the database Open opens: PostgreSQL when configured,
// else the SQLite file in Dir.
func (c Config) storeConfig() store.Config {
	if c.Postgres != "" {
		return store.Config{Postgres: c.Postgres, Logger: c.Logger}
	}
	return store.Config{Path: filepath.Join(c.Dir, store.FileName), Logger: c.Logger}
}

// busConfig is the NATS connection of a node.
func (c Config) busConfig() natsbus.Config {
	return natsbus.Config{URL: c.NATS, Logger: c.Logger}
}

// accountsConfig is the accounts service's configuration over st.
func (c Config) accountsConfig(st accounts.Store) accounts.Config {
	a := c.SignIn
	a.Store, a.Hash, a.Logger = st, c.PasswordHash, c.Logger
	return a
}

func (c Config) withDefaults() Config {
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.Server.Logger == nil {
		c.Server.Logger = c.Logger
	}
	if c.Media.Logger == nil {
		c.Media.Logger = c.Logger
	}
	if c.Local {
		c.Media.IncludeLoopback = true
	}
	return c
}
