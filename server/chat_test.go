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
