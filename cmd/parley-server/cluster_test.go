package main

import (
	"context"
	"fmt"
	"syscall"
	"testing"

	"github.com/parley-voip/parley/internal/natstest"
	"github.com/parley-voip/parley/internal/pgtest"
	"github.com/parley-voip/parley/server/chat"
	"github.com/parley-voip/parley/server/store"
	"github.com/parley-voip/parley/signaling"
)

// waitStatus subscribes c to id and reads until id has status st.
func waitStatus(t *testing.T, c *signaling.Conn, id string, st signaling.Status) {
	t.Helper()
	if err := c.Send(context.Background(), &signaling.Message{Type: signaling.TypeSubscribe, IDs: []string{id}}); err != nil {
		t.Fatal(err)
	}
	for {
		m, ok := recvType(c, signaling.TypePresence)
		if !ok {
			t.Fatalf("waiting for %s %s: %+v", id, st, m)
		}
		for _, u := range m.Users {
			if u.ID == id && u.Status == st {
				return
			}
		}
	}
}

// TestKill9NodeMovesClients runs two parley-server nodes on one
// PostgreSQL and one NATS; alice on node 1 chats with bob on node 2;
// node 2 is killed with SIGKILL; alice sees bob go offline, bob signs in
// again on node 1 with the same session, every acknowledged message is
// in his history there, and chat between them is live again.
func TestKill9NodeMovesClients(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server binary")
	}
	dsn, nats := pgtest.DSN(t), natstest.URL(t)
	bin := buildBinary(t)
	d1, d2 := t.TempDir(), t.TempDir()
	initOrg(t, bin, d1, "Test", "alice", "-postgres", dsn)
	addUserIn(t, store.Config{Postgres: dsn}, "bob")
	keys, err := chat.LoadKeyring(d1, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := chat.SaveKeyring(d2, keys); err != nil {
		t.Fatal(err)
	}
	p1 := startProc(t, bin, d1, "-postgres", dsn, "-nats", nats)
	p2 := startProc(t, bin, d2, "-postgres", dsn, "-nats", nats)
	aliceTok, bobTok := p1.signIn(t, "alice", "alice-password"), p2.signIn(t, "bob", "bob-password")
	alice, bob := p1.dial(t, aliceTok), p2.dial(t, bobTok)
	waitStatus(t, alice, "bob", signaling.StatusAvailable)

	const acked = 20
	var sent []signaling.ChatMessage
	for i := range acked {
		text := fmt.Sprintf("message %d", i)
		if err := alice.Send(context.Background(), &signaling.Message{Type: signaling.TypeChat, ID: fmt.Sprint("m", i), To: "bob", Text: text}); err != nil {
			t.Fatal(err)
		}
		ack, ok := recvType(alice, signaling.TypeChatAck)
		if !ok || ack.Ref != fmt.Sprint("m", i) {
			t.Fatalf("ack %d: %+v", i, ack)
		}
		sent = append(sent, *ack.Chat)
	}
	for i := range acked {
		if m, ok := recvType(bob, signaling.TypeChat); !ok || m.Chat.ID != sent[i].ID {
			t.Fatalf("bob's delivery %d on node 2: %+v", i, m)
		}
	}
	_ = alice.Send(context.Background(), &signaling.Message{Type: signaling.TypeChat, ID: "in-flight", To: "bob", Text: "in flight"})
	if err := p2.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = p2.cmd.Wait()

	// Node 1 notices node 2's silence: bob is offline.
	waitStatus(t, alice, "bob", signaling.StatusOffline)

	// bob's client tries the next address it knows: node 1.
	bob = p1.dial(t, bobTok)
	waitStatus(t, alice, "bob", signaling.StatusAvailable)
	p1.historyHas(t, bobTok, "alice", sent)
	if err := alice.Send(context.Background(), &signaling.Message{Type: signaling.TypeChat, ID: "after", To: "bob", Text: "after the kill"}); err != nil {
		t.Fatal(err)
	}
	for {
		m, ok := recvType(bob, signaling.TypeChat)
		if !ok {
			t.Fatalf("bob on node 1: %+v", m)
		}
		if m.Chat.Text == "after the kill" {
			break
		}
	}
}
