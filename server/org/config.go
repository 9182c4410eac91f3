package org

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/parley-voip/parley/server"
	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/sfu"
)

// ErrInvalidConfig wraps every Config.Validate failure.
var ErrInvalidConfig = errors.New("org: invalid config")

// Config says where an organization keeps its data and how it is served.
type Config struct {
	// Dir is the data directory: database, chat keys, TLS certificate.
	Dir string
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
	return c.accountsConfig(accounts.NewSQLStore(nil)).Validate()
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
