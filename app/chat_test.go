package app

import (
	"context"
	"fmt"
	"testing"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/signaling"
)

func lastMsg(c Conversation) (ChatMessage, bool) {
	if len(c.Messages) == 0 {
		return ChatMessage{}, false
	}
	return c.Messages[len(c.Messages)-1], true
}

func hasText(text string, state ChatState) func(Conversation) bool {
	return func(c Conversation) bool {
		for _, m := range c.Messages {
			if m.Text == text && m.State == state {
				return true
			}
		}
		return false
	}
}

func TestChatBothWaysWithAckAndUnread(t *testing.T) {
	t.Parallel()
	alice, bob := newTwo(t, false, false, audio.Silence)

	id := alice.SendChat("bob", "hello bob")
	got := alice.ev.waitChat(t, "alice's message acknowledged", "bob", hasText("hello bob", ChatSent))
	m, _ := lastMsg(got)
	if m.LocalID != id || m.ID == "" || !m.Mine || m.From != "alice" || m.To != "bob" {
		t.Fatalf("acknowledged message = %+v", m)
	}
	in := bob.ev.waitChat(t, "bob receives", "alice", hasText("hello bob", ChatSent))
	if r, _ := lastMsg(in); r.Mine || r.ID != m.ID || r.LocalID != "" || in.Unread != 1 {
		t.Fatalf("bob's copy = %+v, unread %d", r, in.Unread)
	}
	bob.ev.waitFor(t, "unread badge", func(e *events) bool {
		c, ok := e.contact("alice")
		return ok && c.Unread == 1
	})

	bob.OpenChat("alice")
	bob.ev.waitFor(t, "read", func(e *events) bool {
		c, ok := e.contact("alice")
		return ok && c.Unread == 0 && e.convs["alice"].Unread == 0
	})
	bob.SendChat("alice", "hi alice")
	reply := alice.ev.waitChat(t, "alice receives", "bob", hasText("hi alice", ChatSent))
	if len(reply.Messages) != 2 || !idLess(reply.Messages[0].ID, reply.Messages[1].ID) {
		t.Fatalf("alice's conversation = %+v", reply.Messages)
	}
	// While bob has the conversation open, nothing new counts as unread.
	alice.SendChat("bob", "second")
	if c := bob.ev.waitChat(t, "second", "alice", hasText("second", ChatSent)); c.Unread != 0 {
		t.Fatalf("open conversation counted %d unread", c.Unread)
	}
}

func TestChatToUnknownUserFailsAndRetries(t *testing.T) {
	t.Parallel()
	o := startOrg(t, false)
	tokA := openSession(t, o, "alice")
	alice := startUser(t, o.Server.URL(), "alice", false, audio.Silence(), withToken(tokA))

	id := alice.SendChat("nobody", "anyone there?")
	c := alice.ev.waitChat(t, "failed", "nobody", hasText("anyone there?", ChatFailed))
	if m, _ := lastMsg(c); m.Problem == "" || m.LocalID != id {
		t.Fatalf("failed message = %+v", m)
	}
	if _, err := o.Accounts.CreateUser(context.Background(), accounts.NewUser{ID: "nobody", DisplayName: "Nobody", Password: "a long enough password"}); err != nil {
		t.Fatal(err)
	}
	alice.RetryChat(id)
	alice.ev.waitChat(t, "sent on retry", "nobody", hasText("anyone there?", ChatSent))
	if alice.ev.lastCall().ID != "" {
		t.Fatal("a chat error touched the call state")
	}
}

// dropChats swallows chat messages on their way out, as a link that dies
// before they reach the server.
type dropChats struct{ SignalConn }

func (d dropChats) Send(ctx context.Context, m *signaling.Message) error {
	if m.Type == signaling.TypeChat {
		return nil
	}
	return d.SignalConn.Send(ctx, m)
}

func TestChatLostLinkFailsThenResends(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	bob := startUser(t, url, "bob", false, audio.Silence())
	dial := func(ctx context.Context, url string, u signaling.User) (SignalConn, error) {
		c, err := signaling.Dial(ctx, url, u)
		if err != nil {
			return nil, err
		}
		return dropChats{c}, nil
	}
	alice := startUser(t, url, "alice", false, audio.Silence(), withDial(dial))
	alice.SendChat("bob", "typed before the link died")
	alice.ev.waitChat(t, "pending", "bob", hasText("typed before the link died", ChatPending))
	alice.crash()
	alice.ev.waitChat(t, "failed", "bob", hasText("typed before the link died", ChatFailed))
	alice.stop()

	// The app's next link (keepSignedIn's next Client) adopts the book
	// and sends it by itself.
	cfg := alice.cfg
	cfg.Dial = nil
	cfg = cfg.withDefaults()
	next, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	next.adopt(alice.Client)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- next.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	alice.ev.waitChat(t, "resent", "bob", hasText("typed before the link died", ChatSent))
	bob.ev.waitChat(t, "bob receives", "alice", hasText("typed before the link died", ChatSent))
}

func TestChatReachesMyOtherDevice(t *testing.T) {
	t.Parallel()
	o := startOrg(t, false)
	for _, id := range []string{"alice", "bob"} {
		createUser(t, o, id)
	}
	url := o.Server.URL()
	laptop := startUser(t, url, "alice", false, audio.Silence(), withToken(openSession(t, o, "alice")))
	phone := startUser(t, url, "alice", false, audio.Silence(), withToken(openSession(t, o, "alice")))
	bob := startUser(t, url, "bob", false, audio.Silence(), withToken(openSession(t, o, "bob")))

	laptop.SendChat("bob", "from my laptop")
	c := phone.ev.waitChat(t, "copy on the phone", "bob", hasText("from my laptop", ChatSent))
	if m, _ := lastMsg(c); !m.Mine || c.Unread != 0 {
		t.Fatalf("my own copy = %+v, unread %d", m, c.Unread)
	}
	bob.ev.waitChat(t, "bob receives", "alice", hasText("from my laptop", ChatSent))
}

func TestInCallChat(t *testing.T) {
	t.Parallel()
	alice, bob := newTwo(t, false, false, audio.Silence)
	if err := alice.SendCallChat("no call yet"); err != ErrNoCall {
		t.Fatalf("in-call chat without a call: %v", err)
	}
	ca, _ := placeCall(t, alice, bob)
	if err := alice.SendCallChat("can you hear me?"); err != nil {
		t.Fatal(err)
	}
	c := bob.ev.waitChat(t, "in-call chat", "alice", hasText("can you hear me?", ChatSent))
	if got := c.InCall(ca.ID); len(got) != 1 || got[0].CallID != ca.ID {
		t.Fatalf("in-call messages of %s: %+v", ca.ID, c.Messages)
	}
	if err := bob.SendCallChat("yes"); err != nil {
		t.Fatal(err)
	}
	alice.ev.waitChat(t, "reply", "bob", hasText("yes", ChatSent))
	alice.Hangup()
	alice.endsWith(t, EndHangup)
	// After the call, the panel's last words go to the same person 1:1.
	if err := alice.SendCallChat("bye"); err != nil {
		t.Fatal(err)
	}
	c = bob.ev.waitChat(t, "after the call", "alice", hasText("bye", ChatSent))
	if m, _ := lastMsg(c); m.CallID != "" {
		t.Fatalf("message after the call kept call id %q", m.CallID)
	}
	// Bug 6: the panel it was typed in still shows it.
	mine := alice.ev.waitChat(t, "bye stored", "bob", hasText("bye", ChatSent))
	if got := mine.InCall(ca.ID); len(got) == 0 || got[len(got)-1].Text != "bye" {
		t.Fatalf("the call's panel lost the message typed after hang-up: %+v", got)
	}
}

func TestStatusSeenByOthersAndBusyStillRings(t *testing.T) {
	t.Parallel()
	alice, bob := newTwo(t, false, false, audio.Silence)
	bob.sees(t, "alice", PresenceOnline)
	alice.SetStatus(PresenceBusy)
	bob.sees(t, "alice", PresenceBusy)
	bob.Call("alice")
	alice.ev.waitCall(t, "a busy person's phone still rings", func(c CallInfo) bool { return c.State == CallIncoming })
	alice.Decline()
	alice.SetStatus(PresenceAway)
	bob.sees(t, "alice", PresenceAway)
	alice.SetStatus(PresenceInCall) // not the user's to choose: ignored
	alice.SetStatus(PresenceOnline)
	bob.sees(t, "alice", PresenceOnline)
}

func createUser(t testing.TB, o *org.Org, id string) {
	t.Helper()
	if _, err := o.Accounts.CreateUser(context.Background(), accounts.NewUser{ID: id, DisplayName: "User " + id, Password: "password of " + id}); err != nil {
		t.Fatal(err)
	}
}

// openSession creates id if needed and returns a session token for it.
func openSession(t testing.TB, o *org.Org, id string) string {
	t.Helper()
	if _, err := o.Accounts.Store().User(context.Background(), id); err != nil {
		createUser(t, o, id)
	}
	in, err := o.Accounts.OpenSession(context.Background(), id, "127.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	return in.Token
}

func withToken(tok string) userOption { return func(c *Config) { c.Token = tok } }

// signedInSoftphone signs a Softphone in to o with a password, as the app
// does for a real organization.
func signedInSoftphone(t *testing.T, o *org.Org, id string) (*Softphone, *events) {
	t.Helper()
	sp, ev := newSoftphone(t, NewMemoryPreferences())
	if err := sp.SignIn(o.Server.BaseURL(), id, "password of "+id); err != nil {
		t.Fatal(err)
	}
	ev.waitFor(t, id+" signed in", func(e *events) bool { return e.signedIn && e.policy != nil })
	return sp, ev
}

func TestChatHistoryAfterReopen(t *testing.T) {
	t.Parallel()
	o := startOrg(t, false)
	createUser(t, o, "alice")
	createUser(t, o, "bob")
	ctx := context.Background()
	for i := range 55 { // older than this run: only the server has them
		from, to := "alice", "bob"
		if i%2 == 1 {
			from, to = to, from
		}
		if _, err := o.Chat.Post(ctx, from, to, "", fmt.Sprintf("old %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	alice, aev := signedInSoftphone(t, o, "alice")
	alice.SendChat("bob", "new")
	aev.waitChat(t, "sent", "bob", hasText("new", ChatSent))

	// Bob starts the app afterwards and opens the conversation.
	bob, bev := signedInSoftphone(t, o, "bob")
	if err := bob.LoadHistory(ctx, "alice", false); err != nil {
		t.Fatal(err)
	}
	c := bob.Conversation("alice")
	if len(c.Messages) != historyPage || !c.MoreHistory {
		t.Fatalf("newest page: %d messages, more=%v", len(c.Messages), c.MoreHistory)
	}
	if m, _ := lastMsg(c); m.Text != "new" || m.Mine {
		t.Fatalf("newest message = %+v", m)
	}
	if err := bob.LoadHistory(ctx, "alice", true); err != nil {
		t.Fatal(err)
	}
	c = bob.Conversation("alice")
	if len(c.Messages) != 56 || c.MoreHistory {
		t.Fatalf("after paging: %d messages, more=%v", len(c.Messages), c.MoreHistory)
	}
	for i, m := range c.Messages[:55] {
		if m.Text != fmt.Sprintf("old %d", i) || m.Mine != (i%2 == 1) {
			t.Fatalf("message %d = %+v", i, m)
		}
	}
	// Re-opening fetches the newest page again without duplicating.
	bob.OpenChat("alice")
	if err := bob.LoadHistory(ctx, "alice", false); err != nil {
		t.Fatal(err)
	}
	if c = bob.Conversation("alice"); len(c.Messages) != 56 || c.MoreHistory {
		t.Fatalf("after re-open: %d messages, more=%v", len(c.Messages), c.MoreHistory)
	}
	bev.waitChat(t, "listener saw the history", "alice", func(c Conversation) bool { return len(c.Messages) == 56 })
}

func TestDirectorySearch(t *testing.T) {
	t.Parallel()
	o := startOrg(t, false)
	for _, id := range []string{"alice", "bob", "carol"} {
		createUser(t, o, id)
	}
	alice, aev := signedInSoftphone(t, o, "alice")
	_, _ = signedInSoftphone(t, o, "bob")
	ctx := context.Background()
	if err := alice.Search(ctx, ""); err != nil {
		t.Fatal(err)
	}
	aev.waitFor(t, "everyone listed", func(e *events) bool {
		b, okB := e.contact("bob")
		c, okC := e.contact("carol")
		_, me := e.contact("alice")
		return okB && b.Presence == PresenceOnline && okC && c.Presence == PresenceOffline && !me && len(e.contacts) == 2
	})
	if err := alice.Search(ctx, "CAR"); err != nil {
		t.Fatal(err)
	}
	aev.waitFor(t, "search narrows", func(e *events) bool {
		return len(e.contacts) == 1 && e.contacts[0].ID == "carol" && e.contacts[0].Name == "User carol"
	})
}

func TestLocalOrganizationHasDirectoryAndHistory(t *testing.T) {
	t.Parallel()
	sp, ev := newSoftphone(t, NewMemoryPreferences())
	if err := sp.StartLocal("Alice"); err != nil {
		t.Fatal(err)
	}
	ev.waitFor(t, "signed in", func(e *events) bool { return e.signedIn })
	bob := startUser(t, signalingURLOf(t, sp.LocalServerURL()), "bob", false, audio.Silence())
	bob.SendChat("alice", "hello neighbour")
	ev.waitChat(t, "received", "bob", hasText("hello neighbour", ChatSent))

	ctx := context.Background()
	if err := sp.Search(ctx, "bo"); err != nil {
		t.Fatal(err)
	}
	ev.waitFor(t, "bob in the directory", func(e *events) bool { return len(e.contacts) == 1 && e.contacts[0].ID == "bob" })
	// The local session is reused, not opened per request.
	tok := sp.localToken
	if err := sp.LoadHistory(ctx, "bob", false); err != nil {
		t.Fatal(err)
	}
	if sp.localToken != tok {
		t.Fatal("a second local session was opened")
	}
	if c := sp.Conversation("bob"); len(c.Messages) != 1 || c.MoreHistory {
		t.Fatalf("history = %+v", c)
	}
}

func signalingURLOf(t *testing.T, base string) string {
	t.Helper()
	u, err := parseServerURL(base)
	if err != nil {
		t.Fatal(err)
	}
	return signalingURL(u)
}
