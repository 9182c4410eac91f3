package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/parley-voip/parley/crypto/identity"
	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/rtc"
	"github.com/parley-voip/parley/media/video"
	"github.com/parley-voip/parley/signaling"
)

// SignalConn is the Client's link to the organization server.
// *signaling.Conn implements it; tests wrap it to play man in the middle.
type SignalConn interface {
	Send(ctx context.Context, m *signaling.Message) error
	Recv(ctx context.Context) (*signaling.Message, error)
	Close() error
}

// DialFunc opens a SignalConn as user.
type DialFunc func(ctx context.Context, serverURL string, user signaling.User) (SignalConn, error)

// DefaultRingTimeout is how long an unanswered call rings, as on most phones.
const DefaultRingTimeout = 45 * time.Second

// DefaultSetupTimeout bounds an answered call's set-up (SDP, ICE, DTLS and
// the E2EE handshake): a call not Active by then ends. On loopback it takes well under a second; ICE
// through TURN on a poor network can take several.
const DefaultSetupTimeout = 20 * time.Second

// DefaultPolicyTimeout bounds the wait for the server's policy, which
// follows the welcome by a round trip; a server that never sends one (an
// older one) must not stop calls.
const DefaultPolicyTimeout = 2 * time.Second

// Config configures a Client.
type Config struct {
	ServerURL string
	// ServerURLs are the organization's other nodes, tried in turn when
	// the last one that answered does not, at sign-in and when the link
	// is lost during a call (failover.go).
	ServerURLs []string
	Me         Contact // ID and Name; Presence is ignored
	Settings   *Settings
	// Device is the sound device; audio.OpenDefault's result in the app, a
	// synthetic device in tests.
	Device   audio.Device
	Listener Listener
	// Token is the session token from sign-in; empty for a local
	// organization, which admits the person at the keyboard by name.
	Token string
	// HTTPClient reaches the server (pinned TLS after trust on first use);
	// http.DefaultClient when nil.
	HTTPClient *http.Client
	// OpenRinger opens a playback-only device with this id for the
	// ringtone, when Settings names a ringer output; nil: the ringtone
	// always plays on the call's speaker.
	OpenRinger func(playback string) (audio.Device, error)
	// Dial opens the server link; signaling.Dial with Token and HTTPClient
	// when nil.
	Dial DialFunc
	// Identity is this device's long-term identity key, which signs every
	// E2EE call's key agreement. When nil a fresh key is made for this
	// Client only (nothing is stored), so the peer sees a new device key
	// each time the app starts.
	Identity *identity.PrivateKey
	// Verified holds the verified contacts; an empty store in memory
	// when nil.
	Verified *VerifiedContacts
	// Camera opens this user's camera for a call, and Screen its screen
	// for sharing (callvideo.go); nil when there is none: the call
	// screen's button says so.
	Camera, Screen func() (video.Source, error)
	// RTC configures each call's peer connection; rtc.DefaultConfig() when zero.
	RTC          *rtc.Config
	RingTimeout  time.Duration
	SetupTimeout time.Duration
	// PolicyTimeout bounds how long a dial or an accept waits for the
	// server's policy after sign-in (DefaultPolicyTimeout when zero).
	PolicyTimeout time.Duration
	// ResumeWindow is how long a call in progress waits for the server
	// link to come back (resume.go) before it ends; DefaultResumeWindow
	// when zero.
	ResumeWindow time.Duration
	// MediaReportInterval is how often a call in progress logs its media
	// counters and path (mediareport.go), and the media watchdog looks at
	// them (mediawatch.go); DefaultMediaReportInterval when zero.
	MediaReportInterval time.Duration
	Logger              *slog.Logger

	// videoTap sees every picture a feed gets (tests: each one is scored).
	videoTap func(key string, fr video.Frame)

	// apiSession gives the HTTP API and token for call history; the
	// Softphone's (which opens one in its own local organization) or, by
	// default, ServerURL's with Token.
	apiSession func(ctx context.Context) (orgAPI, string, error)
}

// Validate reports what is missing.
func (c *Config) Validate() error {
	switch {
	case c.ServerURL == "":
		return fmt.Errorf("%w: no server URL", ErrInvalidConfig)
	case c.Me.ID == "":
		return fmt.Errorf("%w: no user id", ErrInvalidConfig)
	case c.Settings == nil:
		return fmt.Errorf("%w: no settings", ErrInvalidConfig)
	case c.Device == nil:
		return fmt.Errorf("%w: no audio device", ErrInvalidConfig)
	case c.Listener == nil:
		return fmt.Errorf("%w: no listener", ErrInvalidConfig)
	case c.RingTimeout < 0 || c.SetupTimeout < 0 || c.PolicyTimeout < 0 || c.ResumeWindow < 0 || c.MediaReportInterval < 0:
		return fmt.Errorf("%w: negative timeout", ErrInvalidConfig)
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.Dial == nil {
		var opts []signaling.DialOption
		if c.Token != "" {
			opts = append(opts, signaling.WithToken(c.Token))
		}
		if c.HTTPClient != nil {
			opts = append(opts, signaling.WithHTTPClient(c.HTTPClient))
		}
		c.Dial = func(ctx context.Context, url string, u signaling.User) (SignalConn, error) {
			return signaling.Dial(ctx, url, u, opts...)
		}
	}
	if len(c.ServerURLs) > 0 {
		c.Dial = newFailover(c.Dial, append([]string{c.ServerURL}, c.ServerURLs...)).Dial
	}
	if c.apiSession == nil {
		tok, hc := c.Token, c.HTTPClient
		base, err := parseServerURL(c.ServerURL)
		c.apiSession = func(context.Context) (orgAPI, string, error) {
			if tok == "" || err != nil {
				return orgAPI{}, "", ErrNoDirectory
			}
			a := orgAPI{base: base, hc: hc}
			if a.hc == nil {
				a.hc = http.DefaultClient
			}
			return a, tok, nil
		}
	}
	if c.RTC == nil {
		d := rtc.DefaultConfig()
		c.RTC = &d
	}
	if c.RTC.Logger == nil {
		r := *c.RTC
		r.Logger = c.Logger
		c.RTC = &r
	}
	if c.Identity == nil {
		k, err := identity.Generate(nil)
		if err != nil { // crypto/rand does not fail on supported systems
			panic(err)
		}
		c.Identity = k
	}
	if c.Verified == nil {
		c.Verified = NewVerifiedContacts()
	}
	if c.RingTimeout == 0 {
		c.RingTimeout = DefaultRingTimeout
	}
	if c.SetupTimeout == 0 {
		c.SetupTimeout = DefaultSetupTimeout
	}
	if c.PolicyTimeout == 0 {
		c.PolicyTimeout = DefaultPolicyTimeout
	}
	if c.ResumeWindow == 0 {
		c.ResumeWindow = DefaultResumeWindow
	}
	if c.MediaReportInterval == 0 {
		c.MediaReportInterval = DefaultMediaReportInterval
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Me.Name == "" {
		c.Me.Name = c.Me.ID
	}
	return c
}
