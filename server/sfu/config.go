package sfu

import (
	"fmt"
	"log/slog"
	"net"
	"time"
)

// Config configures a Service. The zero value is usable: Validate accepts
// it and New fills in the defaults.
type Config struct {
	// PublicIPs are the addresses clients on other machines reach the
	// service at (a 1:1 NAT's public address, say). They replace the host
	// candidates' addresses; empty means the interfaces' own addresses.
	PublicIPs []string
	// PortMin..PortMax is the UDP port range the service's ICE agents use
	// (firewall this range open). Both zero: any ephemeral port. Each
	// participant's connection takes one port of the range on each of the
	// service's addresses, so the range holds PortMax−PortMin+1
	// connections at once; Join refuses the next with ErrPortsExhausted
	// (it would gather no candidate, and its connection would fail half a
	// minute later). A port freed by someone who left is soon taken again:
	// the checks their client still sends reach the newcomer's connection,
	// which discards them (pion's ICE "username mismatch" warnings).
	PortMin, PortMax uint16
	// IncludeLoopback offers 127.0.0.1 candidates (the app's local
	// organization, tests).
	IncludeLoopback bool
	// MaxParticipants bounds one room; DefaultMaxParticipants when zero.
	MaxParticipants int
	// PacketRate and PacketBurst bound what one participant may send (RTP
	// packets per second, token bucket); packets beyond are dropped and
	// counted, the others' audio is not affected. Defaults:
	// DefaultPacketRate, DefaultPacketBurst.
	PacketRate  int
	PacketBurst int
	// VideoPacketRate and VideoPacketBurst bound each of a participant's
	// video tracks the same way; defaults DefaultVideoPacketRate,
	// DefaultVideoPacketBurst.
	VideoPacketRate  int
	VideoPacketBurst int
	// KeyframeInterval is the least time between two key frame requests
	// (PLI) the service sends one video track; the requests within it are
	// coalesced into one at its end. DefaultKeyframeInterval when zero.
	KeyframeInterval time.Duration
	// MaxVideoBitrate caps the bitrate the service asks a sender of one
	// video track for (REMB, bit/s); DefaultMaxVideoBitrate when zero.
	MaxVideoBitrate int
	// HoldMusic is an Ogg Opus file (one packet per page, 48 kHz) played to
	// the other participants while someone holds the call; the embedded
	// default asset when nil.
	HoldMusic []byte
	// SpeakingWindow: a participant counts as speaking for this long after
	// a loud packet; DefaultSpeakingWindow when zero.
	SpeakingWindow time.Duration
	// Logger; slog.Default() when nil.
	Logger *slog.Logger
}

// Defaults.
const (
	DefaultMaxParticipants = 32
	// 10 ms Opus frames are 100 packets/s; twice that leaves room for a
	// burst after a network stall.
	DefaultPacketRate     = 200
	DefaultPacketBurst    = 100
	DefaultSpeakingWindow = 400 * time.Millisecond
	// 2.5 Mbit/s of 720p video in 1200-byte packets is about 260
	// packets/s; four times that covers a screen share's bursts. A key
	// frame of 720p is up to about 100 kB, some 90 packets at once: the
	// burst takes a few of them.
	DefaultVideoPacketRate  = 1000
	DefaultVideoPacketBurst = 500
	DefaultKeyframeInterval = 500 * time.Millisecond
	DefaultMaxVideoBitrate  = 2_500_000 // 720p at 30 frames/s
)

// Validate reports configuration errors.
func (c Config) Validate() error {
	for _, ip := range c.PublicIPs {
		if net.ParseIP(ip) == nil {
			return fmt.Errorf("%w: public address %q is not an IP address", ErrInvalidConfig, ip)
		}
	}
	if (c.PortMin == 0) != (c.PortMax == 0) || c.PortMin > c.PortMax {
		return fmt.Errorf("%w: UDP port range %d-%d", ErrInvalidConfig, c.PortMin, c.PortMax)
	}
	if c.MaxParticipants < 0 || c.PacketRate < 0 || c.PacketBurst < 0 || c.SpeakingWindow < 0 ||
		c.VideoPacketRate < 0 || c.VideoPacketBurst < 0 || c.KeyframeInterval < 0 || c.MaxVideoBitrate < 0 {
		return fmt.Errorf("%w: negative limit", ErrInvalidConfig)
	}
	return nil
}

// ports is how many connections the port range holds; 0: no limit.
func (c Config) ports() int64 {
	if c.PortMin == 0 {
		return 0
	}
	return int64(c.PortMax) - int64(c.PortMin) + 1
}

func (c Config) withDefaults() Config {
	if c.MaxParticipants == 0 {
		c.MaxParticipants = DefaultMaxParticipants
	}
	if c.PacketRate == 0 {
		c.PacketRate = DefaultPacketRate
	}
	if c.PacketBurst == 0 {
		c.PacketBurst = DefaultPacketBurst
	}
	if c.VideoPacketRate == 0 {
		c.VideoPacketRate = DefaultVideoPacketRate
	}
	if c.VideoPacketBurst == 0 {
		c.VideoPacketBurst = DefaultVideoPacketBurst
	}
	if c.MaxVideoBitrate == 0 {
		c.MaxVideoBitrate = DefaultMaxVideoBitrate
	}
	if c.KeyframeInterval == 0 {
		c.KeyframeInterval = DefaultKeyframeInterval
	}
	if c.SpeakingWindow == 0 {
		c.SpeakingWindow = DefaultSpeakingWindow
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}
