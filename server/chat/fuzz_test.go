package chat

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/parley-voip/parley/server/store"
)

// FuzzSealOpen: a sealed body opens to its text under the same key and
// record; changing any byte of the body, or any field the associated data
// binds, makes open fail with ErrDecrypt; arbitrary bytes as a body fail
// the same way, never with a panic or another error.
func FuzzSealOpen(f *testing.F) {
	k, other := NewKey(), NewKey()
	f.Add("hello", int64(1), "alice", "bob", "", int64(1700000000000), uint16(0), []byte(nil))
	f.Add("", int64(0), "", "", "", int64(0), uint16(30), []byte{0})
	f.Add("in a call ✓", int64(1<<62), "a", "b", "call-1", int64(-1), uint16(7), make([]byte, 40))
	f.Add("\x00\xff", int64(-5), "ab", "c", "", int64(9), uint16(1000), []byte("garbage that is long enough to pass the length check"))
	f.Fuzz(func(t *testing.T, text string, id int64, sender, recipient, callID string, sent int64, flip uint16, junk []byte) {
		if len(sender) > 0xffff || len(recipient) > 0xffff || len(callID) > 0xffff {
			return // ids are short; the AAD's 16-bit lengths are not for this
		}
		r := record{id: id, sender: sender, recipient: recipient, callID: callID, sentMS: sent}
		body := seal(k, r, text)
		got, err := open(k, r, body)
		if err != nil || got != text {
			t.Fatalf("round trip = %q, %v; want %q", got, err, text)
		}
		mustFail := func(what string, k Key, r record, b []byte) {
			t.Helper()
			if got, err := open(k, r, b); !errors.Is(err, ErrDecrypt) {
				t.Fatalf("%s: open = %q, %v; want ErrDecrypt", what, got, err)
			}
		}
		tampered := slices.Clone(body)
		tampered[int(flip)%len(tampered)] ^= 1 << (flip % 8)
		mustFail("flipped body bit", k, r, tampered)
		mustFail("truncated body", k, r, body[:len(body)-1])
		mustFail("other key", other, r, body)
		for name, mod := range map[string]func(*record){
			"id":        func(r *record) { r.id++ },
			"sent":      func(r *record) { r.sentMS-- },
			"sender":    func(r *record) { r.sender += "x" },
			"recipient": func(r *record) { r.recipient = "x" + r.recipient },
			"call":      func(r *record) { r.callID += "1" },
			"swap":      func(r *record) { r.sender, r.recipient = r.recipient+"\x00", r.sender },
		} {
			m := r
			mod(&m)
			mustFail("changed "+name, k, m, body)
		}
		mustFail("junk body", k, r, junk)
	})
}

// FuzzHistoryPaging posts a conversation the input describes (who sends,
// in which conversation, what text) and pages through alice↔bob with the
// page size it gives: every page is newest first, below its cursor and no
// longer than asked; together the pages are exactly alice↔bob's messages,
// each text as posted, from either side's point of view, and never one of
// alice↔carol's.
func FuzzHistoryPaging(f *testing.F) {
	ctx := context.Background()
	dir := f.TempDir()
	db, err := store.Open(ctx, store.Config{Path: filepath.Join(dir, store.FileName)})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	kr, err := LoadKeyring(dir, true)
	if err != nil {
		f.Fatal(err)
	}
	clock := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s, err := New(Config{DB: db.SQL(), Keys: kr, Now: func() time.Time { return clock }})
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte{0, 1, 2, 3}, uint8(2), int64(0))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0}, uint8(1), int64(0))
	f.Add([]byte{1, 5, 9, 2, 0xff}, uint8(0), int64(-1))
	f.Add([]byte{2, 2, 3}, uint8(200), int64(3))
	run := 0
	f.Fuzz(func(t *testing.T, script []byte, pageSize uint8, start int64) {
		if len(script) > 12 {
			script = script[:12] // each post is an fsync
		}
		run++
		// Fresh user ids per run: conversations never mix between inputs.
		alice, bob, carol := fmt.Sprint("alice", run), fmt.Sprint("bob", run), fmt.Sprint("carol", run)
		var want []string // alice↔bob ids, in posting order
		texts := map[string]string{}
		for i, op := range script {
			from, to := alice, bob
			switch op % 4 {
			case 1:
				from, to = bob, alice
			case 2:
				from, to = alice, carol
			case 3:
				from, to = carol, alice
			}
			text := fmt.Sprintf("%d:%q", i, script[:i])
			m, err := s.Post(ctx, from, to, "", text)
			if err != nil {
				t.Fatal(err)
			}
			if m.From != from || m.To != to || m.Text != text {
				t.Fatalf("Post returned %+v", m)
			}
			texts[m.ID] = text
			if op%4 < 2 {
				want = append(want, m.ID)
			}
		}
		limit := int(pageSize%8) + 1
		for _, view := range [][2]string{{alice, bob}, {bob, alice}} {
			var got []string
			before := start
			for pages := 0; ; pages++ {
				if pages > len(script)+1 {
					t.Fatal("paging does not end")
				}
				page, err := s.History(ctx, view[0], view[1], before, limit)
				if err != nil {
					t.Fatal(err)
				}
				if len(page) > limit {
					t.Fatalf("page of %d, limit %d", len(page), limit)
				}
				for _, m := range page {
					id, _ := strconv.ParseInt(m.ID, 10, 64)
					if before > 0 && id >= before {
						t.Fatalf("id %d not below cursor %d", id, before)
					}
					if texts[m.ID] != m.Text {
						t.Fatalf("message %s reads %q, posted %q", m.ID, m.Text, texts[m.ID])
					}
					if m.From == carol || m.To == carol {
						t.Fatalf("alice↔bob history holds %+v", m)
					}
					got = append(got, m.ID)
					before = id
				}
				if len(page) < limit {
					break
				}
			}
			if start > 0 {
				return // a cursor from the input hides an arbitrary part; checked above
			}
			slices.Reverse(got)
			if !slices.Equal(got, want) {
				t.Fatalf("%s's view: history %v, posted %v", view[0], got, want)
			}
		}
	})
}
