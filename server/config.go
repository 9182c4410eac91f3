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
	// MaxConnsPerUser bounds one user's simultaneous signaling connections
	// (devices); one more is closed with signaling.CloseTooManyConnections.
	// A reconnect of the same session replaces its old connection and does
	// not count twice. Default 16.
	MaxConnsPerUser int
	// RingTimeout ends an invite nobody answered: both parties get hangup
	// reason no-answer and the callee is free again. Default 60 s.
	RingTimeout time.Duration
	// ControlRingTimeout is how long a transfer's target and a ring back
	// (safe transfer, park) ring before they count as not answered.
	// Default RingTimeout.
	ControlRingTimeout time.Duration
	// ParkTimeout is how long a parked call waits for a pickup before it
	// rings back the one who parked it; it is also the pickup code's
	// lifetime. Default 5 minutes.
	ParkTimeout time.Duration
	// PickupGuesses bounds the pickups with a code that matches no parked
	// call one user may try per ParkTimeout; further ones are refused
	// (rate-limited) until the window ends. Default 10.
	PickupGuesses int
	// ResumeGrace is how long an accepted call outlives one party's lost
	// signaling connection: the party may reconnect and resume it (resume
	// message) meanwhile; after it the other party gets hangup reason
	// peer-lost. Negative: end the call at once (reason peer-gone).
	// Default 30 s.
	ResumeGrace time.Duration
	// PresenceCoalesce is how long presence changes are gathered before
	// they are sent, so that a burst (many connecting at once, one user's
	// quick changes) becomes one frame per subscriber. Default 100 ms.
	PresenceCoalesce time.Duration
	// PresenceAllLimit is how many users may be connected for a client's
	// subscribe to everyone (all) to be granted; above it a client must
	// subscribe to ids (its directory page). The walking skeleton and the
	// local organization always grant it. Negative: never. Default 100.
	PresenceAllLimit int
	// NodeTimeout is how long another node may stay silent on the Bus
	// before its users count as offline and its parties of calls here as
	// gone; nodes send a heartbeat every third of it. Default 3 s.
	NodeTimeout time.Duration
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
	if c.MaxConnsPerUser == 0 {
		c.MaxConnsPerUser = 16
	}
	if c.RingTimeout == 0 {
		c.RingTimeout = 60 * time.Second
	}
	if c.ControlRingTimeout == 0 {
		c.ControlRingTimeout = c.RingTimeout
	}
	if c.ParkTimeout == 0 {
		c.ParkTimeout = 5 * time.Minute
	}
	if c.PickupGuesses == 0 {
		c.PickupGuesses = 10
	}
	if c.ResumeGrace == 0 {
		c.ResumeGrace = 30 * time.Second
	}
	if c.PresenceCoalesce == 0 {
		c.PresenceCoalesce = 100 * time.Millisecond
	}
	if c.PresenceAllLimit == 0 {
		c.PresenceAllLimit = 100
	}
	if c.NodeTimeout == 0 {
		c.NodeTimeout = 3 * time.Second
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
	case c.MaxConnsPerUser < 1:
		return fmt.Errorf("%w: MaxConnsPerUser %d is below 1", ErrInvalidConfig, c.MaxConnsPerUser)
	case c.RingTimeout < 0:
		return fmt.Errorf("%w: RingTimeout %v is negative", ErrInvalidConfig, c.RingTimeout)
	case c.ControlRingTimeout < 0:
		return fmt.Errorf("%w: ControlRingTimeout %v is negative", ErrInvalidConfig, c.ControlRingTimeout)
	case c.ParkTimeout < 0:
		return fmt.Errorf("%w: ParkTimeout %v is negative", ErrInvalidConfig, c.ParkTimeout)
	case c.PickupGuesses < 1:
		return fmt.Errorf("%w: PickupGuesses %d is below 1", ErrInvalidConfig, c.PickupGuesses)
	case c.PresenceCoalesce < 0:
		return fmt.Errorf("%w: PresenceCoalesce %v is negative", ErrInvalidConfig, c.PresenceCoalesce)
	case c.NodeTimeout < 0:
		return fmt.Errorf("%w: NodeTimeout %v is negative", ErrInvalidConfig, c.NodeTimeout)
	case len(c.Version) > signaling.MaxVersionLen:
		return fmt.Errorf("%w: Version longer than %d bytes", ErrInvalidConfig, signaling.MaxVersionLen)
	}
	return c.Limits.validate()
}
