package ui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

// Controller is everything the screens ask of the application core;
// app.Softphone implements it. Main embeds it, so each screen's small
// actions interface is met by Main without forwarding.
type Controller interface {
	WelcomeActions
	PrivacyActions
	AudioActions
	Call(contactID string)
	Accept()
	Decline()
	Hangup()
	SetMuted(bool)
	SetHeld(bool)
	MarkVerified()
	SignOut()
	Notifications() bool
	SetNotifications(on bool)
	// OrganizationName names the organization (rail, window title);
	// OrganizationInfo is a line about it, e.g. the address others on
	// this computer join a local organization at.
	OrganizationName() string
	OrganizationInfo() string
	// ReconnectAt is when the app dials again after losing the link.
	ReconnectAt() time.Time
	CallHistory
	// MarkCallsSeen: the user opened Calls (the missed-call badge goes);
	// UnseenMissedCalls counts the missed calls not yet seen.
	MarkCallsSeen()
	UnseenMissedCalls() int
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

// State is what the screens show, kept by Main from the app's events and
// handed to each screen's Update.
type State struct {
	Me       app.Contact
	Status   app.Presence
	Org      string
	OrgInfo  string // e.g. where others join a local organization
	Contacts []app.Contact
	Convs    map[string]app.Conversation
	History  []CallRecord // newest first
	// UnseenMissed badges Calls on the rail.
	UnseenMissed int
	// Warning is shown over the People list (the guard blocks every call).
	Warning string
}

// callsWith is the history with peer, oldest first (for a conversation).
func (st *State) callsWith(peer string) []CallRecord {
	var out []CallRecord
	for i := len(st.History) - 1; i >= 0; i-- {
		if st.History[i].Peer.ID == peer {
			out = append(out, st.History[i])
		}
	}
	return out
}

// Page ids.
const (
	PageChat     = "chat"
	PageCalls    = "calls"
	PagePeople   = "people"
	PageSettings = "settings"
)

// page is a screen of the signed-in window.
type page interface {
	Object() fyne.CanvasObject
	Update(st *State)
}

// screen describes one page: the table below is the navigation (the rail
// lists the ones with OnRail), as fyne_demo's Tutorials table is.
type screen struct {
	ID     string
	Title  string
	Icon   fyne.ThemeIconName
	OnRail bool
	New    func(m *Main) page
	// Shown runs when the user opens the page.
	Shown func(m *Main)
}

var screens = []screen{
	{ID: PageChat, Title: "Chat", Icon: theme.IconNameMailCompose, OnRail: true,
		New: func(m *Main) page { return NewChatsPage(m) }},
	{ID: PageCalls, Title: "Calls", Icon: theme.IconNameHistory, OnRail: true,
		New: func(m *Main) page { return NewCallsPage(m) },
		// Opening Calls is seeing the missed calls.
		Shown: func(m *Main) {
			m.st.UnseenMissed = 0
			m.Controller.MarkCallsSeen()
		}},
	{ID: PagePeople, Title: "People", Icon: theme.IconNameAccount, OnRail: true,
		New: func(m *Main) page { return NewPeoplePage(m) },
		// Someone may have joined the organization since the list was
		// fetched: fetch it again (bug 7).
		Shown: func(m *Main) { m.Controller.SearchDirectory(m.people().Query()) }},
	{ID: PageSettings, Title: "Settings", Icon: theme.IconNameSettings,
		New: func(m *Main) page { return newSettingsHolder(m) }},
}

// Main owns the window: the sign-in screen, or the rail and the pages,
// with the call, the incoming-call card and the connection bar over them.
// It is the app.Listener of the Softphone: events arrive on the app's
// goroutine and are applied on Fyne's with onUI.
type Main struct {
	Controller
	win fyne.Window

	st       State
	signedIn bool
	// home is set once the signed-in window is whole (content swapped in
	// and laid out) and cleared on sign-out: what tests, acting from
	// their own goroutine, wait for before they use it.
	home    atomic.Bool
	pages   map[string]page
	current string

	rail       *Rail
	body       *fyne.Container // the current page, or the call
	bar        *ReconnectBar
	toast      *widget.Label // a call's outcome, briefly
	inCall     *fyne.Container
	inCallText *widget.Label
	card       *IncomingCard
	overlay    *fyne.Container
	shell      fyne.CanvasObject
	callView   *CallView
	call       app.CallInfo
	// callShown: the call covers the page; false while the user looks
	// at another page (Settings) during the call.
	callShown bool
	focused   bool
	meterStop chan struct{}
	// bg counts background loads (the history, a transcript), for tests
	// to wait on; background runs them (a goroutine each; tests over a
	// fake Controller run them in place, so that nothing changes the
	// window behind the test's back) and each applies its result with
	// onUI.
	bg         sync.WaitGroup
	background func(func())
	// later runs f on its own goroutine after d (a toast hiding, a
	// pickup code expiring); tests that do not wait for it drop it, so
	// that it never fires into the next test's app.
	later func(d time.Duration, f func())
	// top holds the bars over the page; relaid when one shows or hides.
	top      *fyne.Container
	ctl      *controlBar // call control on the home screen (callcontrol.go)
	toastGen int
}

var _ app.Listener = (*Main)(nil)

// NewMain binds the screens to ctl inside win and shows the sign-in
// screen.
func NewMain(win fyne.Window, ctl Controller) *Main {
	fyne.CurrentApp().Settings().SetTheme(Theme())
	m := &Main{Controller: ctl, win: win, focused: true, background: func(f func()) { go f() },
		later: func(d time.Duration, f func()) { time.AfterFunc(d, f) },
		st:    State{Convs: map[string]app.Conversation{}}}
	lc := fyne.CurrentApp().Lifecycle()
	lc.SetOnEnteredForeground(func() { m.focused = true })
	lc.SetOnExitedForeground(func() { m.focused = false })

	m.pages = map[string]page{}
	for _, s := range screens {
		m.pages[s.ID] = s.New(m)
	}
	m.rail = NewRail(m)
	m.body = container.NewStack()
	m.bar = NewReconnectBar(ctl.ReconnectAt)
	m.toast = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	m.toast.Truncation = fyne.TextTruncateEllipsis
	m.toast.Hide()
	back := widget.NewButtonWithIcon("Return to the call", iconPhone, m.ReturnToCall)
	back.Importance = widget.SuccessImportance
	m.inCallText = truncated("", fyne.TextStyle{Bold: true})
	m.inCall = container.NewBorder(nil, nil, nil, back, m.inCallText)
	m.inCall.Hide()
	m.card = NewIncomingCard(m)
	m.overlay = container.New(&cardLayout{}, m.card)
	m.card.Hide()
	m.ctl = newControlBar(m)
	m.top = container.NewVBox(m.bar, m.inCall, m.toast, m.ctl.box)
	m.shell = container.NewStack(
		container.NewBorder(nil, nil, m.rail.Object(), nil, container.NewBorder(m.top, nil, nil, nil, m.body)),
		m.overlay)
	m.current = PagePeople
	m.addShortcuts()
	m.showWelcome("")
	return m
}

func (m *Main) people() *PeoplePage { return m.pages[PagePeople].(*PeoplePage) }
func (m *Main) chats() *ChatsPage   { return m.pages[PageChat].(*ChatsPage) }

// Page is the open page's id.
func (m *Main) Page() string { return m.current }

func (m *Main) showWelcome(note string) {
	m.home.Store(false)
	m.signedIn = false
	m.endCallView()
	m.card.Hide()
	m.win.SetTitle("Parley")
	m.win.SetContent(NewWelcome(m.win, m.Controller, note).Object())
	logScreen("sign-in")
}

// ShowHome shows the signed-in window (used when the app starts signed in).
func (m *Main) ShowHome() { m.showShell() }

func (m *Main) showShell() {
	if !m.signedIn {
		m.signedIn = true
		m.win.SetContent(m.shell)
		logScreen(m.current)
	}
	m.refresh()
	m.home.Store(true)
}

// Navigate opens the page with id.
func (m *Main) Navigate(id string) {
	for _, s := range screens {
		if s.ID != id {
			continue
		}
		if m.current == PageSettings && id != PageSettings {
			m.pages[PageSettings].(*settingsHolder).close()
		}
		m.current = id
		m.callShown = false
		if s.Shown != nil {
			s.Shown(m)
		}
		logScreen(id)
	}
	m.refresh()
}

// ReturnToCall shows the call again after looking at another page.
func (m *Main) ReturnToCall() {
	if m.callView != nil {
		m.callShown = true
		m.refresh()
		logScreen("call")
	}
}

// refresh lays the window out from the state.
func (m *Main) refresh() {
	if !m.signedIn {
		return
	}
	for _, p := range m.pages {
		p.Update(&m.st)
	}
	m.rail.Update(&m.st, m.current, m.missed(), m.unread())
	var content fyne.CanvasObject
	if m.callView != nil && m.callShown {
		content = m.callView.Object()
	} else {
		content = m.pages[m.current].Object()
	}
	if len(m.body.Objects) != 1 || m.body.Objects[0] != content {
		m.body.Objects = []fyne.CanvasObject{content}
		m.body.Refresh()
	}
	live := m.callView != nil && !m.callShown && !m.call.Ended() && m.call.State != app.CallIncoming
	if live {
		m.inCallText.SetText("In a call with " + m.call.Peer.Label())
	}
	setVisible(m.inCall, live)
	m.meterWhile(m.metersOnShow())
	m.relayTop()
	title := "Parley"
	if m.st.Org != "" {
		title += " — " + m.st.Org
	}
	if m.st.Me.ID != "" {
		title += " — " + m.st.Me.Label()
	}
	m.win.SetTitle(title)
}

func (m *Main) missed() int { return m.st.UnseenMissed }

func (m *Main) unread() int {
	n := 0
	for _, c := range m.st.Contacts {
		n += c.Unread
	}
	return n
}

// OpenChat opens the conversation with id on the Chat page.
func (m *Main) OpenChat(id string) {
	peer := app.Contact{ID: id}
	for _, c := range m.st.Contacts {
		if c.ID == id {
			peer = c
		}
	}
	m.Controller.OpenChat(id)
	m.st.Convs[id] = m.Controller.Conversation(id)
	m.Navigate(PageChat)
	m.chats().Open(peer, &m.st)
}

// CloseChat goes back to the conversations.
func (m *Main) CloseChat() {
	m.Controller.CloseChat()
	m.chats().Open(app.Contact{}, &m.st)
	m.refresh()
}

// OpenSettings opens Settings (from the avatar menu), in a call too.
func (m *Main) OpenSettings() { m.Navigate(PageSettings) }

// CloseSettings implements SettingsActions: back to People.
func (m *Main) CloseSettings() {
	m.showGuard()
	m.Navigate(PagePeople)
	if m.callView != nil && !m.call.Ended() {
		m.ReturnToCall()
	}
}

// Account implements SettingsActions.
func (m *Main) Account() (app.Contact, string, string) {
	return m.st.Me, m.st.Org, m.st.OrgInfo
}

// SetStatus implements the rail's status menu.
func (m *Main) SetStatus(p app.Presence) {
	m.Controller.SetStatus(p)
	m.st.Status = p
	m.refresh()
}

// SignOut ends the session; the app's ErrUserSignedOut brings back the
// sign-in screen, filled in.
func (m *Main) SignOut() {
	m.Controller.SignOut()
	m.st = State{Convs: map[string]app.Conversation{}}
	m.current = PagePeople
	m.showWelcome("")
}

// showGuard warns over People while "only encrypted calls" is on and the
// policy does not allow E2EE: every call is then refused.
func (m *Main) showGuard() {
	allowed, _ := m.E2EEPolicy()
	m.st.Warning = ""
	if app.GuardBlocked(allowed, m.E2EECalls(), m.E2EEOnly()) {
		m.st.Warning = app.GuardBlockedNotice
	}
}

// Connected implements app.Listener.
func (m *Main) Connected(me app.Contact, err error) {
	onUI(func() {
		switch {
		case errors.Is(err, app.ErrUserSignedOut):
			m.showWelcome("")
			return
		case errors.Is(err, app.ErrSignedOut):
			m.showWelcome("Your session has ended; please sign in again.")
			return
		}
		m.st.Me = me
		m.st.Org = m.OrganizationName()
		m.st.OrgInfo = m.OrganizationInfo()
		m.bar.SetDown(err != nil)
		m.relayTop()
		if err == nil {
			m.st.Status = m.Status()
			m.showGuard()
			m.Controller.SearchDirectory(m.people().Query()) // the whole organization, offline people too
			m.st.UnseenMissed = m.UnseenMissedCalls()
			m.loadHistory()
		}
		m.showShell()
	})
}

// loadHistory fetches the newest page of the call history.
func (m *Main) loadHistory() {
	m.bg.Add(1)
	m.background(func() {
		defer m.bg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		recs, err := m.Controller.CallHistory(ctx, time.Time{}, 100)
		if err != nil {
			return
		}
		onUI(func() {
			m.st.History = recs
			m.refresh()
		})
	})
}

// ContactsChanged implements app.Listener.
func (m *Main) ContactsChanged(cs []app.Contact) {
	onUI(func() {
		m.st.Contacts = cs
		m.refresh()
	})
}

// ChatChanged implements app.Listener.
func (m *Main) ChatChanged(c app.Conversation) {
	slog.Info("chat", "peer", c.Peer, "messages", len(c.Messages), "unread", c.Unread)
	onUI(func() {
		if old := m.st.Convs[c.Peer]; c.Unread > old.Unread && !m.focused && m.Notifications() && len(c.Messages) > 0 {
			m.notify(m.contactName(c.Peer) + ": " + c.Messages[len(c.Messages)-1].Text)
		}
		m.st.Convs[c.Peer] = c
		if m.callView != nil {
			m.callView.Update(c)
		}
		m.refresh()
	})
}

// PolicyChanged implements app.Listener: an open Settings screen follows
// the organization's policy live.
func (m *Main) PolicyChanged(app.Policy) {
	onUI(func() {
		m.showGuard()
		if h := m.pages[PageSettings].(*settingsHolder); h.page != nil {
			h.rebuild()
		}
		m.refresh()
	})
}

// CallHistoryChanged implements app.Listener: a call of mine ended on
// one of my devices, or the count of unseen missed calls changed.
func (m *Main) CallHistoryChanged(u app.CallHistoryUpdate) {
	onUI(func() {
		m.st.UnseenMissed = u.UnseenMissed
		if m.current == PageCalls && !m.callShown {
			m.st.UnseenMissed = 0
		}
		if u.Added != nil {
			h := []CallRecord{*u.Added}
			for _, r := range m.st.History {
				if r.ID != u.Added.ID {
					h = append(h, r)
				}
			}
			m.st.History = h
		}
		m.refresh()
	})
}

// Notice implements app.Listener with a desktop notification.
func (m *Main) Notice(text string) {
	fyne.CurrentApp().SendNotification(fyne.NewNotification("Parley", text))
}

// toastTime is how long a call's outcome shows in place.
const toastTime = 4 * time.Second

// CallChanged implements app.Listener: an incoming call is a card over
// whatever the user does; an answered or placed call covers the page; an
// ended call gives the page back with its outcome shown briefly (an E2EE
// alarm stays until closed).
func (m *Main) CallChanged(c app.CallInfo) {
	onUI(func() {
		if !m.signedIn {
			return
		}
		if c.Peer.Name == "" || c.Peer.Name == c.Peer.ID { // an invite names only the id: the directory knows more
			for _, ct := range m.st.Contacts {
				if ct.ID == c.Peer.ID {
					c.Peer.Name = ct.Name
				}
			}
		}
		if m.callView == nil || m.callView.ID() != c.ID {
			m.endCallView()
			m.callView = NewCallView(callViewActions{m}, c, m.CloseCall)
			m.callView.entry.shortcut = m.shortcut
			m.callView.Update(m.st.Convs[c.Peer.ID])
			m.callShown = c.State != app.CallIncoming
			if c.State == app.CallIncoming {
				m.ring(c)
			}
		}
		m.call = c
		m.callView.SetCall(c)
		m.card.SetCall(c)
		setVisible(m.card, c.State == app.CallIncoming)
		if c.State != app.CallIncoming && !c.Ended() && !m.callShown && m.current != PageSettings {
			m.callShown = true // accepted: the call covers the page
		}
		m.meterWhile(m.metersOnShow())
		m.noteControl(c) // callcontrol.go
		if c.Ended() {
			alarm := c.End == app.EndE2EEFailed || c.End == app.EndE2EEMismatch
			if !alarm {
				m.showToast(endText(c))
				m.endCallView()
			}
		}
		m.refresh()
	})
}

// endText is the line an ended call leaves in place.
func endText(c app.CallInfo) string {
	s := c.EndMessage()
	if !c.Started.IsZero() {
		s = "Call with " + c.Peer.Label() + " ended · " + durationText(time.Since(c.Started))
	}
	return s
}

func (m *Main) showToast(text string) {
	m.toastGen++
	gen := m.toastGen
	m.toast.SetText(text)
	m.toast.Show()
	m.relayTop()
	m.later(toastTime, func() {
		onUI(func() {
			if m.toastGen == gen {
				m.toast.Hide()
				m.relayTop()
			}
		})
	})
}

// relayTop lays the page out again under the bars that show.
func (m *Main) relayTop() {
	m.top.Refresh()
	if p := m.body; p != nil {
		m.shell.Refresh()
	}
}

// Toast is the outcome line on show ("" when hidden).
func (m *Main) Toast() string {
	if m.toast.Visible() {
		return m.toast.Text
	}
	return ""
}

// callViewActions are Main's, except that the call's chat panel marks
// the conversation read without leaving the call for the Chat page.
type callViewActions struct{ *Main }

func (a callViewActions) OpenChat(peer string) { a.Controller.OpenChat(peer) }
func (a callViewActions) CloseChat()           { a.Controller.CloseChat() }

// CloseCall leaves a call that ended with an E2EE alarm.
func (m *Main) CloseCall() {
	m.endCallView()
	m.refresh()
}

func (m *Main) endCallView() {
	if m.callView != nil && m.callView.Open() {
		m.Controller.CloseChat()
	}
	m.callView, m.callShown = nil, false
	m.meterWhile(false)
}

// ring tells the user about an incoming call: the window comes forward,
// and a desktop notification when it is not in front.
func (m *Main) ring(c app.CallInfo) {
	if !m.focused && m.Notifications() {
		m.notify(c.Peer.Label() + " is calling")
	}
	m.win.RequestFocus()
}

// notify sends a desktop notification (the window is not in front).
func (m *Main) notify(text string) {
	fyne.CurrentApp().SendNotification(fyne.NewNotification("Parley", text))
}

// contactName is id's name as the directory has it.
func (m *Main) contactName(id string) string {
	for _, c := range m.st.Contacts {
		if c.ID == id {
			return c.Label()
		}
	}
	return id
}

// Accept answers and shows the call.
func (m *Main) Accept() {
	m.Controller.Accept()
	m.callShown = true
	m.refresh()
}

// metersOnShow says whether the call screen, with its level meters and
// timer, is what the window shows: the call is up and covers the page.
func (m *Main) metersOnShow() bool {
	return m.callView != nil && m.callShown && m.call.State == app.CallActive
}

// meterWhile runs the call's level meters and timer while on is true.
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
				case now := <-t.C:
					l := m.Levels()
					onUI(func() {
						if m.callView != nil {
							m.callView.Screen.SetLevels(l)
							m.callView.Screen.Tick(now)
						}
					})
				}
			}
		}()
	case !on && m.meterStop != nil:
		close(m.meterStop)
		m.meterStop = nil
	}
}

// CallView is the current call's view, or nil.
func (m *Main) CallView() *CallView { return m.callView }

// Card is the incoming-call card.
func (m *Main) Card() *IncomingCard { return m.card }

// WindowSize is the main window's starting size.
var WindowSize = fyne.NewSize(720, 520)

// SmallSize is the smallest window every screen is tested at.
var SmallSize = fyne.NewSize(360, 500)

// ---- settings holder: Settings rebuilt when the policy changes ----

type settingsHolder struct {
	m     *Main
	page  *SettingsPage
	stack *fyne.Container
}

func newSettingsHolder(m *Main) *settingsHolder {
	return &settingsHolder{m: m, stack: container.NewStack()}
}

func (h *settingsHolder) Object() fyne.CanvasObject {
	if h.page == nil {
		h.rebuild()
	}
	return h.stack
}

func (h *settingsHolder) Update(*State) {}

// rebuild makes Settings again from the current values, on the same
// category (a policy change greys or frees the switch live).
func (h *settingsHolder) rebuild() {
	open := ""
	if h.page != nil {
		open = h.page.Selected()
		h.page.Close()
	}
	h.page = NewSettings(h.m, open)
	h.stack.Objects = []fyne.CanvasObject{h.page.Object()}
	h.stack.Refresh()
}

func (h *settingsHolder) close() {
	if h.page != nil {
		h.page.Close()
		h.page = nil
	}
}

// Settings is the Settings page while it is built, or nil.
func (m *Main) Settings() *SettingsPage {
	h := m.pages[PageSettings].(*settingsHolder)
	h.Object()
	return h.page
}

// ---- incoming call card ----

// IncomingCard is an incoming call over whatever the user is doing:
// avatar, name, whether the caller asked for E2EE, Accept and Decline in
// fixed places.
type IncomingCard struct {
	widget.BaseWidget
	avatar          *Avatar
	name, intent    *widget.Label
	Accept, Decline *widget.Button
	box             fyne.CanvasObject
}

// IncomingActions answer the card.
type IncomingActions interface {
	Accept()
	Decline()
}

// NewIncomingCard builds the card.
func NewIncomingCard(act IncomingActions) *IncomingCard {
	c := &IncomingCard{avatar: NewAvatar(app.Contact{}, 48, false)}
	c.name = truncated("", fyne.TextStyle{Bold: true})
	c.intent = truncated("", fyne.TextStyle{})
	c.intent.SizeName = theme.SizeNameCaptionText
	c.Accept = widget.NewButtonWithIcon("Accept", iconPhone, act.Accept)
	c.Accept.Importance = widget.SuccessImportance
	c.Decline = widget.NewButtonWithIcon("Decline", iconHangup, act.Decline)
	c.Decline.Importance = widget.DangerImportance
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.CornerRadius = 12
	bg.StrokeColor = theme.Color(theme.ColorNameShadow)
	bg.StrokeWidth = 2
	c.box = container.NewStack(bg, container.NewPadded(container.NewVBox(
		container.NewBorder(nil, nil, c.avatar, nil, container.NewVBox(c.name, c.intent)),
		container.NewGridWithColumns(2, c.Decline, c.Accept))))
	c.ExtendBaseWidget(c)
	return c
}

func (c *IncomingCard) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(c.box) }

// SetCall shows who calls.
func (c *IncomingCard) SetCall(k app.CallInfo) {
	c.avatar.SetContact(k.Peer)
	c.name.SetText(k.Peer.Label() + " is calling")
	intent := "Call"
	if k.PeerWantsE2EE {
		intent = "Asks for an end-to-end encrypted call"
	}
	if k.ControlText != "" { // rung by a transfer, or rung back (callcontrol.go)
		intent = k.ControlText
	}
	c.intent.SetText(intent)
}

// Text is the card's heading (tests).
func (c *IncomingCard) Text() string { return c.name.Text }

// cardLayout puts the card at the top right, 320 wide (the whole width of
// a narrow window), its buttons never moving while it shows.
type cardLayout struct{}

func (cardLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }

func (cardLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		w := fyne.Min(320, size.Width-2*theme.Padding())
		h := o.MinSize().Height
		o.Move(fyne.NewPos(size.Width-w-theme.Padding(), theme.Padding()))
		o.Resize(fyne.NewSize(w, h))
	}
}

// ---- reconnecting bar ----

// ReconnectBar is the slim line shown while the link to the server is
// down: "Reconnecting… in 4 s", never the error itself.
type ReconnectBar struct {
	widget.BaseWidget
	at    func() time.Time
	label *widget.Label
	bg    *canvas.Rectangle
	stop  chan struct{}
}

// NewReconnectBar makes the bar; at says when the next attempt is.
func NewReconnectBar(at func() time.Time) *ReconnectBar {
	b := &ReconnectBar{at: at, label: widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		bg: canvas.NewRectangle(theme.Color(theme.ColorNameWarning))}
	b.label.Truncation = fyne.TextTruncateEllipsis
	b.ExtendBaseWidget(b)
	b.Hide()
	return b
}

func (b *ReconnectBar) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(b.bg, b.label))
}

// Text is what the bar says.
func (b *ReconnectBar) Text() string { return b.label.Text }

// SetDown shows (and counts down) or hides the bar.
func (b *ReconnectBar) SetDown(down bool) {
	if !down {
		if b.stop != nil {
			close(b.stop)
			b.stop = nil
		}
		b.Hide()
		return
	}
	b.tick(time.Now())
	b.Show()
	if b.stop != nil {
		return
	}
	stop := make(chan struct{})
	b.stop = stop
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case now := <-t.C:
				onUI(func() { b.tick(now) })
			}
		}
	}()
}

func (b *ReconnectBar) tick(now time.Time) {
	b.label.SetText(reconnectText(b.at(), now))
}

// reconnectText counts down to the next attempt.
func reconnectText(at, now time.Time) string {
	left := at.Sub(now).Round(time.Second)
	if at.IsZero() || left <= 0 {
		return "Reconnecting…"
	}
	return fmt.Sprintf("Reconnecting… next try in %d s", int(left/time.Second))
}
