package chat

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-voip/parley/server/store"
)

// A SQLite database file (and its log) never holds a message's text; the
// suite in chattest checks the stored bodies on every database.
func TestNoPlaintextInDatabaseFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, err := store.Open(context.Background(), store.Config{Path: filepath.Join(dir, store.FileName)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	kr, err := LoadKeyring(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{DB: db.SQL(), Keys: kr})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Post(context.Background(), "alice", "carol", "", "for carol only"); err != nil {
		t.Fatal(err)
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
