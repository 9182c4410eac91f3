package chat

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-voip/parley/server/store"
)

func newTestService(t *testing.T) (*Service, *store.DB, string) {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(context.Background(), store.Config{Path: filepath.Join(dir, store.FileName)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	kr, err := LoadKeyring(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{DB: db.SQL(), Keys: kr, Reload: func() (*Keyring, error) { return LoadKeyring(dir, false) }})
	if err != nil {
		t.Fatal(err)
	}
	return s, db, dir
}

func TestPostAndHistory(t *testing.T) {
	t.Parallel()
	s, db, _ := newTestService(t)
	ctx := context.Background()
	for i := range 25 {
		from, to := "alice", "bob"
		if i%2 == 1 {
			from, to = to, from
		}
		if _, err := s.Post(ctx, from, to, "", "message "+strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Post(ctx, "alice", "carol", "", "for carol only"); err != nil {
		t.Fatal(err)
	}
	inCall, err := s.Post(ctx, "bob", "alice", "call-1", "in the call")
	if err != nil || inCall.CallID != "call-1" {
		t.Fatalf("in-call post = %+v, %v", inCall, err)
	}

	// Page through alice↔bob, newest first, 10 at a time.
	var got []string
	before := int64(0)
	for {
		page, err := s.History(ctx, "bob", "alice", before, 10)
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
	for _, txt := range got {
		if txt == "for carol only" {
			t.Fatal("bob's history contains alice↔carol")
		}
	}

	// At rest: no plaintext in the table or the database file.
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM chat_messages WHERE CAST(body AS TEXT) LIKE '%message%'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("plaintext bodies: %d, %v", n, err)
	}
	if _, err := db.SQL().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(db.Path())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "for carol only") {
		t.Fatal("plaintext found in the database file")
	}
}

func TestTamperedRowsFailAuthentication(t *testing.T) {
	t.Parallel()
	s, db, _ := newTestService(t)
	ctx := context.Background()
	m, err := s.Post(ctx, "alice", "bob", "", "secret plan")
	if err != nil {
		t.Fatal(err)
	}
	// Moving the message into another conversation breaks the AAD.
	if _, err := db.SQL().Exec(`UPDATE chat_messages SET recipient = 'mallory' WHERE id = ?`, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.History(ctx, "alice", "mallory", 0, 10); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("moved row: %v, want ErrDecrypt", err)
	}
	if _, err := db.SQL().Exec(`UPDATE chat_messages SET recipient = 'bob', key_id = 'knope' WHERE id = ?`, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.History(ctx, "alice", "bob", 0, 10); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("unknown key: %v, want ErrUnknownKey", err)
	}
}

func TestRotateReencryptPrune(t *testing.T) {
	t.Parallel()
	s, db, dir := newTestService(t)
	ctx := context.Background()
	old := s.keyring().Current()
	for i := range 1200 { // more than one re-encryption batch
		if _, err := s.Post(ctx, "alice", "bob", "", "m"+strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	// rotate-key in another process: new key in the file.
	kr, err := LoadKeyring(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	newKey := kr.Rotate()
	if err := SaveKeyring(dir, kr); err != nil {
		t.Fatal(err)
	}
	other, err := New(Config{DB: db.SQL(), Keys: kr})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Post(ctx, "bob", "alice", "", "under the new key"); err != nil {
		t.Fatal(err)
	}
	// The running service has never seen the new key: it reloads.
	page, err := s.History(ctx, "alice", "bob", 0, 1)
	if err != nil || page[0].Text != "under the new key" {
		t.Fatalf("after rotation: %+v, %v", page, err)
	}
	kept, err := other.Prune(ctx)
	if err != nil || len(kept.IDs()) != 2 {
		t.Fatalf("Prune before re-encryption kept %v, %v; want both keys", kept.IDs(), err)
	}
	moved, err := other.Reencrypt(ctx)
	if err != nil || moved != 1200 {
		t.Fatalf("Reencrypt = %d, %v; want 1200", moved, err)
	}
	pruned, err := other.Prune(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ids := pruned.IDs(); len(ids) != 1 || ids[0] != newKey.ID() {
		t.Fatalf("after prune: %v, want only %s", ids, newKey.ID())
	}
	if _, ok := pruned.find(old.ID()); ok {
		t.Fatal("old key survived prune")
	}
	fresh, err := New(Config{DB: db.SQL(), Keys: pruned})
	if err != nil {
		t.Fatal(err)
	}
	page, err = fresh.History(ctx, "alice", "bob", 0, 2000)
	if err != nil || len(page) != 1201 {
		t.Fatalf("history with only the new key: %d, %v", len(page), err)
	}
}

func TestKeyFilePermissionsAndEnv(t *testing.T) {
	dir := t.TempDir()
	kr, err := LoadKeyring(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFileName))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v", fi.Mode().Perm(), err)
	}
	again, err := LoadKeyring(dir, false)
	if err != nil || !again.Current().Equal(kr.Current()) {
		t.Fatalf("reload: %v", err)
	}
	if err := os.Chmod(filepath.Join(dir, KeyFileName), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadKeyring(dir, false); !errors.Is(err, ErrKeyFile) {
		t.Fatalf("world-readable key file: %v, want ErrKeyFile", err)
	}
	t.Setenv(EnvKeys, string(kr.Marshal()))
	fromEnv, err := LoadKeyring(t.TempDir(), false)
	if err != nil || !fromEnv.Current().Equal(kr.Current()) {
		t.Fatalf("from env: %v", err)
	}
	// Printing a key shows its id, never its bytes.
	k := kr.Current()
	for _, s := range []string{fmt.Sprintf("%v", k), fmt.Sprintf("%+v", k), fmt.Sprintf("%#v", k)} {
		if strings.Contains(s, fmt.Sprint(k.k[0])+" "+fmt.Sprint(k.k[1])) || strings.Contains(s, fmt.Sprintf("%x", k.k[:4])) {
			t.Fatalf("key material printed: %s", s)
		}
	}
}

func TestParseKeyring(t *testing.T) {
	t.Parallel()
	key := "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=" // 32 bytes 0..31
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"one key", "k1 " + key + "\n", true},
		{"comments and blanks", "# c\n\nk1 " + key + "\nk2 " + key + "\n", true},
		{"empty", "", false},
		{"only comments", "# nothing\n", false},
		{"short key", "k1 AAEC\n", false},
		{"bad id", "K-1 " + key + "\n", false},
		{"no space", "k1" + key + "\n", false},
		{"duplicate", "k1 " + key + "\nk1 " + key + "\n", false},
		{"too large", strings.Repeat("#", maxKeyFile+1), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			kr, err := ParseKeyring([]byte(tc.in))
			if tc.ok != (err == nil) {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, ErrKeyFile) {
				t.Fatalf("untyped error %v", err)
			}
			if err == nil {
				back, err := ParseKeyring(kr.Marshal())
				if err != nil || len(back.keys) != len(kr.keys) || !back.Current().Equal(kr.Current()) {
					t.Fatalf("round trip: %v", err)
				}
			}
		})
	}
}

func FuzzParseKeyring(f *testing.F) {
	f.Add([]byte("k1 AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"))
	f.Add([]byte("# x\nk1 AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\nk2 AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="))
	f.Add([]byte("k1 \x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		kr, err := ParseKeyring(b)
		if err != nil {
			if !errors.Is(err, ErrKeyFile) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		back, err := ParseKeyring(kr.Marshal())
		if err != nil {
			t.Fatalf("re-parse of marshalled keyring: %v", err)
		}
		if len(back.keys) != len(kr.keys) {
			t.Fatal("round trip changed the key count")
		}
		for i := range kr.keys {
			if !back.keys[i].Equal(kr.keys[i]) {
				t.Fatalf("key %d differs after round trip", i)
			}
		}
	})
}

// A resend under the same key (the client's message id) after a lost
// acknowledgement stores nothing and returns the message as first stored;
// the key is per sender, so another sender may use the same one.
func TestPostOnceIsIdempotentPerSender(t *testing.T) {
	t.Parallel()
	s, db, _ := newTestService(t)
	ctx := context.Background()
	first, err := s.PostOnce(ctx, "alice", "chat-1", "bob", "", "hello once")
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.PostOnce(ctx, "alice", "chat-1", "bob", "", "hello once")
	if err != nil {
		t.Fatal(err)
	}
	if again != first {
		t.Fatalf("resend returned %+v, want the original %+v", again, first)
	}
	other, err := s.PostOnce(ctx, "bob", "chat-1", "alice", "", "same id, other sender")
	if err != nil || other.ID == first.ID {
		t.Fatalf("bob's chat-1 = %+v, %v; want a row of its own", other, err)
	}
	for range 2 { // no key: no deduplication
		if _, err := s.Post(ctx, "alice", "bob", "", "keyless"); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM chat_messages WHERE sender = 'alice'`).Scan(&n); err != nil || n != 3 {
		t.Fatalf("alice has %d rows (%v), want 3", n, err)
	}
}
