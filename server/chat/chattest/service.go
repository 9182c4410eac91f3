// Package chattest holds the tests chat.Service must pass on every
// database it runs on (SQLite and PostgreSQL), so that both keep messages
// the same way: paging, sealing at rest, tamper detection, key rotation
// and idempotent posting.
package chattest

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/parley-voip/parley/internal/conformance"
	"github.com/parley-voip/parley/server/chat"
	"github.com/parley-voip/parley/server/store"
	"github.com/parley-voip/parley/signaling"
)

// TestService runs the suite; open returns a fresh database with the chat
// migrations applied for each subtest.
func TestService(t *testing.T, open func(t *testing.T) *sql.DB) {
	t.Helper()
	type c = conformance.Case[env]
	conformance.Run(t, func(t *testing.T) env { return newEnv(t, open(t)) },
		c{Name: "PostAndHistory", Run: postAndHistory},
		c{Name: "TamperedRowsFailAuthentication", Run: tamperedRows},
		c{Name: "RotateReencryptPrune", Run: rotateReencryptPrune},
		c{Name: "PostOnceIsIdempotentPerSender", Run: postOnceIdempotent},
		c{Name: "ConcurrentPostOnceStoresOne", Run: concurrentPostOnce},
		c{Name: "ConversationsAndReadMarks", Run: conversationsAndReadMarks},
	)
}

// env is one service on a fresh database, its key file in dir.
type env struct {
	s   *chat.Service
	db  *sql.DB
	dir string
	kr  *chat.Keyring
}

func newEnv(t *testing.T, db *sql.DB) env {
	t.Helper()
	dir := t.TempDir()
	kr, err := chat.LoadKeyring(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	s, err := chat.New(chat.Config{DB: db, Keys: kr, Reload: func() (*chat.Keyring, error) { return chat.LoadKeyring(dir, false) }})
	if err != nil {
		t.Fatal(err)
	}
	return env{s: s, db: db, dir: dir, kr: kr}
}

// exec runs a raw statement, written with ? placeholders, as a database
// writer going around the service would.
func (e env) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := e.db.Exec(store.DialectOf(e.db).Rebind(query), args...); err != nil {
		t.Fatal(err)
	}
}

func (e env) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.QueryRow(store.DialectOf(e.db).Rebind(query), args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func postAndHistory(t *testing.T, e env) {
	ctx := context.Background()
	for i := range 25 {
		from, to := "alice", "bob"
		if i%2 == 1 {
			from, to = to, from
		}
		if _, err := e.s.Post(ctx, from, to, "", "message "+strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.s.Post(ctx, "alice", "carol", "", "for carol only"); err != nil {
		t.Fatal(err)
	}
	inCall, err := e.s.Post(ctx, "bob", "alice", "call-1", "in the call")
	if err != nil || inCall.CallID != "call-1" {
		t.Fatalf("in-call post = %+v, %v", inCall, err)
	}

	// Page through alice↔bob, newest first, 10 at a time.
	var got []string
	before := int64(0)
	for {
		page, err := e.s.History(ctx, "bob", "alice", before, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range page {
			got = append(got, m.Text)
		}
		if len(page) < 10 {
			break
		}
		before, _ = strconv.ParseInt(page[len(page)-1].ID, 10, 64)
	}
	if len(got) != 26 || got[0] != "in the call" || got[25] != "message 0" {
		t.Fatalf("history = %d messages, first %q last %q", len(got), got[0], got[len(got)-1])
	}
	if slices.Contains(got, "for carol only") {
		t.Fatal("bob's history contains alice↔carol")
	}

	// At rest: no plaintext in any stored body.
	rows, err := e.db.Query(`SELECT body FROM chat_messages`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for ; rows.Next(); n++ {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(body, []byte("message")) || bytes.Contains(body, []byte("carol")) {
			t.Fatalf("plaintext in a stored body: %q", body)
		}
	}
	if err := rows.Err(); err != nil || n != 27 {
		t.Fatalf("read %d bodies, %v; want 27", n, err)
	}
}

func tamperedRows(t *testing.T, e env) {
	ctx := context.Background()
	m, err := e.s.Post(ctx, "alice", "bob", "", "secret plan")
	if err != nil {
		t.Fatal(err)
	}
	id, _ := strconv.ParseInt(m.ID, 10, 64)
	// Moving the message into another conversation breaks the AAD.
	e.exec(t, `UPDATE chat_messages SET recipient = 'mallory' WHERE id = ?`, id)
	if _, err := e.s.History(ctx, "alice", "mallory", 0, 10); !errors.Is(err, chat.ErrDecrypt) {
		t.Fatalf("moved row: %v, want ErrDecrypt", err)
	}
	e.exec(t, `UPDATE chat_messages SET recipient = 'bob', key_id = 'knope' WHERE id = ?`, id)
	if _, err := e.s.History(ctx, "alice", "bob", 0, 10); !errors.Is(err, chat.ErrUnknownKey) {
		t.Fatalf("unknown key: %v, want ErrUnknownKey", err)
	}
}

func rotateReencryptPrune(t *testing.T, e env) {
	ctx := context.Background()
	old := e.kr.Current()
	const posts = 520 // more than one re-encryption batch (500)
	for i := range posts {
		if _, err := e.s.Post(ctx, "alice", "bob", "", "m"+strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	// rotate-key in another process: new key in the file.
	kr, err := chat.LoadKeyring(e.dir, false)
	if err != nil {
		t.Fatal(err)
	}
	newKey := kr.Rotate()
	if err := chat.SaveKeyring(e.dir, kr); err != nil {
		t.Fatal(err)
	}
	other, err := chat.New(chat.Config{DB: e.db, Keys: kr})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Post(ctx, "bob", "alice", "", "under the new key"); err != nil {
		t.Fatal(err)
	}
	// The running service has never seen the new key: it reloads.
	page, err := e.s.History(ctx, "alice", "bob", 0, 1)
	if err != nil || page[0].Text != "under the new key" {
		t.Fatalf("after rotation: %+v, %v", page, err)
	}
	kept, err := other.Prune(ctx)
	if err != nil || len(kept.IDs()) != 2 {
		t.Fatalf("Prune before re-encryption kept %v, %v; want both keys", kept.IDs(), err)
	}
	moved, err := other.Reencrypt(ctx)
	if err != nil || moved != posts {
		t.Fatalf("Reencrypt = %d, %v; want %d", moved, err, posts)
	}
	pruned, err := other.Prune(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ids := pruned.IDs(); len(ids) != 1 || ids[0] != newKey.ID() || slices.Contains(ids, old.ID()) {
		t.Fatalf("after prune: %v, want only %s", ids, newKey.ID())
	}
	fresh, err := chat.New(chat.Config{DB: e.db, Keys: pruned})
	if err != nil {
		t.Fatal(err)
	}
	page, err = fresh.History(ctx, "alice", "bob", 0, 2000)
	if err != nil || len(page) != posts+1 {
		t.Fatalf("history with only the new key: %d, %v", len(page), err)
	}
}

// A resend under the same key (the client's message id) after a lost
// acknowledgement stores nothing and returns the message as first stored;
// the key is per sender, so another sender may use the same one.
func postOnceIdempotent(t *testing.T, e env) {
	ctx := context.Background()
	first, err := e.s.PostOnce(ctx, "alice", "chat-1", "bob", "", "hello once")
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.s.PostOnce(ctx, "alice", "chat-1", "bob", "", "hello once")
	if err != nil {
		t.Fatal(err)
	}
	if again != first {
		t.Fatalf("resend returned %+v, want the original %+v", again, first)
	}
	other, err := e.s.PostOnce(ctx, "bob", "chat-1", "alice", "", "same id, other sender")
	if err != nil || other.ID == first.ID {
		t.Fatalf("bob's chat-1 = %+v, %v; want a row of its own", other, err)
	}
	for range 2 { // no key: no deduplication
		if _, err := e.s.Post(ctx, "alice", "bob", "", "keyless"); err != nil {
			t.Fatal(err)
		}
	}
	if n := e.count(t, `SELECT COUNT(*) FROM chat_messages WHERE sender = ?`, "alice"); n != 3 {
		t.Fatalf("alice has %d rows, want 3", n)
	}
}

// The same message resent to two nodes at once (two services on one
// database): one row, and both acknowledgements carry it.
func concurrentPostOnce(t *testing.T, e env) {
	ctx := context.Background()
	second, err := chat.New(chat.Config{DB: e.db, Keys: e.kr})
	if err != nil {
		t.Fatal(err)
	}
	const resends = 8
	got := make([]signaling.ChatMessage, resends)
	errs := make([]error, resends)
	var start sync.WaitGroup
	start.Add(1)
	var wg sync.WaitGroup
	for i := range resends {
		s := e.s
		if i%2 == 1 {
			s = second
		}
		wg.Go(func() {
			start.Wait()
			got[i], errs[i] = s.PostOnce(ctx, "alice", "dup-1", "bob", "", "once only")
		})
	}
	start.Done()
	wg.Wait()
	for i := range resends {
		if errs[i] != nil {
			t.Fatalf("resend %d: %v", i, errs[i])
		}
		if got[i] != got[0] {
			t.Fatalf("resend %d acknowledged %+v, resend 0 %+v", i, got[i], got[0])
		}
	}
	if n := e.count(t, `SELECT COUNT(*) FROM chat_messages WHERE sender = ?`, "alice"); n != 1 {
		t.Fatalf("%d rows for one message", n)
	}
}

// conversationsAndReadMarks: the list holds only the caller's
// conversations, newest first, with the newest message and the count of
// the peer's messages after the caller's read mark; a mark is the
// caller's own, never moves back, and cannot run ahead of the messages.
func conversationsAndReadMarks(t *testing.T, e env) {
	ctx := context.Background()
	post := func(from, to, text string) int64 {
		t.Helper()
		m, err := e.s.Post(ctx, from, to, "", text)
		if err != nil {
			t.Fatal(err)
		}
		return idOf(m)
	}
	list := func(me string) map[string]signaling.ChatSummary {
		t.Helper()
		sums, err := e.s.Conversations(ctx, me, 0)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]signaling.ChatSummary{}
		for i, c := range sums {
			if i > 0 && idOf(c.Last) >= idOf(sums[i-1].Last) {
				t.Errorf("conversations of %s not newest first: %+v", me, sums)
			}
			if c.Last.From != me && c.Last.To != me {
				t.Errorf("%s's list shows %+v, not theirs", me, c.Last)
			}
			out[c.Peer] = c
		}
		return out
	}
	if l := list("alice"); len(l) != 0 {
		t.Fatalf("empty store lists %+v", l)
	}
	post("bob", "alice", "one")
	post("bob", "alice", "two")
	third := post("bob", "alice", "three")
	post("carol", "bob", "carol to bob")
	post("alice", "carol", "alice to carol")

	l := list("alice")
	if len(l) != 2 || l["bob"].Unread != 3 || l["bob"].Last.Text != "three" || l["carol"].Unread != 0 || l["carol"].Last.Text != "alice to carol" {
		t.Fatalf("alice's list = %+v", l)
	}
	if b := list("bob"); len(b) != 2 || b["alice"].Unread != 0 || b["carol"].Unread != 1 {
		t.Fatalf("bob's list = %+v", b)
	}

	// alice reads up to "two": one left.
	r, err := e.s.MarkRead(ctx, "alice", "bob", third-1)
	if err != nil || r.UpTo != strconv.FormatInt(third-1, 10) || r.Unread != 1 {
		t.Fatalf("MarkRead = %+v, %v", r, err)
	}
	// A mark never moves back.
	if r, err := e.s.MarkRead(ctx, "alice", "bob", 1); err != nil || r.Unread != 1 {
		t.Fatalf("MarkRead backwards = %+v, %v", r, err)
	}
	// A mark past the newest message stops at it: later messages are unread.
	if r, err := e.s.MarkRead(ctx, "alice", "bob", 1<<62); err != nil || r.UpTo != strconv.FormatInt(third, 10) || r.Unread != 0 {
		t.Fatalf("MarkRead ahead = %+v, %v", r, err)
	}
	post("bob", "alice", "four")
	if l := list("alice"); l["bob"].Unread != 1 || l["bob"].Last.Text != "four" {
		t.Fatalf("after a new message alice's list = %+v", l["bob"])
	}
	// alice's marks are hers: bob's view of alice, and carol's, is untouched.
	if _, err := e.s.MarkRead(ctx, "alice", "carol", 1<<62); err != nil {
		t.Fatal(err)
	}
	if b := list("bob"); b["carol"].Unread != 1 {
		t.Fatalf("alice's marks changed bob's list: %+v", b)
	}
	// Marking a conversation that has no messages from peer stores nothing.
	if r, err := e.s.MarkRead(ctx, "carol", "nobody", 5); err != nil || r.UpTo != "0" || r.Unread != 0 {
		t.Fatalf("MarkRead of an empty conversation = %+v, %v", r, err)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM chat_reads WHERE user_id = ?`, "carol"); n != 0 {
		t.Fatalf("carol has %d read marks", n)
	}
}

func idOf(m signaling.ChatMessage) int64 {
	id, _ := strconv.ParseInt(m.ID, 10, 64)
	return id
}
