package rtc

import (
	"fmt"
	"log/slog"

	"github.com/pion/webrtc/v4"
)

// Config configures a Peer. Start from DefaultConfig: the zero value leaves
// loopback candidates out.
type Config struct {
	// ICEServers are STUN/TURN servers; empty means host candidates only.
	ICEServers []webrtc.ICEServer
	// IncludeLoopback gathers 127.0.0.1 candidates, so two Parley windows on
	// one machine without a network still connect.
	IncludeLoopback bool
	// There is deliberately no way to pass a pion SettingEngine: several of
	// its options turn off or weaken the DTLS certificate check the E2EE
	// binding relies on (DisableCertificateFingerprintVerification,
	// SetDTLSClientAuth, SetDTLSVerifyPeerCertificate hooks, a key log
	// writer). What the peer needs is set here, field by field.
	// Logger receives the wrapper's and pion's logs; slog.Default() when nil.
	Logger *slog.Logger
	// Service makes a peer for the organization's media service rather
	// than another client (service.go): it answers the service's offers,
	// renegotiations included, and receives one track per other
	// participant.
	Service bool
	// MaxQueuedCandidates bounds the remote candidates held back until the
	// remote description arrives; DefaultMaxQueuedCandidates when zero.
	MaxQueuedCandidates int

	// tweakSettings lets this package's tests reach the pion settings (to
	// prove that the post-handshake certificate check stands on its own).
	// It is unexported so that no other package can use it.
	tweakSettings func(*webrtc.SettingEngine)
}

// DefaultMaxQueuedCandidates is larger than any honest peer sends before its
// description (a host has a handful of interfaces × UDP/TCP), small enough
// that a flood cannot grow memory.
const DefaultMaxQueuedCandidates = 64

// DefaultConfig returns the configuration for a call between two clients:
// host candidates including loopback, no STUN/TURN.
func DefaultConfig() Config {
	return Config{IncludeLoopback: true}
}

// Validate reports configuration errors; NewPeer calls it.
func (c Config) Validate() error {
	if c.MaxQueuedCandidates < 0 {
		return fmt.Errorf("%w: MaxQueuedCandidates %d is negative", ErrInvalidConfig, c.MaxQueuedCandidates)
	}
	for i, s := range c.ICEServers {
		if len(s.URLs) == 0 {
			return fmt.Errorf("%w: ICE server %d has no URLs", ErrInvalidConfig, i)
		}
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.MaxQueuedCandidates == 0 {
		c.MaxQueuedCandidates = DefaultMaxQueuedCandidates
	}
	return c
}
