package app

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/parley-voip/parley/crypto/identity"
	"github.com/parley-voip/parley/media/audio"
)

func newKey(t testing.TB) *identity.PrivateKey {
	t.Helper()
	k, err := identity.Generate(nil)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func assertPrivateFile(t *testing.T, path string) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("%s has mode %v, want 0600", path, st.Mode().Perm())
	}
}

// The device key is made on first start, kept owner-only, and the same
// key comes back at the next start; a damaged file is an error, never
// silently replaced by a new key.
func TestIdentityKeyCreatedOnceOwnerOnly(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	k1, created, err := LoadOrCreateIdentity(dir)
	if err != nil || !created {
		t.Fatalf("first start: created %v, %v", created, err)
	}
	path := filepath.Join(dir, IdentityKeyFile)
	assertPrivateFile(t, path)
	k2, created, err := LoadOrCreateIdentity(dir)
	if err != nil || created || !k1.Public().Equal(k2.Public()) {
		t.Fatalf("second start: created %v, same key %v, %v", created, k1.Public().Equal(k2.Public()), err)
	}
	must(t, os.Chmod(path, 0o644))
	if _, _, err := LoadOrCreateIdentity(dir); err != nil {
		t.Fatal(err)
	}
	assertPrivateFile(t, path) // tightened
	must(t, os.WriteFile(path, []byte("not a key"), 0o600))
	if _, _, err := LoadOrCreateIdentity(dir); !errors.Is(err, ErrIdentityKey) {
		t.Fatalf("damaged key file: %v, want ErrIdentityKey", err)
	}
}

// The store keeps verified device keys per local user and contact, marks
// a contact whose call presented another key, and survives a restart.
func TestVerifiedContactsStore(t *testing.T) {
	dir := t.TempDir()
	v, err := OpenVerifiedContactsIn(dir)
	must(t, err)
	laptop, phone, other := newKey(t).Public(), newKey(t).Public(), newKey(t).Public()
	if tr, _ := v.Seen("alice", "bob", laptop); tr != TrustUnverified || v.Contact("alice", "bob") != TrustUnverified {
		t.Fatalf("before any verification: %v", tr)
	}
	must(t, v.Verify("alice", "bob", laptop))
	must(t, v.Verify("alice", "bob", phone)) // a second device, verified on its own
	assertPrivateFile(t, filepath.Join(dir, VerifiedContactsFile))
	for _, k := range []identity.PublicKey{laptop, phone} {
		if tr, _ := v.Seen("alice", "bob", k); tr != TrustVerified {
			t.Fatalf("verified device shows %v", tr)
		}
	}
	if v.Contact("carol", "bob") != TrustUnverified {
		t.Fatal("another local user inherits alice's verification")
	}
	if tr, _ := v.Seen("alice", "bob", other); tr != TrustChanged || v.Contact("alice", "bob") != TrustChanged {
		t.Fatalf("a new key for a verified contact: %v / %v, want Changed", tr, v.Contact("alice", "bob"))
	}

	// After a restart: the change is still there, then resolved.
	v2, err := OpenVerifiedContactsIn(dir)
	must(t, err)
	if v2.Contact("alice", "bob") != TrustChanged {
		t.Fatal("the key change was forgotten at restart")
	}
	if tr, _ := v2.Seen("alice", "bob", laptop); tr != TrustVerified {
		t.Fatalf("laptop after restart: %v", tr)
	}
	must(t, v2.Verify("alice", "bob", other))
	if v2.Contact("alice", "bob") != TrustVerified {
		t.Fatal("comparing the code again did not clear the warning")
	}

	must(t, os.WriteFile(filepath.Join(dir, VerifiedContactsFile), []byte("{"), 0o600))
	if _, err := OpenVerifiedContactsIn(dir); !errors.Is(err, ErrVerifiedStore) {
		t.Fatalf("damaged store: %v, want ErrVerifiedStore", err)
	}
}

// withDevice gives a test user a device key and a verified-contacts store
// that outlive the Client, as the app's data folder does.
func withDevice(k *identity.PrivateKey, v *VerifiedContacts) userOption {
	return func(c *Config) { c.Identity, c.Verified = k, v }
}

// The flow with two real clients: verify once, later calls show Verified
// without a comparison; a new device key for the verified contact is
// warned about on the call screen and in the contact list, and comparing
// again clears it.
func TestVerifiedContactFlow(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	aliceKey, store := newKey(t), NewVerifiedContacts()
	alice := startUser(t, url, "alice", true, audio.Chirp(), withDevice(aliceKey, store))
	bob := startUser(t, url, "bob", true, audio.Chirp())

	ca, _ := placeCall(t, alice, bob)
	if !ca.E2EE || ca.Trust != TrustUnverified {
		t.Fatalf("first call: e2ee %v trust %v", ca.E2EE, ca.Trust)
	}
	alice.MarkVerified()
	alice.ev.waitCall(t, "verified", func(c CallInfo) bool { return c.Trust == TrustVerified })
	alice.ev.waitFor(t, "bob verified in the list", func(e *events) bool {
		c, ok := e.contact("bob")
		return ok && c.Trust == TrustVerified
	})
	alice.Hangup()
	bob.endsWith(t, EndRemoteHangup)

	// Next call, same devices: Verified at once.
	seenA, seenB := alice.ev.count(), bob.ev.count()
	ca, cb := placeCallAfter(t, alice, bob, seenA, seenB)
	if ca.Trust != TrustVerified {
		t.Fatalf("second call with the same device key: %v, want Verified", ca.Trust)
	}
	if cb.Trust != TrustUnverified {
		t.Fatalf("bob never verified alice, yet sees %v", cb.Trust)
	}
	bob.Hangup()
	alice.endsWith(t, EndRemoteHangup)

	// bob comes back with another device key (a reinstall, or someone
	// else): alice is warned, and bob is no longer shown as verified.
	bob.stop()
	bob2 := startUser(t, url, "bob", true, audio.Chirp())
	seenA = alice.ev.count()
	ca, _ = placeCallAfter(t, alice, bob2, seenA, 0)
	if !ca.E2EE || ca.Trust != TrustChanged {
		t.Fatalf("call with bob's new key: e2ee %v trust %v, want Changed", ca.E2EE, ca.Trust)
	}
	alice.ev.waitFor(t, "bob's key change in the list", func(e *events) bool {
		c, ok := e.contact("bob")
		return ok && c.Trust == TrustChanged
	})
	alice.MarkVerified() // they compared the code again
	alice.ev.waitCall(t, "verified again", func(c CallInfo) bool { return c.Trust == TrustVerified })
	if store.Contact("alice", "bob") != TrustVerified {
		t.Fatal("the new key was not stored as verified")
	}
}

// Point 9 of the attack review: with a verified contact, a full man in the
// middle at the signaling server is detected without any comparison —
// both sides are warned, neither ever shows Verified.
func TestManInTheMiddleDetectedForVerifiedContact(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	aliceKey, bobKey := newKey(t), newKey(t)
	aliceStore, bobStore := NewVerifiedContacts(), NewVerifiedContacts()

	// One honest call in which both compare the code and verify.
	alice := startUser(t, url, "alice", true, audio.Chirp(), withDevice(aliceKey, aliceStore))
	bob := startUser(t, url, "bob", true, audio.Chirp(), withDevice(bobKey, bobStore))
	ca, cb := placeCall(t, alice, bob)
	if !ca.E2EE || ca.Code != cb.Code {
		t.Fatalf("honest call: %q / %q", ca.EndMessage(), cb.EndMessage())
	}
	alice.MarkVerified()
	bob.MarkVerified()
	alice.ev.waitCall(t, "alice verified", func(c CallInfo) bool { return c.Trust == TrustVerified })
	bob.ev.waitCall(t, "bob verified", func(c CallInfo) bool { return c.Trust == TrustVerified })
	alice.Hangup()
	bob.endsWith(t, EndRemoteHangup)
	alice.stop()

	// alice's next sign-in goes through the attacker.
	var mitm *mitmConn
	alice = startUser(t, url, "alice", true, audio.Chirp(), withDevice(aliceKey, aliceStore),
		interpose(func(real SignalConn, me string) SignalConn {
			mitm = newMITM(real, me)
			return mitm
		}))
	seenB := bob.ev.count()
	ca, cb = placeCallAfter(t, alice, bob, 0, seenB)
	mitm.mu.Lock()
	mitmErr := mitm.failed
	mitm.mu.Unlock()
	if mitmErr != nil {
		t.Fatalf("the man in the middle itself failed, so the test proves nothing: %v", mitmErr)
	}
	if !ca.E2EE || !cb.E2EE {
		t.Fatalf("the attacker's handshakes should complete: %q / %q", ca.EndMessage(), cb.EndMessage())
	}
	for _, u := range []*testUser{alice, bob} {
		if u.ev.everShown(func(c CallInfo) bool { return c.ID == ca.ID && c.Trust == TrustVerified }) {
			t.Fatalf("%s: Verified shown for the intercepted call", u.Me().ID)
		}
	}
	if ca.Trust != TrustChanged || cb.Trust != TrustChanged {
		t.Fatalf("trust alice %v bob %v, want Changed on both sides without any comparison", ca.Trust, cb.Trust)
	}
	if aliceStore.Contact("alice", "bob") != TrustChanged || bobStore.Contact("bob", "alice") != TrustChanged {
		t.Fatal("the contact lists do not warn")
	}
}

// The app keeps one device key in its data folder across starts, and its
// verified contacts beside it.
func TestSoftphoneKeepsDeviceKeyInDataDir(t *testing.T) {
	dir := t.TempDir()
	open := func() *Softphone {
		s, err := NewSoftphone(SoftphoneConfig{Prefs: NewMemoryPreferences(), DataDir: dir,
			OpenDevice: func(string, string) (audio.Device, error) { return audio.NewSyntheticDevice(nil, nil), nil }})
		must(t, err)
		return s
	}
	s1, s2 := open(), open()
	if !s1.identity.Public().Equal(s2.identity.Public()) {
		t.Fatal("a second start made a new device key")
	}
	assertPrivateFile(t, filepath.Join(dir, IdentityKeyFile))
	must(t, s1.verified.Verify("alice", "bob", newKey(t).Public()))
	if open().verified.Contact("alice", "bob") != TrustVerified {
		t.Fatal("verified contacts are not kept in the data folder")
	}
}
