package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/parley-voip/parley/signaling"
)

// ErrSignedOut means the server no longer accepts the saved session; the
// user must sign in again.
var ErrSignedOut = errors.New("signed out")

// signInTimeout bounds each HTTP step of signing in.
const signInTimeout = 20 * time.Second

// localAddrKey remembers the local organization's port, so others on this
// computer who joined it find it again after a restart.
const localAddrKey = "org.local_addr"

// StartLocal runs the organization server inside the app on loopback, with
// its data in the app's data directory, and signs in to it as name. It is
// the full server (accounts, chat, policies), admitting the people at this
// computer by name.
func (s *Softphone) StartLocal(name string) error {
	id := UserID(name)
	if id == "" {
		return errors.New("the name needs at least one letter or digit")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.local == nil {
		o, err := s.openLocalOrg()
		if err != nil {
			return fmt.Errorf("start the local organization: %w", err)
		}
		s.local = o
		s.cfg.Prefs.SetString(localAddrKey, o.Addr())
	}
	s.settings.SetOrganization(Organization{Local: true})
	return s.signInLocked(session{url: s.local.URL(), me: Contact{ID: id, Name: name}})
}

func (s *Softphone) openLocalOrg() (LocalOrg, error) {
	if s.cfg.DataDir == "" {
		return nil, errors.New("no data directory for the local organization")
	}
	if s.cfg.StartLocalOrg == nil {
		return nil, errors.New("this build has no local organization")
	}
	open := func(addr string) (LocalOrg, error) {
		return s.cfg.StartLocalOrg(context.Background(), filepath.Join(s.cfg.DataDir, "local-org"), addr, s.log)
	}
	if host, _, err := net.SplitHostPort(s.cfg.Prefs.String(localAddrKey)); err == nil && host == "127.0.0.1" {
		if o, err := open(s.cfg.Prefs.String(localAddrKey)); err == nil {
			return o, nil
		}
	}
	return open("127.0.0.1:0")
}

// LocalServerURL is the address others on this computer can join, or "".
func (s *Softphone) LocalServerURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.local == nil {
		return ""
	}
	return s.local.BaseURL()
}

// OrganizationInfo tells where others can join a local organization.
func (s *Softphone) OrganizationInfo() string {
	if u := s.LocalServerURL(); u != "" {
		return "Local organization: others on this computer join " + u + " with their name and no password"
	}
	return ""
}

// SignIn signs in to an organization's server. An empty password joins a
// local organization on this computer by name. A server whose certificate
// nobody vouches for and that is not pinned yet returns
// *UntrustedServerError: show its fingerprint, and TrustServer it if the
// user accepts, then sign in again.
//
// Errors are *SignInError: a short sentence for the person, naming the
// field to fix. An address without a scheme is tried with https and, on
// loopback only, with plain http when nothing there speaks TLS.
func (s *Softphone) SignIn(serverURL, login, password string) error {
	err := s.signIn(serverURL, login, password)
	if err != nil {
		s.log.Info("sign-in failed", "server", serverURL, "err", err)
	}
	return humanSignInError(err)
}

func (s *Softphone) signIn(serverURL, login, password string) error {
	base, err := parseServerURL(serverURL)
	if err != nil {
		m := MsgNotAnAddress
		if strings.Contains(err.Error(), "plain http") {
			m = MsgPlainHTTP
		}
		return &SignInError{Field: FieldServer, Message: m, Err: err}
	}
	base = resolveScheme(serverURL, base)
	if password == "" {
		if base.Scheme != "http" {
			return &SignInError{Field: FieldPassword, Message: MsgNeedPassword}
		}
		return s.join(base, login)
	}
	pin := s.settings.Pin(base.Host)
	api := newOrgAPI(base, pin)
	ctx, cancel := context.WithTimeout(context.Background(), signInTimeout)
	defer cancel()
	if base.Scheme == "https" && pin == "" {
		if err := api.probe(ctx); err != nil {
			return err
		}
	}
	token, me, err := api.signIn(ctx, login, password)
	if err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	s.rememberOrgName(ctx, api)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings.SetOrganization(Organization{ServerURL: base.String()})
	s.settings.SetSession(token)
	s.cfg.Prefs.SetString(prefLastLogin, login)
	return s.signInLocked(session{url: signalingURL(base), me: me, token: token, api: api})
}

// join enters a local organization on this computer by name.
func (s *Softphone) join(base *url.URL, name string) error {
	id := UserID(name)
	if id == "" {
		return &SignInError{Field: FieldUser, Message: MsgNeedNameChars}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings.SetOrganization(Organization{ServerURL: base.String()})
	s.settings.SetSession("")
	s.cfg.Prefs.SetString(prefLastLogin, name)
	return s.signInLocked(session{url: signalingURL(base), me: Contact{ID: id, Name: name}})
}

// TrustServer pins the certificate fingerprint the user accepted for host.
func (s *Softphone) TrustServer(host, fingerprint string) {
	s.settings.SetPin(host, fingerprint)
}

// Resume signs in again with what the last run saved; false on first start
// or when the user must sign in again.
func (s *Softphone) Resume() (bool, error) {
	saved, ok := s.settings.Organization()
	id, name := s.settings.Identity()
	if !ok || id == "" {
		return false, nil
	}
	if saved.Local {
		return true, s.StartLocal(name)
	}
	base, err := parseServerURL(saved.ServerURL)
	if err != nil {
		return false, nil
	}
	token := s.settings.Session()
	if token == "" && base.Scheme == "https" {
		return false, nil // signed out: the sign-in screen asks for the password
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	api := newOrgAPI(base, s.settings.Pin(base.Host))
	return true, s.signInLocked(session{url: signalingURL(base), me: Contact{ID: id, Name: name}, token: token, api: api})
}

// SignOut ends the session on the server and forgets it here.
func (s *Softphone) SignOut() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.endSession() // from now on the closing link is not news
	var me Contact
	if c := s.client.Load(); c != nil {
		me = c.Me()
	}
	defer s.signedOutEvent(me)
	if api, token := s.api, s.settings.Session(); token != "" && api.base != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := api.do(ctx, "POST", "/api/signout", token, nil, nil); err != nil {
			s.log.Warn("sign out", "err", err)
		}
	}
	s.settings.SetSession("")
	s.settings.SetIdentity("", "")
	s.stopLocked()
}

// session is what signing in established.
type session struct {
	url   string // signaling URL
	me    Contact
	token string // empty in a local organization
	api   orgAPI // zero in a local organization
}

func (s *Softphone) signInLocked(se session) error {
	s.stopLocked()
	dev, err := s.cfg.OpenDevice(s.settings.AudioDevices())
	if err != nil {
		return fmt.Errorf("open the sound device: %w", err)
	}
	cfg := Config{
		ServerURL:  se.url,
		Me:         se.me,
		Settings:   s.settings,
		Device:     dev,
		Listener:   s.nextSession(),
		Token:      se.token,
		Dial:       s.cfg.Dial,
		OpenRinger: s.cfg.OpenRinger,
		Camera:     s.cameraOpener(),
		Screen:     s.cfg.OpenScreen,
		Identity:   s.identity,
		Verified:   s.verified,
		Logger:     s.log,

		apiSession: s.apiSession,
	}
	if se.api.hc != nil {
		cfg.HTTPClient = se.api.hc
	}
	client, err := NewClient(cfg)
	if err != nil {
		return err
	}
	s.api = se.api
	s.settings.SetIdentity(se.me.ID, se.me.Name)
	ctx, cancel := context.WithCancel(context.Background())
	s.client.Store(client)
	s.cancel, s.done = cancel, make(chan struct{})
	plan := &reconnectPlan{}
	s.reconnect.Store(plan)
	go s.keepSignedIn(ctx, client, plan, s.done)
	return nil
}

// signedOut reports whether err means the server refuses the session.
func signedOut(err error) bool {
	var se *signaling.ServerError
	var ce *signaling.CloseError
	return errors.As(err, &se) && se.Code == signaling.CodeUnauthorized ||
		errors.As(err, &ce) && ce.Code == signaling.CloseSignedOut
}

// UserID turns a display name into a user id for a local organization:
// lower case letters, digits and dashes.
func UserID(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
