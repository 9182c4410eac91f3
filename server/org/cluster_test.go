package org_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/server/org/orgtest"
	"github.com/parley-voip/parley/signaling"
)

// cluster is three nodes with root (an admin), alice, bob and carol.
func cluster(t *testing.T) []*org.Org {
	t.Helper()
	nodes := orgtest.Cluster(t, 3, org.Config{})
	ctx := context.Background()
	if _, err := nodes[0].Accounts.InitOrg(ctx, "Example", accounts.NewUser{ID: "root", Password: "root-password"}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"alice", "bob", "carol"} {
		if _, err := nodes[0].Accounts.CreateUser(ctx, accounts.NewUser{ID: id, Password: "correct horse battery"}); err != nil {
			t.Fatal(err)
		}
	}
	return nodes
}

// connectTo signs id in on node o and opens its signaling connection.
func connectTo(t *testing.T, o *org.Org, id string) *signaling.Conn {
	t.Helper()
	ctx := context.Background()
	s, err := o.Accounts.OpenSession(ctx, id, "127.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	c, err := signaling.Dial(ctx, o.Server.URL(), signaling.User{ID: id}, signaling.WithToken(s.Token))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func send(t *testing.T, c *signaling.Conn, m *signaling.Message) {
	t.Helper()
	if err := c.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
}

// awaitStatus subscribes c to id and waits until id has status st.
func awaitStatus(t *testing.T, c *signaling.Conn, id string, st signaling.Status) {
	t.Helper()
	send(t, c, &signaling.Message{Type: signaling.TypeSubscribe, ID: "sub-" + id + "-" + string(st), IDs: []string{id}})
	for {
		m := next(t, c, signaling.TypePresence)
		for _, u := range m.Users {
			if u.ID == id && u.Status == st {
				return
			}
		}
	}
}

// Alice on node 1 calls bob on node 2, with E2EE chosen and not; each
// sees the other in a call; alice chats with carol on node 3; an admin's
// policy change through node 3's admin API reaches all three live; each
// call is in each party's history once.
func TestThreeNodesCallChatAndPolicy(t *testing.T) {
	t.Parallel()
	nodes := cluster(t)
	alice := connectTo(t, nodes[0], "alice")
	bob := connectTo(t, nodes[1], "bob")
	carol := connectTo(t, nodes[2], "carol")
	bobLaptop := connectTo(t, nodes[2], "bob") // bob's second device, on node 3
	for _, c := range []*signaling.Conn{alice, bob, carol, bobLaptop} {
		nextPolicy(t, c) // at sign-in
	}
	awaitStatus(t, alice, "bob", signaling.StatusAvailable)
	awaitStatus(t, carol, "alice", signaling.StatusAvailable)

	for i, e2ee := range []bool{true, false} {
		id := []string{"call-e2ee", "call-standard"}[i]
		send(t, alice, &signaling.Message{Type: signaling.TypeInvite, To: "bob", CallID: id, E2EE: e2ee})
		if m := next(t, bob, signaling.TypeInvite); m.From != "alice" || m.CallID != id || m.E2EE != e2ee {
			t.Fatalf("bob's invite: %+v", m)
		}
		send(t, bob, &signaling.Message{Type: signaling.TypeRinging, CallID: id})
		next(t, alice, signaling.TypeRinging)
		send(t, bob, &signaling.Message{Type: signaling.TypeAccept, CallID: id, E2EE: e2ee, E2EECall: e2ee})
		if m := next(t, alice, signaling.TypeAccept); m.From != "bob" || m.E2EECall != e2ee {
			t.Fatalf("alice's accept: %+v", m)
		}
		if m := next(t, bobLaptop, signaling.TypeHangup); m.CallID != id || m.Reason != signaling.ReasonAnsweredElsewhere {
			t.Fatalf("bob's laptop on node 3, which rang too: %+v, want hangup answered-elsewhere", m)
		}
		send(t, alice, &signaling.Message{Type: signaling.TypeOffer, CallID: id, SDP: "v=0 offer", E2EECall: e2ee})
		if m := next(t, bob, signaling.TypeOffer); m.SDP != "v=0 offer" || m.From != "alice" {
			t.Fatalf("bob's offer: %+v", m)
		}
		send(t, bob, &signaling.Message{Type: signaling.TypeAnswer, CallID: id, SDP: "v=0 answer"})
		if m := next(t, alice, signaling.TypeAnswer); m.SDP != "v=0 answer" {
			t.Fatalf("alice's answer: %+v", m)
		}
		send(t, bob, &signaling.Message{Type: signaling.TypeCandidate, CallID: id, Candidate: &signaling.Candidate{Candidate: "candidate:1 1 udp 1 127.0.0.1 9 typ host"}})
		next(t, alice, signaling.TypeCandidate)
		awaitStatus(t, carol, "alice", signaling.StatusInCall)
		awaitStatus(t, carol, "bob", signaling.StatusInCall)
		send(t, alice, &signaling.Message{Type: signaling.TypeHangup, CallID: id})
		next(t, bob, signaling.TypeHangup)
		awaitStatus(t, carol, "bob", signaling.StatusAvailable)
		// Bob's record, written by node 2, reaches his laptop on node 3.
		if m := next(t, bobLaptop, signaling.TypeCallRecord); m.Call == nil || m.Call.CallID != id {
			t.Fatalf("bob's laptop: %+v, want the record of %s", m.Call, id)
		}
	}

	// Chat across nodes: acknowledged to alice, delivered to carol.
	send(t, alice, &signaling.Message{Type: signaling.TypeChat, ID: "m-1", To: "carol", Text: "hello from node 1"})
	ack := next(t, alice, signaling.TypeChatAck)
	if got := next(t, carol, signaling.TypeChat); got.Chat == nil || got.Chat.ID != ack.Chat.ID || got.Chat.Text != "hello from node 1" {
		t.Fatalf("carol got %+v, want %+v", got.Chat, ack.Chat)
	}

	// A policy change through node 3's admin API reaches every node.
	ctx := context.Background()
	root, err := nodes[2].Accounts.OpenSession(ctx, "root", "127.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]string{"e2ee": "UserCanEnable"})
	req, _ := http.NewRequest(http.MethodPatch, nodes[2].Server.BaseURL()+"/api/admin/policies/Global", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+root.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PATCH Global: %s", resp.Status)
	}
	for _, c := range []*signaling.Conn{alice, bob, carol} {
		for p := nextPolicy(t, c); !p.E2EE.Allows(); p = nextPolicy(t, c) {
			// an earlier push (sign-in) may still be ahead of it
		}
	}

	// Each call is in alice's and bob's history once (the two nodes'
	// sides each write their own party's record).
	deadline := time.Now().Add(20 * time.Second)
	for _, id := range []string{"alice", "bob"} {
		for {
			recs, err := nodes[0].CallLog.List(ctx, id, time.Time{}, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) == 2 {
				break
			}
			if len(recs) > 2 || time.Now().After(deadline) {
				t.Fatalf("%s's history: %+v, want the two calls once each", id, recs)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// A user's sign-out on one node closes their connection on another.
func TestSignOutClosesConnectionOnAnotherNode(t *testing.T) {
	t.Parallel()
	nodes := cluster(t)
	ctx := context.Background()
	s, err := nodes[0].Accounts.OpenSession(ctx, "bob", "127.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	bob, err := signaling.Dial(ctx, nodes[1].Server.URL(), signaling.User{ID: "bob"}, signaling.WithToken(s.Token))
	if err != nil {
		t.Fatal(err)
	}
	defer bob.Close()
	nextPolicy(t, bob)
	// Node 1 knows bob is on node 2 before he signs out there.
	awaitStatus(t, connectTo(t, nodes[0], "alice"), "bob", signaling.StatusAvailable)
	if err := nodes[0].Accounts.SignOut(ctx, s.Token); err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	for {
		if _, err := bob.Recv(rctx); err != nil {
			if rctx.Err() != nil {
				t.Fatal("bob's connection on node 2 outlived his sign-out on node 1")
			}
			return
		}
	}
}

// TestReadOnOneNodeClearsOnAnother: bob is signed in on two nodes; the
// chat-read his device on node 1 sends reaches his device on node 2 with
// the unread count after it.
func TestReadOnOneNodeClearsOnAnother(t *testing.T) {
	nodes := cluster(t)
	alice := connectTo(t, nodes[2], "alice")
	bob1 := connectTo(t, nodes[0], "bob")
	bob2 := connectTo(t, nodes[1], "bob")
	awaitStatus(t, alice, "bob", signaling.StatusAvailable)
	var last *signaling.ChatMessage
	for _, id := range []string{"r-1", "r-2"} {
		send(t, alice, &signaling.Message{Type: signaling.TypeChat, ID: id, To: "bob", Text: "unread " + id})
		last = next(t, alice, signaling.TypeChatAck).Chat
		next(t, bob2, signaling.TypeChat)
	}
	send(t, bob1, &signaling.Message{Type: signaling.TypeChatRead, To: "alice", Read: &signaling.ChatRead{UpTo: last.ID}})
	for i, c := range []*signaling.Conn{bob1, bob2} {
		if m := next(t, c, signaling.TypeChatRead); m.To != "alice" || m.Read.UpTo != last.ID || m.Read.Unread != 0 {
			t.Fatalf("bob's device %d got %+v %+v", i+1, m, m.Read)
		}
	}
}
