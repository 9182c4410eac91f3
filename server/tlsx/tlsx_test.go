package tlsx

import (
	"crypto/x509"
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
