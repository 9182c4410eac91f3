package server

import (
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/time/rate"

	"github.com/parley-voip/parley/signaling"
)

// Config holds the server's settings. Zero fields take the defaults listed
// with them.
type Config struct {
	// Addr is where Start listens. Default "127.0.0.1:0" (a free loopback
	// port).
	Addr string
	// MaxMessageBytes is the largest frame a client may send; a bigger one
	// closes its connection with status 1009. Default
	// signaling.MaxMessageBytes.
	MaxMessageBytes int64
	// RateLimit is the sustained messages per second one connection may
	// send; rate.Inf disables limiting. Default 50.
	RateLimit rate.Limit
	// RateBurst is the token bucket size. Default 100.
	RateBurst int
	// RateAbuseLimit is how many rate-limited messages a connection may send
	// before it is closed (status 1008). Default 50.
	RateAbuseLimit int
	// SendQueue bounds the frames waiting to be written to one client; a
	// client that lets it overflow is dropped. Default 256.
	SendQueue int
	// WriteTimeout bounds writing one frame. Default 10 s.
	WriteTimeout time.Duration
	// HelloTimeout bounds the wait for a new connection's hello. Default
	// 10 s.
	HelloTimeout time.Duration
	// Limits bound HTTP timeouts, connections per address and WebSockets
	// still authenticating.
	Limits Limits
	// Version is reported in welcome. Default "dev".
	Version string
	// Logger receives the server's logs. Default: discarded.
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.Addr == "" {
		c.Addr = "127.0.0.1:0"
	}
	if c.MaxMessageBytes == 0 {
		c.MaxMessageBytes = signaling.MaxMessageBytes
	}
	if c.RateLimit == 0 {
		c.RateLimit = 50
	}
	if c.RateBurst == 0 {
		c.RateBurst = 100
	}
	if c.RateAbuseLimit == 0 {
		c.RateAbuseLimit = 50
	}
	if c.SendQueue == 0 {
		c.SendQueue = 256
	}
	if c.WriteTimeout == 0 {
		c.WriteTimeout = 10 * time.Second
	}
	if c.HelloTimeout == 0 {
		c.HelloTimeout = 10 * time.Second
	}
	if c.Version == "" {
		c.Version = "dev"
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	c.Limits = c.Limits.withDefaults()
	return c
}

// minMessageBytes leaves room for a hello with the longest names.
const minMessageBytes = 1024

// Validate reports the first unusable setting. It is checked after
// defaults are applied, so zero values are fine.
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case c.MaxMessageBytes < minMessageBytes || c.MaxMessageBytes > signaling.MaxServerMessageBytes:
		return fmt.Errorf("%w: MaxMessageBytes %d not in [%d, %d]", ErrInvalidConfig,
			c.MaxMessageBytes, minMessageBytes, signaling.MaxServerMessageBytes)
	case c.RateLimit < 0:
		return fmt.Errorf("%w: RateLimit %v is negative", ErrInvalidConfig, c.RateLimit)
	case c.RateBurst < 1:
		return fmt.Errorf("%w: RateBurst %d is below 1", ErrInvalidConfig, c.RateBurst)
	case c.RateAbuseLimit < 1:
		return fmt.Errorf("%w: RateAbuseLimit %d is below 1", ErrInvalidConfig, c.RateAbuseLimit)
	case c.SendQueue < 1:
		return fmt.Errorf("%w: SendQueue %d is below 1", ErrInvalidConfig, c.SendQueue)
	case c.WriteTimeout < 0:
		return fmt.Errorf("%w: WriteTimeout %v is negative", ErrInvalidConfig, c.WriteTimeout)
	case c.HelloTimeout < 0:
		return fmt.Errorf("%w: HelloTimeout %v is negative", ErrInvalidConfig, c.HelloTimeout)
	case len(c.Version) > signaling.MaxVersionLen:
		return fmt.Errorf("%w: Version longer than %d bytes", ErrInvalidConfig, signaling.MaxVersionLen)
	}
	return c.Limits.validate()
}
