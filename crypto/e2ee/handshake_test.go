package e2ee

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/parley-voip/parley/crypto/fingerprint"
	"github.com/parley-voip/parley/crypto/identity"
)

const (
	testFPIText = "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3D:BE:29:3A:9F:3E:8D:2B:0C:11:70:C4"
	testFPRText = "sha-256 1B:E5:C2:9A:40:77:6E:51:93:0D:8C:26:F3:A8:5E:10:94:B2:7F:6C:D1:03:4E:88:2A:95:C7:3B:60:DF:14:E9"
)

var testFPI, testFPR = mustFP(testFPIText), mustFP(testFPRText)

func mustFP(s string) fingerprint.Fingerprint {
	f, err := fingerprint.Parse(s)
	if err != nil {
		panic(err)
	}
	return f
}

// Identity keys of the two test devices, fixed so that tests stay fast and
// reproducible; testIdentityM is a third device (the man in the middle's).
var (
	testIdentityI = fixedIdentity(1)
	testIdentityR = fixedIdentity(2)
	testIdentityM = fixedIdentity(3)
)

func fixedIdentity(seed byte) *identity.PrivateKey {
	k, err := identity.Generate(bytes.NewReader(bytes.Repeat([]byte{seed}, 32)))
	if err != nil {
		panic(err)
	}
	return k
}

// testConfig is one side of the standard test call: alice's device calls
// bob's.
func testConfig(role Role) Config {
	id := testIdentityI
	if role == Responder {
		id = testIdentityR
	}
	return Config{
		Role:                 role,
		Identity:             id,
		CallID:               "call-7f3a9c",
		InitiatorID:          "alice@example.org",
		ResponderID:          "bob@example.org",
		InitiatorFingerprint: testFPI,
		ResponderFingerprint: testFPR,
	}
}

func mustNew(t testing.TB, cfg Config) *Handshake {
	t.Helper()
	h, err := New(cfg)
	if err != nil {
		t.Fatalf("New(%v): %v", cfg.Role, err)
	}
	return h
}

// pair runs a complete handshake between i and r and returns both results.
func pair(t testing.TB, i, r *Handshake) (*Result, *Result) {
	t.Helper()
	commit, err := i.Start()
	if err != nil {
		t.Fatalf("initiator start: %v", err)
	}
	if msg, err := r.Start(); msg != nil || err != nil {
		t.Fatalf("responder start = %x, %v; want nil, nil", msg, err)
	}
	hello := step(t, r, commit)
	reveal := step(t, i, hello)
	if i.Done() {
		t.Fatal("initiator done before confirm")
	}
	confirm := step(t, r, reveal)
	if !r.Done() {
		t.Fatal("responder not done after verifying reveal")
	}
	if last := step(t, i, confirm); last != nil {
		t.Fatalf("initiator replied to confirm: %x", last)
	}
	if !i.Done() {
		t.Fatal("initiator not done after confirm")
	}
	ri, err := i.Result()
	if err != nil {
		t.Fatal(err)
	}
	rr, err := r.Result()
	if err != nil {
		t.Fatal(err)
	}
	return ri, rr
}

func step(t testing.TB, h *Handshake, msg []byte) []byte {
	t.Helper()
	out, err := h.Handle(msg)
	if err != nil {
		t.Fatalf("%v handling %d bytes: %v", h.cfg.Role, len(msg), err)
	}
	return out
}

func TestHandshakeAgrees(t *testing.T) {
	t.Parallel()
	i := mustNew(t, testConfig(Initiator))
	r := mustNew(t, testConfig(Responder))
	ri, rr := pair(t, i, r)

	if !ri.Code().Equal(rr.Code()) {
		t.Fatalf("codes differ: %s vs %s", ri.Code(), rr.Code())
	}
	if !ri.SendKey().Equal(rr.ReceiveKey()) || !ri.ReceiveKey().Equal(rr.SendKey()) {
		t.Fatal("media keys differ between the sides")
	}
	if ri.SendKey().Equal(ri.ReceiveKey()) {
		t.Fatal("both directions share a key")
	}
	if ri.SendKey().KID() == ri.ReceiveKey().KID() {
		t.Fatal("both directions share a kid")
	}
	if ri.SendKey().Epoch() != 0 || rr.SendKey().Epoch() != 0 {
		t.Fatal("keys do not start at epoch 0")
	}
	if !ri.PeerIdentity().Equal(testIdentityR.Public()) || !rr.PeerIdentity().Equal(testIdentityI.Public()) {
		t.Fatalf("peer identities %s, %s", ri.PeerIdentity(), rr.PeerIdentity())
	}
	if ri.Suite() != defaultSuite || ri.Role() != Initiator || rr.Role() != Responder {
		t.Fatalf("result metadata: %v %v", ri, rr)
	}
	s := ri.Code().String()
	if len(s) != 24 || strings.Count(s, " ") != 4 {
		t.Fatalf("code %q is not 5 groups of 4 digits", s)
	}
	if g := ri.Code().Groups(); strings.Join(g[:], " ") != s {
		t.Fatalf("groups %q do not match %q", g, s)
	}
	for _, c := range strings.ReplaceAll(s, " ", "") {
		if c < '0' || c > '9' {
			t.Fatalf("code %q has a non-digit", s)
		}
	}
}

func TestSecretsNotFormatted(t *testing.T) {
	t.Parallel()
	ri, _ := pair(t, mustNew(t, testConfig(Initiator)), mustNew(t, testConfig(Responder)))
	key := ri.SendKey()
	hexKey := fmt.Sprintf("%x", key.key[:])
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%q"} {
		for _, v := range []any{key, ri} {
			out := fmt.Sprintf(verb, v)
			if strings.Contains(strings.ToLower(out), hexKey) || strings.Contains(out, string(key.key[:])) {
				t.Fatalf("%s of %T leaks the key: %s", verb, v, out)
			}
		}
	}
}

func TestResultErase(t *testing.T) {
	t.Parallel()
	ri, _ := pair(t, mustNew(t, testConfig(Initiator)), mustNew(t, testConfig(Responder)))
	send := ri.SendKey()
	ri.Erase()
	if send.key != ([baseKeySize]byte{}) {
		t.Fatal("Erase left key bytes behind")
	}
	if ri.SendKey() != nil || ri.ReceiveKey() != nil {
		t.Fatal("Erase left keys reachable")
	}
}

// TestTranscriptBinding changes one pre-agreed value on one side only: the
// handshake must then fail, and the two codes must differ.
func TestTranscriptBinding(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		mutate func(*Config)
		want   error
	}{
		{"call id", func(c *Config) { c.CallID += "x" }, ErrConfirmationFailed},
		{"initiator id", func(c *Config) { c.InitiatorID = "mallory@example.org" }, ErrConfirmationFailed},
		{"responder id", func(c *Config) { c.ResponderID = "mallory@example.org" }, ErrConfirmationFailed},
		{"swapped ids", func(c *Config) { c.InitiatorID, c.ResponderID = c.ResponderID, c.InitiatorID }, ErrConfirmationFailed},
		{"initiator fingerprint", func(c *Config) { c.InitiatorFingerprint = mustFP(strings.Replace(testFPIText, "4A", "4B", 1)) }, ErrConfirmationFailed},
		{"responder fingerprint", func(c *Config) { c.ResponderFingerprint = mustFP(strings.Replace(testFPRText, "1B", "1C", 1)) }, ErrConfirmationFailed},
		{"fingerprint hash", func(c *Config) {
			c.ResponderFingerprint = mustFP(strings.Replace(testFPRText, "sha-256", "sha-384", 1) + strings.Repeat(":00", 16))
		}, ErrConfirmationFailed},
		{"swapped fingerprints", func(c *Config) {
			c.InitiatorFingerprint, c.ResponderFingerprint = c.ResponderFingerprint, c.InitiatorFingerprint
		}, ErrConfirmationFailed},
		{"suite", func(c *Config) { c.Suite = 0x0005 }, ErrSuite},
	}
	for _, tc := range cases {
		for _, side := range []Role{Initiator, Responder} {
			t.Run(tc.name+"/"+side.String(), func(t *testing.T) {
				t.Parallel()
				ci, cr := testConfig(Initiator), testConfig(Responder)
				if side == Initiator {
					tc.mutate(&ci)
				} else {
					tc.mutate(&cr)
				}
				i, r := mustNew(t, ci), mustNew(t, cr)
				commit, _ := i.Start()
				hello, err := r.Handle(commit)
				if err != nil {
					if !errors.Is(err, tc.want) {
						t.Fatalf("commit: %v, want %v", err, tc.want)
					}
					return
				}
				reveal := step(t, i, hello)
				m, _ := ParseReveal(reveal)
				rcode, _, err := r.openReveal(m)
				if err != nil {
					t.Fatal(err)
				}
				if rcode.Equal(i.code) {
					t.Fatalf("code unchanged: %s", rcode)
				}
				if _, err := r.Handle(reveal); !errors.Is(err, tc.want) {
					t.Fatalf("reveal: %v, want %v", err, tc.want)
				}
				if r.Done() {
					t.Fatal("responder done after a failed reveal")
				}
			})
		}
	}
}

// TestVersionBinding: a message of another protocol version is refused.
func TestVersionBinding(t *testing.T) {
	t.Parallel()
	i, r := mustNew(t, testConfig(Initiator)), mustNew(t, testConfig(Responder))
	commit, _ := i.Start()
	commit[1] = Version + 1
	if _, err := r.Handle(commit); !errors.Is(err, ErrVersion) {
		t.Fatalf("got %v, want ErrVersion", err)
	}
}

func TestFingerprintCanonical(t *testing.T) {
	t.Parallel()
	ci, cr := testConfig(Initiator), testConfig(Responder)
	ci.InitiatorFingerprint = mustFP("SHA-256 " + strings.ToLower(strings.TrimPrefix(testFPIText, "sha-256 ")))
	ri, rr := pair(t, mustNew(t, ci), mustNew(t, cr))
	if !ri.Code().Equal(rr.Code()) {
		t.Fatal("differently cased fingerprints changed the code")
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		mutate func(*Config)
	}{
		{"no role", func(c *Config) { c.Role = 0 }},
		{"bad role", func(c *Config) { c.Role = 3 }},
		{"empty call id", func(c *Config) { c.CallID = "" }},
		{"long call id", func(c *Config) { c.CallID = strings.Repeat("a", MaxIDLength+1) }},
		{"empty initiator", func(c *Config) { c.InitiatorID = "" }},
		{"invalid utf-8", func(c *Config) { c.ResponderID = "\xff" }},
		{"no initiator fingerprint", func(c *Config) { c.InitiatorFingerprint = fingerprint.Fingerprint{} }},
		{"no responder fingerprint", func(c *Config) { c.ResponderFingerprint = fingerprint.Fingerprint{} }},
		{"unknown suite", func(c *Config) { c.Suite = 6 }},
		{"no identity", func(c *Config) { c.Identity = nil }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := testConfig(Initiator)
			tc.mutate(&c)
			if err := c.Validate(); !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("Validate = %v, want ErrInvalidConfig", err)
			}
			if _, err := New(c); !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("New = %v, want ErrInvalidConfig", err)
			}
		})
	}
	c := testConfig(Responder)
	if err := c.Validate(); err != nil {
		t.Fatalf("valid config: %v", err)
	}
}

func TestResultBeforeDone(t *testing.T) {
	t.Parallel()
	i := mustNew(t, testConfig(Initiator))
	if _, err := i.Result(); !errors.Is(err, ErrNotDone) {
		t.Fatalf("Result before start: %v", err)
	}
	i.Start()
	if _, err := i.Result(); !errors.Is(err, ErrNotDone) {
		t.Fatalf("Result after start: %v", err)
	}
}
