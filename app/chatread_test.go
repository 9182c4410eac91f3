package app

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/parley-voip/parley/media/audio"
)

// unreadFrom waits until the listed contact id shows n unread messages.
func unreadFrom(t *testing.T, ev *events, what, id string, n int) {
	t.Helper()
	ev.waitFor(t, what, func(e *events) bool {
		c, ok := e.contact(id)
		return ok && c.Unread == n && e.convs[id].Unread == n
	})
}

// TestUnreadWhileOfflineAndReadOnAnotherDevice: messages sent while bob
// has no device signed in badge as soon as he signs in (bug 5); reading
// the conversation on his laptop clears the badge on his phone; a later
// message counts again on both.
func TestUnreadWhileOfflineAndReadOnAnotherDevice(t *testing.T) {
	t.Parallel()
	o := startOrg(t, false)
	createUser(t, o, "alice")
	createUser(t, o, "bob")
	alice, aev := signedInSoftphone(t, o, "alice")
	for _, text := range []string{"one", "two", "three"} {
		alice.SendChat("bob", text)
		aev.waitChat(t, "sent", "bob", hasText(text, ChatSent))
	}

	laptop, lev := signedInSoftphone(t, o, "bob")
	unreadFrom(t, lev, "3 unread on the laptop after sign-in", "alice", 3)
	if m, ok := lastMsg(lev.convs["alice"]); !ok || m.Text != "three" || m.Mine {
		t.Fatalf("Chat list's newest message = %+v", m)
	}
	_, pev := signedInSoftphone(t, o, "bob")
	unreadFrom(t, pev, "3 unread on the phone", "alice", 3)

	laptop.OpenChat("alice")
	unreadFrom(t, lev, "read on the laptop", "alice", 0)
	unreadFrom(t, pev, "cleared on the phone by the laptop's reading", "alice", 0)

	laptop.CloseChat()
	alice.SendChat("bob", "four")
	unreadFrom(t, lev, "a new message on the laptop", "alice", 1)
	unreadFrom(t, pev, "a new message on the phone", "alice", 1)
}

func FuzzDecodeConversations(f *testing.F) {
	f.Add([]byte(`{"conversations":[{"peer":"bob","last":{"id":"42","from":"bob","to":"alice","text":"hi","sent":1700000000000},"unread":3},{"peer":"carol","last":{"id":"7","from":"alice","to":"carol","text":"yo","sent":1},"unread":0}]}`))
	f.Add([]byte(`{"conversations":[]}`))
	f.Add([]byte(`{"conversations":[{"peer":"eve","last":{"id":"1","from":"bob","to":"carol","text":"not mine","sent":0},"unread":1}]}`))
	f.Add([]byte(`{"conversations":[{"peer":"bob","last":{"id":"1","from":"bob","to":"alice","text":"x","sent":0},"unread":-2}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := decodeConversations(data, "alice")
		if err != nil {
			if !errors.Is(err, ErrBadAnswer) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		for _, s := range list {
			if s.Unread < 0 || s.Peer == "alice" || s.Last.From != "alice" && s.Last.To != "alice" {
				t.Fatalf("accepted %+v", s)
			}
		}
		b, err := json.Marshal(conversationsAnswer{Conversations: list})
		if err != nil {
			t.Fatal(err)
		}
		again, err := decodeConversations(b, "alice")
		if err != nil || !reflect.DeepEqual(again, list) {
			t.Fatalf("round trip: %v, %+v vs %+v", err, again, list)
		}
	})
}

// TestInCallPanelReadClearsMyOtherDevice: bob answers on his laptop; a
// message in the call's chat badges his phone until the laptop's in-call
// panel (OpenChat, as the panel does) shows it.
func TestInCallPanelReadClearsMyOtherDevice(t *testing.T) {
	t.Parallel()
	o := startOrg(t, false)
	url := o.Server.URL()
	alice := startUser(t, url, "alice", false, audio.Silence(), withToken(openSession(t, o, "alice")))
	laptop := startUser(t, url, "bob", false, audio.Silence(), withToken(openSession(t, o, "bob")))
	phone := startUser(t, url, "bob", false, audio.Silence(), withToken(openSession(t, o, "bob")))
	phone.ev.waitFor(t, "phone signed in", func(e *events) bool { return e.signedIn })
	placeCall(t, alice, laptop)
	if err := alice.SendCallChat("can you see this?"); err != nil {
		t.Fatal(err)
	}
	unreadFrom(t, phone.ev, "the in-call message badges the phone", "alice", 1)
	laptop.OpenChat("alice") // the in-call panel opens
	unreadFrom(t, laptop.ev, "read in the laptop's panel", "alice", 0)
	unreadFrom(t, phone.ev, "cleared on the phone", "alice", 0)
}
