package server

import (
	"testing"

	"github.com/parley-voip/parley/signaling"
)

// A client that lost the ack of m1 sends it again: it gets the original
// ack (same record) and the conversation holds the message once.
func TestChatResendAfterLostAckStoredOnce(t *testing.T) {
	t.Parallel()
	o := startOrg(t, Config{}, "alice", "bob")
	alice, aliceSession := o.connect("alice")
	msg := &signaling.Message{Type: signaling.TypeChat, ID: "m1", To: "bob", Text: "exactly once"}
	alice.send(msg)
	first := alice.expect(signaling.TypeChatAck)
	alice.send(msg)
	second := alice.expect(signaling.TypeChatAck)
	if second.Ref != "m1" || *second.Chat != *first.Chat {
		t.Fatalf("resend acked %+v %+v, want the original %+v", second, second.Chat, first.Chat)
	}
	var page struct{ Messages []signaling.ChatMessage }
	if code := o.api("GET", "/api/chats/bob/messages", aliceSession.Token, nil, &page); code != 200 || len(page.Messages) != 1 {
		t.Fatalf("history = %d, %+v; want the message once", code, page.Messages)
	}
}

// TestChatUnreadSurvivesOfflineAndClearsOnEveryDevice: messages sent
// while bob has no device connected are counted in GET /api/chats; a
// chat-read from one of bob's devices stores his mark, reaches both of
// his devices with the count after it, and the list then reads 0.
func TestChatUnreadSurvivesOfflineAndClearsOnEveryDevice(t *testing.T) {
	t.Parallel()
	o := startOrg(t, Config{}, "alice", "bob", "carol")
	alice, aliceSession := o.connect("alice")
	for _, text := range []string{"one", "two", "three"} {
		alice.send(&signaling.Message{Type: signaling.TypeChat, ID: text, To: "bob", Text: text})
		alice.expect(signaling.TypeChatAck)
	}
	type list struct{ Conversations []signaling.ChatSummary }
	var bobList list
	bob1, bobSession := o.connect("bob")
	if code := o.api("GET", "/api/chats", bobSession.Token, nil, &bobList); code != 200 || len(bobList.Conversations) != 1 {
		t.Fatalf("bob's conversations = %d %+v", code, bobList)
	}
	c := bobList.Conversations[0]
	if c.Peer != "alice" || c.Unread != 3 || c.Last.Text != "three" {
		t.Fatalf("bob's conversation with alice = %+v, want 3 unread, last \"three\"", c)
	}
	bob2, _ := o.connect("bob")
	bob1.send(&signaling.Message{Type: signaling.TypeChatRead, To: "alice", Read: &signaling.ChatRead{UpTo: c.Last.ID}})
	for _, dev := range []*client{bob1, bob2} {
		m := dev.expect(signaling.TypeChatRead)
		if m.To != "alice" || m.Read.UpTo != c.Last.ID || m.Read.Unread != 0 {
			t.Fatalf("%s got chat-read %+v %+v", dev.id, m, m.Read)
		}
	}
	if code := o.api("GET", "/api/chats", bobSession.Token, nil, &bobList); code != 200 || bobList.Conversations[0].Unread != 0 {
		t.Fatalf("after reading, bob's list = %d %+v", code, bobList)
	}
	// alice's side is hers: bob's reading does not touch her list, and her
	// list never shows carol's conversations.
	var aliceList list
	if code := o.api("GET", "/api/chats", aliceSession.Token, nil, &aliceList); code != 200 ||
		len(aliceList.Conversations) != 1 || aliceList.Conversations[0].Peer != "bob" || aliceList.Conversations[0].Unread != 0 {
		t.Fatalf("alice's list = %d %+v", code, aliceList)
	}
	alice.expectQuiet() // no chat-read of bob's reaches alice
}

// TestChatReadAuthorization: the list is the caller's own, a chat-read
// moves only the sender's mark, and bad marks are refused.
func TestChatReadAuthorization(t *testing.T) {
	t.Parallel()
	o := startOrg(t, Config{}, "alice", "bob", "carol")
	alice, _ := o.connect("alice")
	carol, carolSession := o.connect("carol")
	alice.send(&signaling.Message{Type: signaling.TypeChat, ID: "a1", To: "bob", Text: "for bob"})
	ack := alice.expect(signaling.TypeChatAck)
	// carol sees no conversation of alice and bob.
	var l struct{ Conversations []signaling.ChatSummary }
	if code := o.api("GET", "/api/chats", carolSession.Token, nil, &l); code != 200 || len(l.Conversations) != 0 {
		t.Fatalf("carol's list = %d %+v, want none", code, l)
	}
	// carol marking "alice" read moves carol's mark only: bob's count stays.
	carol.send(&signaling.Message{Type: signaling.TypeChatRead, To: "alice", Read: &signaling.ChatRead{UpTo: ack.Chat.ID}})
	if m := carol.expect(signaling.TypeChatRead); m.Read.UpTo != "0" {
		t.Fatalf("carol's mark of a conversation she is not in = %+v", m.Read)
	}
	// alice marking her conversation with bob read does not read it for bob.
	alice.send(&signaling.Message{Type: signaling.TypeChatRead, To: "bob", Read: &signaling.ChatRead{UpTo: ack.Chat.ID}})
	alice.expect(signaling.TypeChatRead)
	bob := o.signIn("bob")
	if code := o.api("GET", "/api/chats", bob.Token, nil, &l); code != 200 || len(l.Conversations) != 1 || l.Conversations[0].Unread != 1 {
		t.Fatalf("bob's list after others marked = %d %+v, want 1 unread", code, l)
	}
	// A client may not claim a count, nor mark itself.
	alice.send(&signaling.Message{Type: signaling.TypeChatRead, ID: "r1", To: "bob", Read: &signaling.ChatRead{UpTo: "1", Unread: 3}})
	alice.expectError(signaling.CodeMalformed)
	alice.send(&signaling.Message{Type: signaling.TypeChatRead, ID: "r2", To: "alice", Read: &signaling.ChatRead{UpTo: "1"}})
	alice.expectError(signaling.CodeMalformed)
}
