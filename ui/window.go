package ui

import (
	"errors"
	"time"

	"fyne.io/fyne/v2"

	"github.com/parley-voip/parley/app"
)

// Controller is everything the screens ask of the application core;
// app.Softphone implements it.
type Controller interface {
	WelcomeActions
	Call(contactID string)
	Accept()
	Decline()
	Hangup()
	SetMuted(bool)
	MarkVerified()
	E2EECalls() bool
	SetE2EECalls(on bool)
	E2EEPolicy() (allowed bool, reason string)
	E2EEOnly() bool
	SetE2EEOnly(on bool)
	AudioActions
	SignOut()
	// Levels reads the call's audio level meters.
	Levels() app.Levels
	// OrganizationInfo is a line about the organization, e.g. the address
	// others on this computer join a local organization at.
	OrganizationInfo() string
	ChatController
}

// ChatController is the chat, status and directory part of Controller.
type ChatController interface {
	SendChat(to, text string)
	SendCallChat(text string) error
	RetryChat(localID string)
	OpenChat(peer string)
	CloseChat()
	LoadEarlierChat(peer string)
	Conversation(peer string) app.Conversation
	SetStatus(p app.Presence)
	Status() app.Presence
	SearchDirectory(query string)
}

// Main owns the app window and switches between its screens. It is the
// app.Listener of the Client: state changes arrive on the Client's
// goroutine and are applied on Fyne's with fyne.Do.
type Main struct {
	win      fyne.Window
	ctl      Controller
	home     *Home
	call     *CallScreen
	callChat *CallChat
	chat     *ChatPane // the open conversation, nil on the contacts screen

	me        app.Contact
	meterStop chan struct{} // closes to stop the level meters
	inCall    bool
	settings  bool
}

var _ app.Listener = (*Main)(nil)

// NewMain binds the screens to ctl inside win and shows the welcome screen.
func NewMain(win fyne.Window, ctl Controller) *Main {
	m := &Main{win: win, ctl: ctl}
	m.home = NewHome(m)
	m.call = NewCallScreen(m)
	m.callChat = NewCallChat(m, m.call.Object())
	m.showWelcome("")
	return m
}

func (m *Main) showWelcome(note string) {
	m.win.SetContent(NewWelcome(m.win, m.ctl, note))
}

// ShowHome shows the contacts screen (used when the app starts signed in).
func (m *Main) ShowHome() { m.show() }

// Call implements HomeActions.
func (m *Main) Call(id string) { m.ctl.Call(id) }

// OpenChat implements HomeActions: the conversation replaces the
// contacts until closed.
func (m *Main) OpenChat(id string) {
	m.chat = NewChatPane(m, m.me, m.home.Contact(id))
	m.ctl.OpenChat(id)
	m.chat.Update(m.ctl.Conversation(id))
	m.show()
}

// CloseChat implements ChatActions.
func (m *Main) CloseChat() {
	m.chat = nil
	m.ctl.CloseChat()
	m.show()
}

// SendChat implements ChatActions.
func (m *Main) SendChat(to, text string) { m.ctl.SendChat(to, text) }

// RetryChat implements ChatActions.
func (m *Main) RetryChat(localID string) { m.ctl.RetryChat(localID) }

// LoadEarlierChat implements ChatActions.
func (m *Main) LoadEarlierChat(peer string) { m.ctl.LoadEarlierChat(peer) }

// SendCallChat implements CallChatActions.
func (m *Main) SendCallChat(text string) error { return m.ctl.SendCallChat(text) }

// SetStatus implements HomeActions.
func (m *Main) SetStatus(p app.Presence) { m.ctl.SetStatus(p) }

// Search implements HomeActions.
func (m *Main) Search(q string) { m.ctl.SearchDirectory(q) }

// ChatChanged implements app.Listener.
func (m *Main) ChatChanged(c app.Conversation) {
	fyne.Do(func() {
		if m.chat != nil && m.chat.Peer().ID == c.Peer {
			m.chat.Update(c)
		}
		m.callChat.Update(c)
	})
}

// OpenSettings implements HomeActions.
func (m *Main) OpenSettings() {
	m.settings = true
	m.show()
}

// SignOut implements SettingsActions: end the session, back to sign-in.
func (m *Main) SignOut() {
	m.ctl.SignOut()
	m.settings, m.inCall, m.chat = false, false, nil
	m.showWelcome("")
}

// CloseSettings implements SettingsActions.
func (m *Main) CloseSettings() {
	m.settings = false
	m.showGuard()
	m.show()
}

// showGuard warns on the contacts screen while "only encrypted calls" is
// on and the policy does not allow E2EE: every call is then refused.
func (m *Main) showGuard() {
	allowed, _ := m.ctl.E2EEPolicy()
	text := ""
	if app.GuardBlocked(allowed, m.ctl.E2EECalls(), m.ctl.E2EEOnly()) {
		text = app.GuardBlockedNotice
	}
	m.home.SetWarning(text)
}

// E2EECalls implements SettingsActions.
func (m *Main) E2EECalls() bool { return m.ctl.E2EECalls() }

// SetE2EECalls implements SettingsActions.
func (m *Main) SetE2EECalls(on bool) { m.ctl.SetE2EECalls(on) }

// E2EEOnly implements SettingsActions.
func (m *Main) E2EEOnly() bool { return m.ctl.E2EEOnly() }

// SetE2EEOnly implements SettingsActions.
func (m *Main) SetE2EEOnly(on bool) { m.ctl.SetE2EEOnly(on) }

// AudioOptions implements AudioActions.
func (m *Main) AudioOptions() app.AudioOptions { return m.ctl.AudioOptions() }

// SetAudioDevices implements AudioActions.
func (m *Main) SetAudioDevices(capture, playback string) error {
	return m.ctl.SetAudioDevices(capture, playback)
}

// SetEchoCancellation implements AudioActions.
func (m *Main) SetEchoCancellation(on bool) { m.ctl.SetEchoCancellation(on) }

// SetNoiseSuppression implements AudioActions.
func (m *Main) SetNoiseSuppression(on bool) { m.ctl.SetNoiseSuppression(on) }

// E2EEPolicy implements SettingsActions.
func (m *Main) E2EEPolicy() (bool, string) { return m.ctl.E2EEPolicy() }

// Accept implements CallActions.
func (m *Main) Accept() { m.ctl.Accept() }

// Decline implements CallActions.
func (m *Main) Decline() { m.ctl.Decline() }

// Hangup implements CallActions.
func (m *Main) Hangup() { m.ctl.Hangup() }

// SetMuted implements CallActions.
func (m *Main) SetMuted(on bool) { m.ctl.SetMuted(on) }

// MarkVerified implements CallActions.
func (m *Main) MarkVerified() { m.ctl.MarkVerified() }

// SetCaptions implements CaptionsActions when the controller can.
func (m *Main) SetCaptions(on bool) {
	if c, ok := m.ctl.(CaptionsActions); ok {
		c.SetCaptions(on)
	}
}

// CloseCall implements CallActions: leave the ended call's screen.
func (m *Main) CloseCall() {
	m.inCall = false
	m.show()
}

// Connected implements app.Listener.
func (m *Main) Connected(me app.Contact, err error) {
	fyne.Do(func() {
		if errors.Is(err, app.ErrSignedOut) {
			m.inCall, m.settings, m.chat = false, false, nil
			m.showWelcome("Your session has ended; please sign in again.")
			return
		}
		m.me = me
		status := "Signed in"
		if err != nil {
			status = "Not connected: " + err.Error()
		}
		if info := m.ctl.OrganizationInfo(); info != "" {
			status += " · " + info
		}
		m.home.SetMe(me, status)
		if err == nil {
			m.home.SetMyStatus(m.ctl.Status())
			m.ctl.SearchDirectory(m.home.Query()) // the whole organization, offline people too
		}
		m.show()
	})
}

// ContactsChanged implements app.Listener.
func (m *Main) ContactsChanged(cs []app.Contact) {
	fyne.Do(func() { m.home.SetContacts(cs) })
}

// PolicyChanged implements app.Listener: an open Settings screen follows
// the organization's policy live.
func (m *Main) PolicyChanged(app.Policy) {
	fyne.Do(func() {
		m.showGuard()
		if m.settings && !m.inCall {
			m.show()
		}
	})
}

// Notice implements app.Listener with a desktop notification, seen in a
// call and out of one.
func (m *Main) Notice(text string) {
	fyne.CurrentApp().SendNotification(fyne.NewNotification("Parley", text))
}

// CallChanged implements app.Listener.
func (m *Main) CallChanged(c app.CallInfo) {
	fyne.Do(func() {
		if !m.inCall && c.State == app.CallIncoming {
			m.win.RequestFocus()
		}
		m.inCall = true
		m.meterWhile(c.State == app.CallActive)
		m.call.Update(c)
		m.callChat.SetCall(c)
		m.show()
	})
}

// meterInterval is how often the call screen's level meters move: smooth
// enough to see speech, cheap enough not to matter.
const meterInterval = 100 * time.Millisecond

// meterWhile runs the level meters while on is true. Called on Fyne's thread.
func (m *Main) meterWhile(on bool) {
	switch {
	case on && m.meterStop == nil:
		stop := make(chan struct{})
		m.meterStop = stop
		go func() {
			t := time.NewTicker(meterInterval)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					l := m.ctl.Levels()
					fyne.Do(func() { m.call.SetLevels(l) })
				}
			}
		}()
	case !on && m.meterStop != nil:
		close(m.meterStop)
		m.meterStop = nil
	}
}

func (m *Main) show() {
	switch {
	case m.inCall:
		m.win.SetContent(m.callChat.Object())
	case m.settings:
		m.win.SetContent(NewSettings(m))
	case m.chat != nil:
		m.win.SetContent(m.chat.Object())
	default:
		m.win.SetContent(m.home.Object())
	}
}

// WindowSize is the main window's starting size: room for the call screen's
// security code and feature row.
var WindowSize = fyne.NewSize(640, 500)
