package server

import (
	"crypto/rand"
	"math/big"
	"time"

	"github.com/parley-voip/parley/signaling"
)

// park vacates c's place in m.CallID for a pickup by code (control state
// ctlParked, callctl.go): the other party hears music, every device of c
// gets the code, and after ParkTimeout c is rung back. Guarded by h.mu.
func (h *hub) park(c *conn, m *signaling.Message) error {
	k := h.calls[m.CallID]
	if err := h.controllable(c, k); err != nil {
		return err
	}
	code := h.newPickupCode()
	ctl := &control{state: ctlParked, code: code}
	stayer := k.peer(c)
	expires := time.Now().Add(h.cfg.ParkTimeout)
	h.vacate(k, c, ctl, signaling.ReasonParked)
	h.parked[code] = k
	ctl.timer = h.after(h.cfg.ParkTimeout, func() {
		if h.calls[k.id] == k && k.ctl == ctl {
			h.step(k, evTimeout, nil, signaling.ReasonNoAnswer)
		}
	})
	note := &signaling.CallControl{State: signaling.StateParked, By: c.user.ID, ByName: c.user.Name,
		Party: stayer.user.ID, PartyName: stayer.user.Name}
	stayer.send(controlMessage(k.id, note))
	withCode := *note
	withCode.Code, withCode.Expires = code, expires.UnixMilli()
	h.tellUser(c.user.ID, controlMessage(k.id, &withCode))
	return nil
}

// pickup connects c to the call parked with m.Control.Code. Codes that
// match nothing count against c's user (PickupGuesses per ParkTimeout).
// Guarded by h.mu.
func (h *hub) pickup(c *conn, m *signaling.Message) error {
	if !h.guesses.allow(c.user.ID, time.Now()) {
		return ErrTooManyGuesses
	}
	k := h.parked[m.Control.Code]
	if k == nil {
		h.guesses.miss(c.user.ID, time.Now(), h.cfg.ParkTimeout)
		return ErrUnknownCode
	}
	if c.call != nil {
		return ErrDeviceBusy
	}
	delete(h.parked, m.Control.Code)
	h.step(k, evPickup, c, "")
	return nil
}

// newPickupCode draws a code no parked call has: PickupCodeLen digits
// from crypto/rand. With at most a few parked calls among 10^6 codes and
// PickupGuesses wrong tries per user per code lifetime, guessing one is
// unlikely; the code only lets someone the policy allows take the call.
func (h *hub) newPickupCode() string {
	limit := big.NewInt(1_000_000)
	for {
		n, err := rand.Int(rand.Reader, limit)
		if err != nil {
			panic(err) // crypto/rand does not fail
		}
		code := n.String()
		for len(code) < signaling.PickupCodeLen {
			code = "0" + code
		}
		if h.parked[code] == nil {
			return code
		}
	}
}

// guessLimiter counts wrong pickup codes per user over a window.
type guessLimiter struct {
	limit int
	users map[string]*guessWindow
}

type guessWindow struct {
	misses int
	until  time.Time
}

func newGuessLimiter(limit int) guessLimiter {
	return guessLimiter{limit: limit, users: make(map[string]*guessWindow)}
}

// allow reports whether user may try a code now.
func (g *guessLimiter) allow(user string, now time.Time) bool {
	w := g.users[user]
	if w != nil && now.After(w.until) {
		delete(g.users, user)
		return true
	}
	return w == nil || w.misses < g.limit
}

// miss counts a wrong code of user; the window starts with the first.
func (g *guessLimiter) miss(user string, now time.Time, window time.Duration) {
	w := g.users[user]
	if w == nil {
		w = &guessWindow{until: now.Add(window)}
		g.users[user] = w
	}
	w.misses++
}
