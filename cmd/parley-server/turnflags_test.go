package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func parseTURN(t *testing.T, args ...string) turnFlags {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := addTURNFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestTURNOffUnlessAskedFor(t *testing.T) {
	cfg, err := parseTURN(t).config(t.TempDir(), nil)
	if err != nil || cfg != nil {
		t.Fatalf("no -turn flags: %+v, %v; want TURN off", cfg, err)
	}
}

func TestTURNGeneratesAPrivateSecretOnce(t *testing.T) {
	t.Setenv("PARLEY_TURN_SECRET", "")
	dir := t.TempDir()
	f := parseTURN(t, "-turn-public-ip", "192.0.2.1", "-turn-ports", "50000-50100")
	first, err := f.config(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if first.PortMin != 50000 || first.PortMax != 50100 || first.PublicIP.String() != "192.0.2.1" {
		t.Fatalf("config %+v", first)
	}
	st, err := os.Stat(filepath.Join(dir, turnSecretFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("secret file: %v, mode %v", err, st.Mode())
	}
	again, err := f.config(dir, nil)
	if err != nil || !again.Secret.Equal(first.Secret) {
		t.Fatalf("second start did not reuse the secret: %v", err)
	}
}

func TestTURNFlagsRefused(t *testing.T) {
	for name, args := range map[string][]string{
		"bad ip":           {"-turn-public-ip", "nonsense"},
		"bad ports":        {"-turn-public-ip", "192.0.2.1", "-turn-ports", "9-"},
		"tls without cert": {"-turn-public-ip", "192.0.2.1", "-turn-tls", ":5349"},
		"short secret":     {"-turn-public-ip", "192.0.2.1", "-turn-secret-file", "SHORT"},
	} {
		dir := t.TempDir()
		for i, a := range args {
			if a == "SHORT" {
				p := filepath.Join(dir, "s")
				if err := os.WriteFile(p, []byte("short\n"), 0o600); err != nil {
					t.Fatal(err)
				}
				args[i] = p
			}
		}
		if _, err := parseTURN(t, args...).config(dir, nil); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
