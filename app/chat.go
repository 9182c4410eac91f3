package app

import (
	"strconv"
	"time"

	"github.com/parley-voip/parley/signaling"
)

// ChatState is where one of my chat messages is on its way to the server.
type ChatState int

const (
	// ChatSent: the server stored it (or it came from the server).
	ChatSent ChatState = iota
	// ChatPending: typed, waiting for the server's acknowledgement.
	ChatPending
	// ChatFailed: not stored; Retry sends it again (a lost link retries
	// by itself once the app is signed in again).
	ChatFailed
)

func (s ChatState) String() string {
	switch s {
	case ChatPending:
		return "Sending…"
	case ChatFailed:
		return "Not sent"
	}
	return "Sent"
}

// ChatMessage is one message of a conversation, as the UI shows it.
type ChatMessage struct {
	// ID is the server's id (decimal, increasing); empty until stored.
	ID string
	// LocalID names a message I typed on this device, for Retry; empty
	// for messages that came from the server.
	LocalID string
	From    string
	To      string
	CallID  string // set for in-call chat
	// TypedInCall is the call whose in-call panel this message was typed
	// in, kept when it went out 1:1 because the call had just ended, so
	// the panel still shows it (this device only; never on the wire).
	TypedInCall string
	Text        string
	Sent        time.Time // the server's time once stored, the typing time before
	Mine        bool
	State       ChatState
	// Problem says why a ChatFailed message was not sent.
	Problem string
}

// Peer is the other party of the message's conversation.
func (m ChatMessage) Peer() string {
	if m.Mine {
		return m.To
	}
	return m.From
}

// Conversation is a snapshot of my chat with one contact, oldest first;
// it never changes after it is handed out.
type Conversation struct {
	Peer     string
	Messages []ChatMessage
	Unread   int
	// MoreHistory is true when the server may hold older messages than
	// the first one here (LoadEarlierChat fetches them).
	MoreHistory bool
}

// InCall returns the messages exchanged during call callID, and those
// typed in its panel after it ended.
func (c Conversation) InCall(callID string) []ChatMessage {
	var out []ChatMessage
	for _, m := range c.Messages {
		if m.CallID == callID || m.TypedInCall == callID {
			out = append(out, m)
		}
	}
	return out
}

func fromWire(rec signaling.ChatMessage, me string) ChatMessage {
	return ChatMessage{
		ID: rec.ID, From: rec.From, To: rec.To, CallID: rec.CallID, Text: rec.Text,
		Sent: time.UnixMilli(rec.Sent), Mine: rec.From == me, State: ChatSent,
	}
}

// idLess orders the server's decimal ids numerically; unparsable ids
// (never sent by a correct server) sort first.
func idLess(a, b string) bool {
	x, errA := strconv.ParseUint(a, 10, 64)
	y, errB := strconv.ParseUint(b, 10, 64)
	if errA != nil || errB != nil {
		return errA != nil && errB == nil
	}
	return x < y
}
