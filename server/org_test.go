package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/signaling"
)

func TestOrgRefusesUnauthenticatedSignaling(t *testing.T) {
	t.Parallel()
	o := startOrg(t, Config{}, "alice", "bob")
	ctx := testCtx(t)
	bob := o.signIn("bob")
	tests := []struct {
		name string
		user signaling.User
		opts []signaling.DialOption
	}{
		{"claimed identity only", signaling.User{ID: "alice"}, nil},
		{"junk token", signaling.User{}, []signaling.DialOption{signaling.WithToken("pst_junk")}},
		{"well-formed unknown token", signaling.User{}, []signaling.DialOption{signaling.WithToken("pst_" + strings.Repeat("x", 43))}},
		{"bob's token claiming alice", signaling.User{ID: "alice"}, []signaling.DialOption{signaling.WithToken(bob.Token)}},
	}
	for _, tc := range tests {
		_, err := signaling.Dial(ctx, o.srv.URL(), tc.user, tc.opts...)
		var se *signaling.ServerError
		if !errors.As(err, &se) || se.Code != signaling.CodeUnauthorized {
			t.Errorf("%s: Dial = %v, want unauthorized", tc.name, err)
		}
	}
	// The token may also travel in hello (browsers cannot set headers).
	hello := &signaling.Message{Type: signaling.TypeHello, Token: bob.Token}
	if err := hello.Validate(); err != nil {
		t.Fatal(err)
	}
	c, err := signaling.Dial(ctx, o.srv.URL(), signaling.User{ID: "bob"}, signaling.WithHeader(http.Header{"Authorization": {"Bearer " + bob.Token}}))
	if err != nil {
		t.Fatalf("bob with his own token: %v", err)
	}
	c.Close()
}

func TestOrgRefusesUnauthenticatedAPI(t *testing.T) {
	t.Parallel()
	o := startOrg(t, Config{}, "alice")
	routes := []struct{ method, path string }{
		{"GET", "/api/users"}, {"GET", "/api/users/alice"}, {"GET", "/api/chats/alice/messages"}, {"GET", "/api/chats"}, {"GET", "/api/calls"},
		{"GET", "/api/me"}, {"GET", "/api/sessions"}, {"DELETE", "/api/sessions/x"}, {"POST", "/api/signout"},
	}
	for _, rt := range routes {
		for _, tok := range []string{"", "pst_junk"} {
			if code := o.api(rt.method, rt.path, tok, nil, nil); code != http.StatusUnauthorized {
				t.Errorf("%s %s with %q: %d, want 401", rt.method, rt.path, tok, code)
			}
		}
	}
	var info Info
	if code := o.api("GET", "/api/info", "", nil, &info); code != http.StatusOK || !info.Accounts || info.TLS {
		t.Fatalf("/api/info = %d %+v", code, info)
	}
}

func TestOrgChatDeliveredToEveryDevice(t *testing.T) {
	t.Parallel()
	o := startOrg(t, Config{}, "alice", "bob", "carol")
	alice1, aliceSession := o.connect("alice")
	alice2, _ := o.connect("alice")
	bob1, bobSession := o.connect("bob")
	bob2, _ := o.connect("bob")
	carol, carolSession := o.connect("carol")
	alice1.awaitPresence("all online", presenceIs("alice=available", "bob=available", "carol=available"))

	alice1.send(&signaling.Message{Type: signaling.TypeChat, ID: "m1", To: "bob", Text: "hello Bob"})
	ack := alice1.expect(signaling.TypeChatAck)
	if ack.Ref != "m1" || ack.Chat.From != "alice" || ack.Chat.To != "bob" || ack.Chat.Text != "hello Bob" || ack.Chat.ID == "" {
		t.Fatalf("ack = %+v %+v", ack, ack.Chat)
	}
	for _, c := range []*client{alice2, bob1, bob2} {
		m := c.expect(signaling.TypeChat)
		if *m.Chat != *ack.Chat {
			t.Fatalf("%s got %+v, want %+v", c.id, m.Chat, ack.Chat)
		}
	}
	bob2.send(&signaling.Message{Type: signaling.TypeChat, ID: "r1", To: "alice", Text: "hi Alice"})
	bob2.expect(signaling.TypeChatAck)
	alice1.expect(signaling.TypeChat)
	alice2.expect(signaling.TypeChat)
	bob1.expect(signaling.TypeChat)
	carol.expectQuiet()
	alice1.expectQuiet()

	// History: both parties see both messages, newest first; carol sees
	// nothing of it, whichever peer she names.
	var page struct{ Messages []signaling.ChatMessage }
	if code := o.api("GET", "/api/chats/bob/messages", aliceSession.Token, nil, &page); code != 200 ||
		len(page.Messages) != 2 || page.Messages[0].Text != "hi Alice" || page.Messages[1].Text != "hello Bob" {
		t.Fatalf("alice's history: %d %+v", code, page)
	}
	if code := o.api("GET", "/api/chats/alice/messages", bobSession.Token, nil, &page); code != 200 || len(page.Messages) != 2 {
		t.Fatalf("bob's history: %d %+v", code, page)
	}
	for _, peer := range []string{"alice", "bob"} {
		if code := o.api("GET", "/api/chats/"+peer+"/messages", carolSession.Token, nil, &page); code != 200 || len(page.Messages) != 0 {
			t.Fatalf("carol reading %s: %d %+v", peer, code, page)
		}
	}
	if code := o.api("GET", "/api/chats/bob/messages?limit=1", aliceSession.Token, nil, &page); code != 200 || len(page.Messages) != 1 {
		t.Fatalf("limit=1: %d %+v", code, page)
	}
	before := page.Messages[0].ID
	if code := o.api("GET", "/api/chats/bob/messages?before="+before, aliceSession.Token, nil, &page); code != 200 ||
		len(page.Messages) != 1 || page.Messages[0].Text != "hello Bob" {
		t.Fatalf("before=%s: %d %+v", before, code, page)
	}
	for _, q := range []string{"?limit=-1", "?limit=100000", "?before=x"} {
		if code := o.api("GET", "/api/chats/bob/messages"+q, aliceSession.Token, nil, nil); code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, code)
		}
	}
}

func TestOrgChatErrors(t *testing.T) {
	t.Parallel()
	o := startOrg(t, Config{}, "alice", "bob")
	alice, _ := o.connect("alice")
	bob, _ := o.connect("bob")
	alice.awaitPresence("both", presenceIs("alice=available", "bob=available"))
	if err := o.acc.SetEnabled(context.Background(), "bob", false); err != nil {
		t.Fatal(err)
	}
	bob.awaitClosed()
	for _, tc := range []struct {
		m    *signaling.Message
		code signaling.ErrorCode
	}{
		{&signaling.Message{Type: signaling.TypeChat, ID: "1", To: "nobody", Text: "x"}, signaling.CodeUnknownUser},
		{&signaling.Message{Type: signaling.TypeChat, ID: "2", To: "bob", Text: "x"}, signaling.CodeUnknownUser}, // disabled
		{&signaling.Message{Type: signaling.TypeChat, ID: "3", To: "alice", Text: "x"}, signaling.CodeNotAllowed},
		{&signaling.Message{Type: signaling.TypeChat, ID: "4", CallID: "nope", Text: "x"}, signaling.CodeUnknownCall},
		{&signaling.Message{Type: signaling.TypeChat, ID: "5", Chat: &signaling.ChatMessage{ID: "1", From: "bob", To: "alice", Text: "forged"}}, signaling.CodeNotAllowed},
		{&signaling.Message{Type: signaling.TypeInvite, ID: "6", To: "nobody", CallID: "c"}, signaling.CodeUnknownUser},
		{&signaling.Message{Type: signaling.TypeStatus, ID: "7", Status: signaling.StatusInCall}, signaling.CodeNotAllowed},
		{&signaling.Message{Type: signaling.TypeChatAck, ID: "8", Ref: "x", Chat: &signaling.ChatMessage{ID: "1", From: "a", To: "b", Text: "x"}}, signaling.CodeNotAllowed},
	} {
		alice.send(tc.m)
		if m := alice.expectError(tc.code); m.Error.Ref != tc.m.ID {
			t.Errorf("%s: ref %q, want %q", tc.m.Type, m.Error.Ref, tc.m.ID)
		}
	}
	alice.expectQuiet()
}

func TestOrgInCallChatAndPresence(t *testing.T) {
	t.Parallel()
	o := startOrg(t, Config{}, "alice", "bob", "carol")
	alice, _ := o.connect("alice")
	bob, bobSession := o.connect("bob")
	carol, _ := o.connect("carol")
	carol.awaitPresence("all", presenceIs("alice=available", "bob=available", "carol=available"))

	alice.send(&signaling.Message{Type: signaling.TypeStatus, Status: signaling.StatusBusy})
	carol.awaitPresence("alice busy", presenceIs("alice=busy", "bob=available", "carol=available"))
	bob.send(&signaling.Message{Type: signaling.TypeStatus, Status: signaling.StatusAway})
	carol.awaitPresence("bob away", presenceIs("alice=busy", "bob=away", "carol=available"))

	setupCall(alice, bob, "call-1")
	carol.awaitPresence("in call", presenceIs("alice=in-call", "bob=in-call", "carol=available"))
	bob.send(&signaling.Message{Type: signaling.TypeChat, ID: "c1", CallID: "call-1", Text: "in-call hello"})
	ack := bob.expect(signaling.TypeChatAck)
	if ack.Chat.CallID != "call-1" || ack.Chat.To != "alice" {
		t.Fatalf("in-call ack %+v", ack.Chat)
	}
	if m := alice.expect(signaling.TypeChat); m.Chat.Text != "in-call hello" || m.Chat.CallID != "call-1" {
		t.Fatalf("alice got %+v", m.Chat)
	}
	// Carol is not in the call: she can neither post to it nor see it.
	carol.send(&signaling.Message{Type: signaling.TypeChat, ID: "x", CallID: "call-1", Text: "let me in"})
	carol.expectError(signaling.CodeUnknownCall)

	alice.send(&signaling.Message{Type: signaling.TypeHangup, CallID: "call-1"})
	bob.expect(signaling.TypeHangup)
	// The chosen statuses come back after the call.
	carol.awaitPresence("after call", presenceIs("alice=busy", "bob=away", "carol=available"))

	// The directory has everyone, offline included, with presence.
	carol.conn.Close()
	bob.awaitPresence("carol gone", presenceIs("alice=busy", "bob=away"))
	var dir struct{ Users []DirectoryEntry }
	if code := o.api("GET", "/api/users", bobSession.Token, nil, &dir); code != 200 || len(dir.Users) != 3 {
		t.Fatalf("directory: %d %+v", code, dir)
	}
	want := map[string]signaling.Status{"alice": signaling.StatusBusy, "bob": signaling.StatusAway, "carol": signaling.StatusOffline}
	for _, u := range dir.Users {
		if u.Presence != want[u.ID] {
			t.Errorf("%s: %s, want %s", u.ID, u.Presence, want[u.ID])
		}
	}
	if code := o.api("GET", "/api/users?q=CAR", bobSession.Token, nil, &dir); code != 200 || len(dir.Users) != 1 || dir.Users[0].ID != "carol" {
		t.Fatalf("search: %d %+v", code, dir)
	}
	var one DirectoryEntry
	if code := o.api("GET", "/api/users/alice", bobSession.Token, nil, &one); code != 200 || one.Presence != signaling.StatusBusy {
		t.Fatalf("user: %d %+v", code, one)
	}
	if code := o.api("GET", "/api/users/nobody", bobSession.Token, nil, nil); code != 404 {
		t.Fatalf("unknown user: %d", code)
	}
}

func TestOrgSignOutClosesThatDeviceOnly(t *testing.T) {
	t.Parallel()
	o := startOrg(t, Config{}, "alice", "bob")
	phone, phoneSession := o.connect("alice")
	laptop, _ := o.connect("alice")
	bob, _ := o.connect("bob")
	bob.awaitPresence("both", presenceIs("alice=available", "bob=available"))
	if code := o.api("POST", "/api/signout", phoneSession.Token, nil, nil); code != http.StatusNoContent {
		t.Fatalf("signout: %d", code)
	}
	err := phone.awaitClosed()
	var ce *signaling.CloseError
	if !errors.As(err, &ce) || ce.Code != signaling.CloseSignedOut {
		t.Fatalf("phone closed with %v, want %d", err, signaling.CloseSignedOut)
	}
	laptop.expectQuiet()
	// Notify reaches the remaining device.
	if n := o.srv.Notify("alice", &signaling.Message{Type: signaling.TypePolicy, Policy: &signaling.PolicyInfo{Name: "Global", E2EE: signaling.PolicyDisabled}}); n != 1 {
		t.Fatalf("Notify reached %d devices, want 1", n)
	}
	if m := laptop.expect(signaling.TypePolicy); m.Policy.Name != "Global" {
		t.Fatalf("policy %+v", m.Policy)
	}
	if got := o.srv.Online(); len(got) != 2 || got[0] != "alice" || got[1] != "bob" {
		t.Fatalf("Online = %v", got)
	}
	// Disabling alice signs out the laptop too.
	if err := o.acc.SetEnabled(context.Background(), "alice", false); err != nil {
		t.Fatal(err)
	}
	if err := laptop.awaitClosed(); !errors.As(err, &ce) || ce.Code != signaling.CloseSignedOut {
		t.Fatalf("laptop closed with %v", err)
	}
	bob.awaitPresence("alice gone", presenceIs("bob=available"))
}

func TestOnConnectHook(t *testing.T) {
	t.Parallel()
	o := startOrg(t, Config{}, "alice")
	got := make(chan string, 1)
	o.srv.OnConnect(func(id string) {
		o.srv.Notify(id, &signaling.Message{Type: signaling.TypePolicy, Policy: &signaling.PolicyInfo{Name: "P", E2EE: signaling.PolicyUserCanEnable}})
		got <- id
	})
	a, _ := o.connect("alice")
	if m := a.expect(signaling.TypePolicy); m.Policy.Name != "P" || <-got != "alice" {
		t.Fatalf("policy at sign-in: %+v", m.Policy)
	}
}

func TestPlainHTTPOnlyOnLoopback(t *testing.T) {
	t.Parallel()
	s, err := New(Config{Addr: "0.0.0.0:0"}, WithTrustedClaims())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Start(testCtx(t)); !errors.Is(err, ErrPlainNotLoopback) {
		t.Fatalf("Start on 0.0.0.0 without TLS: %v, want ErrPlainNotLoopback", err)
	}
}

// TestAutoProvisionLocalOrg is the desktop app's local organization: the
// skeleton's claimed-identity hello keeps working, users appear in the
// directory, chat works, and tokens still work alongside.
func TestAutoProvisionLocalOrg(t *testing.T) {
	t.Parallel()
	o := startOrgWith(t, Config{}, []Option{WithAutoProvision()}, "bob")
	alice := dial(t, o.srv, "alice") // no token: provisioned
	bob, bobSession := o.connect("bob")
	alice.awaitPresence("both", presenceIs("alice=available", "bob=available"))
	if w := alice.conn.Welcome(); w.User.Name != "Name of alice" {
		t.Fatalf("welcome %+v", w)
	}
	alice.send(&signaling.Message{Type: signaling.TypeChat, ID: "1", To: "bob", Text: "hi"})
	alice.expect(signaling.TypeChatAck)
	bob.expect(signaling.TypeChat)
	var one DirectoryEntry
	if code := o.api("GET", "/api/users/alice", bobSession.Token, nil, &one); code != 200 || one.Presence != signaling.StatusAvailable {
		t.Fatalf("provisioned user in directory: %d %+v", code, one)
	}
	// Provisioned accounts cannot be signed into with a password.
	if _, err := o.acc.SignIn(context.Background(), "alice", "", "127.0.0.1", ""); !errors.Is(err, accounts.ErrBadCredentials) {
		t.Fatalf("password sign-in to a provisioned account: %v", err)
	}
	// A bad claimed id is refused, not created.
	_, err := signaling.Dial(testCtx(t), o.srv.URL(), signaling.User{ID: "UPPER"})
	var se *signaling.ServerError
	if !errors.As(err, &se) || se.Code != signaling.CodeUnauthorized {
		t.Fatalf("invalid claimed id: %v", err)
	}
}

func TestOrgBadInputKeepsConnectionUsable(t *testing.T) {
	t.Parallel()
	o := startOrg(t, Config{}, "alice", "bob")
	bob, _ := o.connect("bob")
	alice := o.signIn("alice")
	ws := rawDial(t, o.srv)
	// The token in hello, as a browser would send it.
	rawWrite(t, ws, websocket.MessageText, `{"type":"hello","token":"`+alice.Token+`"}`)
	if m, err := rawNext(testCtx(t), t, ws); err != nil || m.Type != signaling.TypeWelcome || m.User.ID != "alice" {
		t.Fatalf("welcome = %+v, %v", m, err)
	}
	long := strings.Repeat("x", signaling.MaxChatTextLen+1)
	for _, tc := range []struct{ frame, code, ref string }{
		{`{"type":"chat","id":"big","to":"bob","text":"` + long + `"}`, "malformed", "big"},
		{`{"type":"chat","id":"u","to":"bob","text":"x","colour":"red"}`, "malformed", "u"},
		{`{"type":"status","id":"s","status":"sleeping"}`, "malformed", "s"},
		{`{"type":"chat-ack","id":"a","ref":"x"}`, "malformed", "a"},
		{`{"type":"whisper","id":"w"}`, "unknown-type", "w"},
		{`{"type":"hello","id":"h","token":"` + alice.Token + `"}`, "not-allowed", "h"},
	} {
		rawWrite(t, ws, websocket.MessageText, tc.frame)
		m, err := rawNext(testCtx(t), t, ws)
		if err != nil || m.Type != signaling.TypeError || string(m.Error.Code) != tc.code || m.Error.Ref != tc.ref {
			t.Fatalf("%.60s: got %+v %v, want %s ref %s", tc.frame, m, err, tc.code, tc.ref)
		}
	}
	rawWrite(t, ws, websocket.MessageText, `{"type":"chat","id":"ok","to":"bob","text":"still here"}`)
	if m, err := rawNext(testCtx(t), t, ws); err != nil || m.Type != signaling.TypeChatAck || m.Ref != "ok" {
		t.Fatalf("after bad input: %+v %v", m, err)
	}
	if m := bob.expect(signaling.TypeChat); m.Chat.Text != "still here" {
		t.Fatalf("bob got %+v", m.Chat)
	}
}
