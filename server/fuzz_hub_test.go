package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/server/org/orgtest"
	"github.com/parley-voip/parley/signaling"
)

// wsPeer is a raw WebSocket client: it can send frames signaling.Encode
// would refuse, and records everything the server sends.
type wsPeer struct {
	id   string
	ws   *websocket.Conn
	in   chan *signaling.Message
	done chan struct{}
	err  error // why reading stopped; read after done
	sent map[string]bool
}

func dialPeer(ctx context.Context, t *testing.T, url, id, token string) *wsPeer {
	t.Helper()
	ws, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", id, err)
	}
	p := &wsPeer{id: id, ws: ws, in: make(chan *signaling.Message, 4096), done: make(chan struct{}), sent: map[string]bool{}}
	hello, _ := signaling.Encode(&signaling.Message{Type: signaling.TypeHello, ID: "hello", Token: token})
	if err := ws.Write(ctx, websocket.MessageText, hello); err != nil {
		t.Fatalf("hello %s: %v", id, err)
	}
	_, b, err := ws.Read(ctx)
	if err != nil {
		t.Fatalf("welcome %s: %v", id, err)
	}
	if m, err := signaling.Decode(b); err != nil || m.Type != signaling.TypeWelcome || m.User.ID != id {
		t.Fatalf("welcome for %s: %+v, %v", id, m, err)
	}
	go func() {
		defer close(p.done)
		for {
			_, b, err := ws.Read(context.Background())
			if err != nil {
				p.err = err
				return
			}
			m, err := signaling.Decode(b)
			if err != nil {
				p.err = fmt.Errorf("server sent an undecodable frame %q: %w", b, err)
				return
			}
			p.in <- m
		}
	}()
	t.Cleanup(func() { ws.CloseNow() })
	return p
}

func (p *wsPeer) write(ctx context.Context, b []byte) error {
	return p.ws.Write(ctx, websocket.MessageText, b)
}

// sync sends a probe (a hangup of a call that does not exist) and returns
// everything received before its answer; false when the connection ended.
func (p *wsPeer) sync(ctx context.Context, t *testing.T, probe string) ([]*signaling.Message, bool) {
	t.Helper()
	b, _ := signaling.Encode(&signaling.Message{Type: signaling.TypeHangup, ID: probe, CallID: "probe-no-call"}) // no script uses this id
	if err := p.write(ctx, b); err != nil {
		return nil, false
	}
	var got []*signaling.Message
	for {
		select {
		case m := <-p.in:
			if m.Type == signaling.TypeError && m.Error != nil && m.Error.Ref == probe {
				return got, true
			}
			got = append(got, m)
		case <-p.done:
			for len(p.in) > 0 {
				got = append(got, <-p.in)
			}
			return got, false
		case <-ctx.Done():
			t.Fatalf("%s: no answer to %s", p.id, probe)
		}
	}
}

// hubTypes are the message types a script can send, server-only ones
// included (the server must refuse them).
var hubTypes = []signaling.Type{
	signaling.TypeInvite, signaling.TypeRinging, signaling.TypeAccept, signaling.TypeDecline,
	signaling.TypeOffer, signaling.TypeAnswer, signaling.TypeCandidate, signaling.TypeKeyAgreement,
	signaling.TypeHangup, signaling.TypeStatus, signaling.TypeChat, signaling.TypeHello,
	signaling.TypeWelcome, signaling.TypePresence, signaling.TypeError, signaling.TypePolicy,
	signaling.TypeChatAck, "bogus",
}

// step decodes four script bytes into one message from alice (even first
// byte) or bob.
func step(run int, b [4]byte, payload string) (from int, m *signaling.Message, raw bool) {
	from = int(b[0] & 1)
	typ := hubTypes[int(b[0]>>1)%len(hubTypes)]
	calls := []string{"", fmt.Sprintf("r%d-c1", run), fmt.Sprintf("r%d-c2", run), "no-such-call"}
	to := []string{"", "alice", "bob", "carol", "nobody"}
	m = &signaling.Message{Type: typ, CallID: calls[b[1]%4], To: to[(b[1]>>2)%5]}
	if b[3] != 0 {
		m.ID = "m" + strconv.Itoa(int(b[3]))
	}
	f := b[2]
	m.E2EE = f&1 != 0
	if f&2 != 0 {
		m.From = to[(b[1]>>5)%5] // a spoofing attempt
	}
	switch typ {
	case signaling.TypeOffer, signaling.TypeAnswer:
		m.SDP = payload
	case signaling.TypeCandidate:
		m.Candidate = &signaling.Candidate{Candidate: payload}
	case signaling.TypeKeyAgreement:
		m.Data = []byte(payload)
	case signaling.TypeChat:
		m.Text = payload
	case signaling.TypeStatus:
		m.Status = []signaling.Status{signaling.StatusAvailable, signaling.StatusBusy, signaling.StatusAway, signaling.StatusInCall, signaling.StatusOffline, signaling.Status(payload)}[(f>>2)%6]
	case signaling.TypeDecline, signaling.TypeHangup:
		m.Reason = []signaling.Reason{"", signaling.ReasonDeclined, signaling.ReasonBusy, signaling.ReasonHangup, signaling.Reason(payload)}[(f>>2)%5]
	}
	return from, m, f&0x80 != 0
}

// FuzzHubMessages runs a script of up to 12 messages from two signed-in
// users, alice and bob, through a real organization server, with carol
// connected and silent, waiting for each message to be handled before the
// next. Properties: the server never drops a connection over them; what
// it relays names the real sender (a spoofed "from" never survives);
// carol sees nothing but presence, policy, invites to her, the rest of
// those calls and chat to her; every error refers to a message its
// receiver sent; and the chat store holds exactly the messages the server
// acknowledged.
func FuzzHubMessages(f *testing.F) {
	o := orgtest.Start(f, org.Config{})
	ctx := context.Background()
	tokens := map[string]string{}
	for _, id := range []string{"alice", "bob", "carol"} {
		if _, err := o.Accounts.CreateUser(ctx, accounts.NewUser{ID: id, Password: id + "-password"}); err != nil {
			f.Fatal(err)
		}
		s, err := o.Accounts.OpenSession(ctx, id, "127.0.0.1", "fuzz")
		if err != nil {
			f.Fatal(err)
		}
		tokens[id] = s.Token
	}
	// A call: invite, ringing, accept, offer, answer, candidate, e2ee, hangup.
	call := func(typ uint8, from byte, callSel, f, id byte) []byte { return []byte{typ<<1 | from, callSel, f, id} }
	const toBob, c1 = 2 << 2, 1
	f.Add(slices.Concat(call(0, 0, c1|toBob, 1, 1), call(1, 1, c1, 0, 2), call(2, 1, c1, 1, 3), call(4, 0, c1, 0, 4),
		call(5, 1, c1, 0, 5), call(6, 0, c1, 0, 6), call(7, 1, c1, 0, 7), call(8, 0, c1, 0, 8)), "v=0\r\n")
	f.Add(slices.Concat(call(0, 0, c1|toBob, 0, 1), call(3, 1, c1, 4, 2)), "")                             // declined
	f.Add(slices.Concat(call(0, 0, c1|3<<2, 0, 1), call(8, 0, c1, 0, 2)), "")                              // invite carol, hang up
	f.Add(slices.Concat(call(4, 1, c1, 0, 1), call(8, 1, c1, 0, 2)), "x")                                  // offer without a call
	f.Add(slices.Concat(call(0, 0, c1|toBob, 2|0<<5, 1), call(2, 1, c1, 2|3<<5, 2)), "")                   // spoofed from
	f.Add(slices.Concat(call(10, 0, toBob, 0, 1), call(10, 1, 1<<2, 0, 2), call(10, 0, 3<<2, 0, 3)), "hi") // chat
	f.Add(slices.Concat(call(10, 0, 4<<2, 0, 1), call(10, 0, toBob, 0, 0)), "")                            // chat to nobody, empty
	f.Add(slices.Concat(call(9, 0, 0, 0, 1), call(9, 1, 0, 3<<2, 2)), "")                                  // status, in-call
	f.Add(slices.Concat(call(11, 0, 0, 0, 1), call(12, 1, 0, 0, 2), call(13, 0, 0, 0x80, 3)), "")          // hello, server-only
	f.Add(slices.Concat(call(17, 0, 0, 0x80, 1), call(0, 0, c1|1<<2, 0, 2)), "")                           // unknown type, invite self
	f.Add(slices.Concat(call(0, 0, c1|toBob, 0, 1), call(0, 1, c1|1<<2, 0, 2), call(2, 1, c1, 0, 3)), "")  // glare on one call id
	run := 0
	// Calls carol was invited to, across inputs: the server writes call
	// history in the background, so her record of a call from one input may
	// arrive during the next.
	invitedCarol := map[string]bool{}
	f.Fuzz(func(t *testing.T, script []byte, payload string) {
		run++
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if len(script) > 48 {
			script = script[:48]
		}
		peers := map[string]*wsPeer{}
		for _, id := range []string{"alice", "bob", "carol"} {
			peers[id] = dialPeer(ctx, t, o.Server.URL(), id, tokens[id])
		}
		defer func() {
			for _, p := range peers {
				p.ws.Close(websocket.StatusNormalClosure, "")
				<-p.done
			}
		}()
		names := []string{"alice", "bob"}
		received := map[string][]*signaling.Message{}
		probes := 0
		syncAll := func(who ...string) {
			for _, id := range who {
				probes++
				got, ok := peers[id].sync(ctx, t, fmt.Sprintf("probe-%d", probes))
				received[id] = append(received[id], got...)
				if !ok {
					t.Fatalf("the server dropped %s's connection: %v (after %d messages)", id, peers[id].err, len(received[id]))
				}
			}
		}
		for i := 0; i+4 <= len(script); i += 4 {
			from, m, raw := step(run, [4]byte(script[i:i+4]), payload)
			sender := peers[names[from]]
			b, err := signaling.Encode(m)
			if err != nil {
				if !raw {
					continue // an invalid message; sent only when the script asks for raw frames
				}
				if b, err = json.Marshal(m); err != nil {
					continue
				}
			}
			if m.ID != "" {
				sender.sent[m.ID] = true
			}
			if err := sender.write(ctx, b); err != nil {
				t.Fatalf("%s write: %v", sender.id, err)
			}
			syncAll(sender.id) // handled before the next step
		}
		syncAll("alice", "bob", "alice", "bob", "carol")

		acked := map[string]string{} // stored chat id → text
		for id, msgs := range received {
			for _, m := range msgs {
				if m.From != "" && (m.From == id || !slices.Contains(names, m.From)) {
					t.Fatalf("%s received %s from %q", id, m.Type, m.From)
				}
				if m.Type == signaling.TypeError && m.Error != nil && m.Error.Ref != "" && !peers[id].sent[m.Error.Ref] && m.Error.Ref != "hello" {
					t.Fatalf("%s received an error about %q, which it never sent: %+v", id, m.Error.Ref, m.Error)
				}
				if m.Type == signaling.TypeChatAck && m.Chat != nil {
					if m.Chat.From != id {
						t.Fatalf("%s's chat acknowledged as from %q", id, m.Chat.From)
					}
					acked[m.Chat.ID] = m.Chat.Text
				}
				if m.Type == signaling.TypeChat && m.Chat != nil && (m.Chat.To != id || !slices.Contains(names, m.Chat.From)) {
					t.Fatalf("%s received chat %+v", id, m.Chat)
				}
				if id != "carol" {
					continue
				}
				switch {
				case m.Type == signaling.TypePresence, m.Type == signaling.TypePolicy, m.Type == signaling.TypeChat:
				case m.Type == signaling.TypeCaptions && m.CallID == "": // the server's captions availability at sign-in
				case m.Type == signaling.TypeInvite:
					invitedCarol[m.CallID] = true
				case m.Type.IsCallMessage() && invitedCarol[m.CallID]:
				case m.Type == signaling.TypeCallRecord && m.Call != nil && !m.Call.Outgoing && invitedCarol[m.Call.CallID]:
				default:
					t.Fatalf("carol, who sent nothing, received %s %+v", m.Type, m)
				}
			}
		}
		stored := 0
		for _, pair := range [][2]string{{"alice", "bob"}, {"alice", "carol"}, {"bob", "carol"}} {
			hist, err := o.Chat.History(ctx, pair[0], pair[1], 0, 1000)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range hist {
				if n, _ := strconv.Atoi(m.ID); n <= lastChatID {
					continue // from an earlier input
				}
				stored++
				if text, ok := acked[m.ID]; !ok || text != m.Text {
					t.Fatalf("stored chat %+v was never acknowledged as such (acked %q, %v)", m, text, ok)
				}
			}
		}
		if stored != len(acked) {
			t.Fatalf("%d chats acknowledged, %d stored", len(acked), stored)
		}
		for id := range acked {
			if n, _ := strconv.Atoi(id); n > lastChatID {
				lastChatID = n
			}
		}
	})
}

// lastChatID is the newest chat id an earlier input of FuzzHubMessages
// stored; the chat store outlives inputs.
var lastChatID int
