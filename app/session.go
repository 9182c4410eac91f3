package app

import (
	"fmt"
	"sync/atomic"
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

func (l sessionListener) live() bool { return l.s.sessions.current.Load() == l.gen }

func (l sessionListener) Connected(me Contact, err error) {
	if l.live() {
		l.s.Connected(me, err)
	}
}

func (l sessionListener) ContactsChanged(cs []Contact) {
	if l.live() {
		l.s.ContactsChanged(cs)
	}
}

func (l sessionListener) CallChanged(c CallInfo) {
	if l.live() {
		l.s.CallChanged(c)
	}
}

func (l sessionListener) PolicyChanged(p Policy) {
	if l.live() {
		l.s.PolicyChanged(p)
	}
}

func (l sessionListener) Notice(text string) {
	if l.live() {
		l.s.Notice(text)
	}
}

func (l sessionListener) ChatChanged(c Conversation) {
	if l.live() {
		l.s.ChatChanged(c)
	}
}

// signedOutEvent tells the window the user signed out.
func (s *Softphone) signedOutEvent(me Contact) {
	s.listener().Connected(me, ErrUserSignedOut)
}
