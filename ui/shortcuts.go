package ui

import (
	"log/slog"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// shortcut is one keyboard shortcut of the signed-in window; the table is
// the list (and what the real-window walkthrough drives with xdotool).
type shortcut struct {
	Key   fyne.KeyName
	Shift bool
	What  string
	Do    func(m *Main)
}

var shortcuts = []shortcut{
	{fyne.Key1, false, "Chat", func(m *Main) { m.Navigate(PageChat) }},
	{fyne.Key2, false, "Calls", func(m *Main) { m.Navigate(PageCalls) }},
	{fyne.Key3, false, "People", func(m *Main) { m.Navigate(PagePeople) }},
	{fyne.KeyComma, false, "Settings", func(m *Main) { m.OpenSettings() }},
	{fyne.KeyM, false, "Mute or unmute", func(m *Main) {
		if m.callView != nil {
			m.SetMuted(!m.call.Muted)
		}
	}},
	{fyne.KeyH, true, "Hold or resume", func(m *Main) {
		if m.callView != nil {
			m.SetHeld(!m.call.Held)
		}
	}},
	{fyne.KeyT, false, "Chat in the call", func(m *Main) {
		if v := m.callView; v != nil {
			m.ReturnToCall()
			v.SetOpen(!v.Open())
			if v.Open() {
				m.win.Canvas().Focus(v.entry)
			}
		}
	}},
	{fyne.KeyE, true, "Hang up", func(m *Main) {
		if m.callView != nil {
			m.Hangup()
		}
	}},
	{fyne.KeyA, true, "Accept the incoming call", func(m *Main) {
		if m.card.Visible() {
			m.Accept()
		}
	}},
	{fyne.KeyQ, true, "Sign out", func(m *Main) { m.SignOut() }},
}

// shortcutFor is the table's entry for s, if any.
func shortcutFor(s fyne.Shortcut) (shortcut, bool) {
	cs, ok := s.(*desktop.CustomShortcut)
	if !ok {
		return shortcut{}, false
	}
	for _, x := range shortcuts {
		if x.Key == cs.KeyName && cs.Modifier&fyne.KeyModifierShortcutDefault != 0 &&
			(cs.Modifier&fyne.KeyModifierShift != 0) == x.Shift {
			return x, true
		}
	}
	return shortcut{}, false
}

// shortcut runs the window's shortcut s; false when it is not one (a
// focused entry then handles it, e.g. copy and paste).
func (m *Main) shortcut(s fyne.Shortcut) bool {
	x, ok := shortcutFor(s)
	if ok && m.signedIn {
		x.Do(m)
	}
	return ok
}

// entry is a text entry that lets the window's shortcuts through: Fyne
// gives every shortcut to the focused widget, so without it Ctrl+M would
// not mute while one types in the call's chat.
type entry struct {
	widget.Entry
	shortcut func(fyne.Shortcut) bool
}

func newEntry() *entry {
	e := &entry{}
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut runs a window shortcut, or edits.
func (e *entry) TypedShortcut(s fyne.Shortcut) {
	if e.shortcut != nil && e.shortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// addShortcuts binds the table to the window's canvas (Ctrl, or
// Ctrl+Shift); they act only while signed in.
func (m *Main) addShortcuts() {
	for _, s := range shortcuts {
		s := s
		mod := fyne.KeyModifierShortcutDefault
		if s.Shift {
			mod |= fyne.KeyModifierShift
		}
		m.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: s.Key, Modifier: mod}, func(fyne.Shortcut) {
			if m.signedIn {
				s.Do(m)
			}
		})
	}
}

// logScreen says which screen shows, for scripts that drive a real window
// (scripts/walkthrough.sh) and for support.
func logScreen(screen string, args ...any) {
	slog.Info("ui", append([]any{"screen", screen}, args...)...)
}
