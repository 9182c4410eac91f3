package admin

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/parley-voip/parley/server/policy"
)

// ErrInvalidConfig wraps every Config.Validate failure.
var ErrInvalidConfig = errors.New("admin: invalid config")

// Config configures the admin surfaces.
type Config struct {
	// Policies is the policy service. Required.
	Policies *policy.Service
	// Accounts is the accounts service. Required.
	Accounts Accounts
	// SecureCookies marks the portal's cookies Secure; set it when the
	// server speaks HTTPS (browsers drop Secure cookies over plain HTTP,
	// which the server allows on loopback only).
	SecureCookies bool
	// Logger. Default: discarded.
	Logger *slog.Logger
}

// Validate reports a missing dependency.
func (c Config) Validate() error {
	switch {
	case c.Policies == nil:
		return fmt.Errorf("%w: Policies is required", ErrInvalidConfig)
	case c.Accounts == nil:
		return fmt.Errorf("%w: Accounts is required", ErrInvalidConfig)
	}
	return nil
}
