package rtc

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/pion/transport/v5"
	"github.com/pion/webrtc/v4"
)

// Config configures a Peer. Start from DefaultConfig: the zero value leaves
// loopback candidates out.
type Config struct {
	// ICEServers are STUN/TURN servers; empty means host candidates only.
	ICEServers []webrtc.ICEServer
	// RelayOnly gathers and uses relayed (TURN) candidates only
	// (ICETransportPolicy relay): the peer never learns this host's
	// addresses. It needs a TURN server in ICEServers.
	RelayOnly bool
	// Net is the network the peer gathers and connects on; the operating
	// system's when nil. Tests pass a pion vnet (virtual NATs, cut links).
	Net transport.Net
	// IncludeLoopback gathers 127.0.0.1 candidates, so two Parley windows on
	// one machine without a network still connect.
	IncludeLoopback bool
	// There is deliberately no way to pass a pion SettingEngine: several of
	// its options turn off or weaken the DTLS certificate check the E2EE
	// binding relies on (DisableCertificateFingerprintVerification,
	// SetDTLSClientAuth, SetDTLSVerifyPeerCertificate hooks, a key log
	// writer). What the peer needs is set here, field by field.
	// RelayAcceptanceWait is how long ICE keeps looking for a direct pair
	// before it settles for a relayed one (pion's 2 s when zero; none with
	// RelayOnly, where nothing better can come).
	RelayAcceptanceWait time.Duration
	// DisconnectedTimeout and FailedTimeout are how long without a packet
	// ICE waits before it reports StateDisconnected, then StateFailed
	// (pion's 5 s and 25 s when zero). A failed connection recovers only by
	// an ICE restart (Peer.RestartICE).
	DisconnectedTimeout, FailedTimeout time.Duration
	// Logger receives the wrapper's and pion's logs; slog.Default() when nil.
	Logger *slog.Logger
	// Service makes a peer for the organization's media service rather
	// than another client (service.go): it answers the service's offers,
	// renegotiations included, and receives one track per other
	// participant.
	Service bool
	// Video sets the peer up for video tracks (AddVideoTrack,
	// OnVideoTrack): VP8, NACK, PLI/FIR, TWCC and congestion control.
	Video bool
	// SealedVideo (implies Video) sends and expects video frames that are
	// SFrame ciphertext, packetized whole (videopacket.go): set it on both
	// sides of an E2EE call.
	SealedVideo bool
	// MaxQueuedCandidates bounds the remote candidates held back until the
	// remote description arrives; DefaultMaxQueuedCandidates when zero.
	MaxQueuedCandidates int

	// tweakSettings lets this package's tests reach the pion settings (to
	// prove that the post-handshake certificate check stands on its own).
	// It is unexported so that no other package can use it.
	tweakSettings func(*webrtc.SettingEngine)
}

// iceKeepalive is how often ICE sends a binding request on a quiet pair
// (pion's default); audio keeps a call's pair busy anyway.
const iceKeepalive = 2 * time.Second

// pion's ICE timeouts, for a Config that sets only one of them.
const (
	pionDisconnectedTimeout = 5 * time.Second
	pionFailedTimeout       = 25 * time.Second
)

// DefaultMaxQueuedCandidates is larger than any honest peer sends before its
// description (a host has a handful of interfaces × UDP/TCP), small enough
// that a flood cannot grow memory.
const DefaultMaxQueuedCandidates = 64

// DefaultConfig returns the configuration for a call between two clients:
// host candidates including loopback, no STUN/TURN, and ICE timeouts
// (DefaultDisconnectedTimeout, DefaultFailedTimeout) that let the call
// layer restart ICE after a few seconds of silence.
func DefaultConfig() Config {
	return Config{
		IncludeLoopback:     true,
		RelayAcceptanceWait: DefaultRelayAcceptanceWait,
		DisconnectedTimeout: DefaultDisconnectedTimeout,
		FailedTimeout:       DefaultFailedTimeout,
	}
}

// DefaultRelayAcceptanceWait: host pairs answer their checks within tens of
// milliseconds and server-reflexive ones within a round trip to the STUN
// server, so half a second is enough to prefer them, and a call that can
// only be relayed (two NATs) is not held back 2 s.
const DefaultRelayAcceptanceWait = 500 * time.Millisecond

// A call that hears nothing for DefaultDisconnectedTimeout is
// disconnected (the app restarts ICE); a set-up or a restart that finds no
// working pair within the sum of the two has failed. 15 s leaves a relayed
// set-up on a slow network room.
const (
	DefaultDisconnectedTimeout = 3 * time.Second
	DefaultFailedTimeout       = 12 * time.Second
)

// Validate reports configuration errors; NewPeer calls it.
func (c Config) Validate() error {
	if c.DisconnectedTimeout < 0 || c.FailedTimeout < 0 || c.RelayAcceptanceWait < 0 {
		return fmt.Errorf("%w: negative ICE timeout", ErrInvalidConfig)
	}
	if c.MaxQueuedCandidates < 0 {
		return fmt.Errorf("%w: MaxQueuedCandidates %d is negative", ErrInvalidConfig, c.MaxQueuedCandidates)
	}
	if c.RelayOnly && len(c.ICEServers) == 0 {
		return fmt.Errorf("%w: RelayOnly without a TURN server", ErrInvalidConfig)
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
