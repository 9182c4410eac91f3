package tlsx

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadOrCreateOnceThenReuse(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c1, created, err := LoadOrCreate(dir, []string{"parley.example.org", "192.0.2.10"})
	if err != nil || !created {
		t.Fatalf("first: created=%v err=%v", created, err)
	}
	c2, created, err := LoadOrCreate(dir, nil)
	if err != nil || created {
		t.Fatalf("second: created=%v err=%v", created, err)
	}
	if string(c1.Certificate[0]) != string(c2.Certificate[0]) {
		t.Fatal("certificate changed between runs: pinned apps would break")
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key mode %v, %v", fi.Mode().Perm(), err)
	}
	leaf, err := x509.ParseCertificate(c1.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"localhost", "127.0.0.1", "parley.example.org", "192.0.2.10"} {
		if err := leaf.VerifyHostname(h); err != nil {
			t.Errorf("certificate not valid for %s: %v", h, err)
		}
	}
}

func TestPinnedClient(t *testing.T) {
	t.Parallel()
	certPEM, _, err := SelfSigned(nil, leafTime)
	if err != nil {
		t.Fatal(err)
	}
	der := pemDER(t, certPEM)
	fp := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	if err := PinnedClient(fp(der), fp).VerifyPeerCertificate([][]byte{der}, nil); err != nil {
		t.Fatalf("pinned certificate refused: %v", err)
	}
	if err := PinnedClient("00", fp).VerifyPeerCertificate([][]byte{der}, nil); err == nil {
		t.Fatal("other certificate accepted")
	}
	if err := PinnedClient(fp(der), fp).VerifyPeerCertificate(nil, nil); err == nil {
		t.Fatal("no certificate accepted")
	}
}
