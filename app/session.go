package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"
)

// ErrUserSignedOut is what the listener hears after the user chose Sign
// out: the window goes back to the sign-in screen, with the last server and
// user filled in (LastSignIn), and without "your session has ended".
var ErrUserSignedOut = fmt.Errorf("%w by the user", ErrSignedOut)

// prefLastLogin is the user name or email last typed at sign-in. Part of
// the on-disk format, like the keys in settings.go.
const prefLastLogin = "signin.last_login"

// LastSignIn is what the sign-in screen fills in after a sign-out: the
// server address and user name of the last sign-in ("" when none).
func (s *Softphone) LastSignIn() (server, login string) {
	if o, ok := s.settings.Organization(); ok && !o.Local {
		server = o.ServerURL
	}
	return server, s.cfg.Prefs.String(prefLastLogin)
}

// sessions numbers sign-ins: each Client reports through a sessionListener
// stamped with its number, and once the session is stopped (signed out,
// signed in again elsewhere) whatever it still reports is dropped. Without
// it, the link closing under a sign-out reached the window after the
// sign-in screen and left a stale home screen ("Not connected … signed
// out").
type sessions struct{ current atomic.Uint64 }

// next starts a new session and returns its listener.
func (s *Softphone) nextSession() Listener {
	return sessionListener{s: s, gen: s.sessions.current.Add(1)}
}

// endSession drops everything the running session still reports.
func (s *Softphone) endSession() { s.sessions.current.Add(1) }

type sessionListener struct {
	s   *Softphone
	gen uint64
}

// to is where the session's events go: the Softphone while the session
// is the current one, nowhere once it has been stopped. Every Listener
// method below is this one check and a forward.
func (l sessionListener) to() Listener {
	if l.s.sessions.current.Load() == l.gen {
		return l.s
	}
	return nopListener{}
}

func (l sessionListener) Connected(me Contact, err error)        { l.to().Connected(me, err) }
func (l sessionListener) ContactsChanged(cs []Contact)           { l.to().ContactsChanged(cs) }
func (l sessionListener) CallChanged(c CallInfo)                 { l.to().CallChanged(c) }
func (l sessionListener) PolicyChanged(p Policy)                 { l.to().PolicyChanged(p) }
func (l sessionListener) Notice(text string)                     { l.to().Notice(text) }
func (l sessionListener) ChatChanged(c Conversation)             { l.to().ChatChanged(c) }
func (l sessionListener) CallHistoryChanged(u CallHistoryUpdate) { l.to().CallHistoryChanged(u) }

// CallElsewhere implements CallElsewhereListener (nopListener does not).
func (l sessionListener) CallElsewhere(on bool) {
	if x, ok := l.to().(CallElsewhereListener); ok {
		x.CallElsewhere(on)
	}
}

// signedOutEvent tells the window the user signed out.
func (s *Softphone) signedOutEvent(me Contact) {
	s.listener().Connected(me, ErrUserSignedOut)
}

// ReconnectAt is when the app dials the server again after losing the
// link, as keepSignedIn's backoff planned it (zero while the link is up
// or a dial is under way): the window counts down to it.
func (s *Softphone) ReconnectAt() time.Time {
	if p := s.reconnect.Load(); p != nil {
		return p.next()
	}
	return time.Time{}
}

// prefOrgName is the organization's name as its server gave it at
// sign-in (GET /api/info), kept for the next start.
const prefOrgName = "org.name"

// rememberOrgName asks the server for the organization's name; a server
// that does not say leaves the last one.
func (s *Softphone) rememberOrgName(ctx context.Context, api orgAPI) {
	var info struct {
		Organization string `json:"organization"`
	}
	if err := api.do(ctx, http.MethodGet, "/api/info", "", nil, &info); err == nil {
		s.cfg.Prefs.SetString(prefOrgName, info.Organization)
	}
}

// OrganizationName is the name of the organization signed in to: the
// server's, "This computer" for a local organization, else the server's
// address.
func (s *Softphone) OrganizationName() string {
	o, ok := s.settings.Organization()
	switch {
	case !ok:
		return ""
	case o.Local:
		return "This computer"
	}
	if n := s.cfg.Prefs.String(prefOrgName); n != "" {
		return n
	}
	if u, err := url.Parse(o.ServerURL); err == nil {
		return u.Host
	}
	return o.ServerURL
}
