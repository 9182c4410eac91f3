package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"sync"
	"sync/atomic"
	"time"

	"github.com/parley-voip/parley/crypto/identity"
	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/video"
)

// SoftphoneConfig configures the desktop app's controller.
type SoftphoneConfig struct {
	Prefs Preferences
	// OpenDevice opens the sound device with the given capture and
	// playback ids ("" = the system default).
	OpenDevice func(capture, playback string) (audio.Device, error)
	// OpenRinger opens a playback-only device for the ringtone (Settings →
	// Devices → Ringer); nil: the ringtone plays on the speaker.
	OpenRinger func(playback string) (audio.Device, error)
	// ListDevices lists the sound devices for Settings; audio.Devices when nil.
	ListDevices func() (audio.DeviceList, error)
	// OpenCamera opens the camera with this id ("" = the first) at the
	// call size, and ListCameras lists them (video.OpenCamera and
	// video.Cameras in the app; a video.Pattern in tests and demos);
	// without a camera the call screen says "No camera found".
	OpenCamera  func(id string) (video.Source, error)
	ListCameras func() []video.Camera
	// OpenScreen opens the screen to share (video.OpenScreen of the app's
	// own display); nil: no screen sharing.
	OpenScreen func() (video.Source, error)
	// Dial replaces the signaling dialer (tests); signaling.Dial when nil.
	Dial DialFunc
	// StartLocalOrg runs the local organization server (main.go: package
	// server/org); without it the app can only join organizations.
	StartLocalOrg StartLocalOrgFunc
	// DataDir is the app's data folder: this device's identity key
	// (IdentityKeyFile), the verified contacts (VerifiedContactsFile) and
	// the local organization's data, if the user starts one. When empty
	// (tests) the identity key and verifications live in memory only.
	DataDir string
	Logger  *slog.Logger
	// AutoAnswer accepts every incoming call, and AutoCall dials that user
	// id once, as soon as they are online: for demos and for the real-window
	// screenshot, which have nobody to click.
	AutoAnswer bool
	AutoCall   string
	// AutoCamera turns the camera on as each call becomes active (demos,
	// the video call screenshot); AutoScreenShare the screen share
	// (scripts/test-windows.sh).
	AutoCamera      bool
	AutoScreenShare bool
}

// Validate reports what is missing.
func (c *SoftphoneConfig) Validate() error {
	switch {
	case c.Prefs == nil:
		return fmt.Errorf("%w: no preferences", ErrInvalidConfig)
	case c.OpenDevice == nil:
		return fmt.Errorf("%w: no audio device opener", ErrInvalidConfig)
	}
	return nil
}

// Softphone is what the window talks to: first-start choices, the local
// organization's server when there is one, and the signed-in Client,
// reconnected when the link drops.
type Softphone struct {
	cfg      SoftphoneConfig
	settings *Settings
	log      *slog.Logger
	identity *identity.PrivateKey // this device's, for every sign-in
	verified *VerifiedContacts

	// client is read by UI actions and replaced by keepSignedIn on
	// reconnect without taking mu, which stopLocked holds while it waits.
	client atomic.Pointer[Client]

	ui       atomic.Pointer[Listener]
	sessions sessions // numbers sign-ins (session.go)
	// reconnect is the running session's backoff (ReconnectAt).
	reconnect atomic.Pointer[reconnectPlan]
	policy    atomic.Pointer[Policy]
	autoDone  bool // AutoCall placed; only touched on the Client goroutine
	autoSeen  bool // AutoCall's callee is online; ditto
	// autoCameraFor and autoScreenFor are the calls AutoCamera and
	// AutoScreenShare turned their video on in; ditto.
	autoCameraFor, autoScreenFor string

	mu     sync.Mutex
	local  LocalOrg
	api    orgAPI // the signed-in organization's HTTP API; zero when local
	cancel context.CancelFunc
	done   chan struct{}
	// localToken is this app's session in its own local organization,
	// opened without a password when the HTTP API is first needed.
	localToken string
}

// NewSoftphone checks cfg.
func NewSoftphone(cfg SoftphoneConfig) (*Softphone, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Softphone{cfg: cfg, settings: NewSettings(cfg.Prefs), log: cfg.Logger}
	if cfg.DataDir == "" {
		k, err := identity.Generate(nil)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrIdentityKey, err)
		}
		s.identity, s.verified = k, NewVerifiedContacts()
		return s, nil
	}
	k, created, err := LoadOrCreateIdentity(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if created {
		s.log.Info("made this device's identity key", "fingerprint", k.Public().Fingerprint())
	}
	v, err := OpenVerifiedContactsIn(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	s.identity, s.verified = k, v
	return s, nil
}

// SetListener sets where state changes go (the window); call it before
// signing in.
func (s *Softphone) SetListener(l Listener) { s.ui.Store(&l) }

func (s *Softphone) listener() Listener {
	if l := s.ui.Load(); l != nil {
		return *l
	}
	return nopListener{}
}

type nopListener struct{}

func (nopListener) Connected(Contact, error)             {}
func (nopListener) ContactsChanged([]Contact)            {}
func (nopListener) CallChanged(CallInfo)                 {}
func (nopListener) PolicyChanged(Policy)                 {}
func (nopListener) Notice(string)                        {}
func (nopListener) ChatChanged(Conversation)             {}
func (nopListener) CallHistoryChanged(CallHistoryUpdate) {}

// CallElsewhere implements CallElsewhereListener for the window.
func (s *Softphone) CallElsewhere(on bool) {
	if l, ok := s.listener().(CallElsewhereListener); ok {
		l.CallElsewhere(on)
	}
}

// Notice implements Listener.
func (s *Softphone) Notice(text string) { s.listener().Notice(text) }

// CallHistoryChanged implements Listener.
func (s *Softphone) CallHistoryChanged(u CallHistoryUpdate) { s.listener().CallHistoryChanged(u) }

// ChatChanged implements Listener; it forwards to the window.
func (s *Softphone) ChatChanged(c Conversation) { s.listener().ChatChanged(c) }

// PolicyChanged implements Listener: remember the policy for the Settings
// screen, then tell the window.
func (s *Softphone) PolicyChanged(p Policy) {
	s.policy.Store(&p)
	s.listener().PolicyChanged(p)
	s.autoCall()
}

// Connected implements Listener for the Client; it forwards to the window.
// A lost link is planned for first, so the window's countdown is
// keepSignedIn's.
func (s *Softphone) Connected(me Contact, err error) {
	if p := s.reconnect.Load(); p != nil {
		switch {
		case err == nil:
			p.welcomed(time.Now())
		case !signedOut(err):
			p.lost(time.Now())
		}
	}
	if err == nil {
		s.log.Info("signed in", "user", me.ID)
	}
	s.listener().Connected(me, err)
}

// keepSignedIn runs the client and reconnects after a lost link, backing
// off from 1 s up to 30 s (reconnectPlan), until the session is stopped.
func (s *Softphone) keepSignedIn(ctx context.Context, first *Client, plan *reconnectPlan, done chan struct{}) {
	defer close(done)
	client := first
	defer func() {
		// The last client's device: SwitchDevice may have replaced the first.
		if c, ok := client.cfg.Device.(io.Closer); ok {
			_ = c.Close()
		}
	}()
	for {
		err := client.Run(ctx)
		if ctx.Err() != nil {
			return
		}
		if signedOut(err) {
			// The session is gone (signed out elsewhere, revoked, expired):
			// reconnecting cannot help; the window shows the sign-in screen.
			s.settings.SetSession("")
			client.cfg.Listener.Connected(client.Me(), fmt.Errorf("%w: %w", ErrSignedOut, err))
			return
		}
		at := plan.lost(time.Now()) // planned already when Run reported the loss
		s.log.Warn("link lost", "err", err, "retry in", time.Until(at).Round(time.Millisecond))
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Until(at)):
		}
		plan.dialing()
		next, err := NewClient(client.cfg)
		if err != nil {
			return
		}
		next.adopt(client)
		s.client.Store(next)
		client = next
	}
}

func (s *Softphone) stopLocked() {
	s.endSession()
	if s.cancel != nil {
		s.cancel()
		<-s.done
		s.cancel = nil
		s.client.Store(nil)
	}
}

// Close signs out and stops the local server.
func (s *Softphone) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopLocked()
	if s.local != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		err := s.local.Shutdown(ctx)
		s.local = nil
		return err
	}
	return nil
}

func (s *Softphone) withClient(f func(*Client)) {
	if c := s.client.Load(); c != nil {
		f(c)
	}
}

// AudioOptions is what Settings → Audio shows.
type AudioOptions struct {
	Devices          audio.DeviceList
	CaptureID        string
	PlaybackID       string
	RingerID         string // "" = the speaker
	EchoCancellation bool
	NoiseSuppression bool
	Problem          string // why the device list is missing, if it is
}
