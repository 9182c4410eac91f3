package app

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/parley-voip/parley/crypto/e2ee"
	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/signaling"
)

// heldKeys is what a client's call record references of the E2EE keys,
// read on its Run goroutine.
type heldKeys struct {
	hsErased  bool
	resultErr error
	cipher    *e2ee.MediaCipher
}

func callKeys(t *testing.T, u *testUser) heldKeys {
	t.Helper()
	got := make(chan heldKeys, 1)
	ok := u.post(func() {
		k := u.call
		if k == nil || k.hs == nil {
			got <- heldKeys{}
			return
		}
		_, err := k.hs.Result()
		got <- heldKeys{hsErased: k.hs.Erased(), resultErr: err, cipher: k.cipher}
	})
	if !ok {
		t.Fatalf("%s has stopped", u.Me().ID)
	}
	return <-got
}

// TestE2EECallHoldsNoEpochZero: once media flows, the handshake the call
// record keeps is erased (its Result too); after one rekey each way
// neither side's cipher holds an epoch-0 key, and at hang-up the cipher is
// closed. What the call still references cannot rebuild epoch 0, from
// which every later epoch follows.
func TestE2EECallHoldsNoEpochZero(t *testing.T) {
	t.Parallel()
	alice, bob := newTwo(t, true, true, audio.Chirp)
	ca, _ := placeCall(t, alice, bob)
	if !ca.E2EE {
		t.Fatalf("call not E2EE: %s", ca.EndMessage())
	}
	assertHears(t, "bob hears alice", bob)
	keys := map[string]heldKeys{"alice": callKeys(t, alice), "bob": callKeys(t, bob)}
	for who, k := range keys {
		if k.cipher == nil {
			t.Fatalf("%s's call keeps no media cipher", who)
		}
		if !k.hsErased || !errors.Is(k.resultErr, e2ee.ErrErased) {
			t.Fatalf("%s's call keeps a handshake with secrets (erased %v, result %v)", who, k.hsErased, k.resultErr)
		}
		if err := k.cipher.Rekey(); err != nil {
			t.Fatal(err)
		}
	}
	// The receivers follow at the first frame of epoch 1 and drop epoch 0
	// after the grace (one second of audio); the deadline only stops a
	// hung test.
	deadline := time.Now().Add(waitTimeout)
	for keys["alice"].cipher.OldestEpoch() < 1 || keys["bob"].cipher.OldestEpoch() < 1 {
		if time.Now().After(deadline) {
			t.Fatalf("epoch 0 still held: alice %d, bob %d", keys["alice"].cipher.OldestEpoch(), keys["bob"].cipher.OldestEpoch())
		}
		time.Sleep(20 * time.Millisecond)
	}
	assertHears(t, "alice hears bob after the rekey", alice)
	assertHears(t, "bob hears alice after the rekey", bob)

	alice.Hangup()
	alice.endsWith(t, EndHangup)
	bob.endsWith(t, EndRemoteHangup)
	for who, k := range keys {
		if k.cipher.OldestEpoch() != e2ee.MaxEpoch+1 {
			t.Fatalf("%s's cipher still holds keys after the call", who)
		}
		if _, err := k.cipher.Seal(nil, []byte("after")); !errors.Is(err, e2ee.ErrErased) {
			t.Fatalf("%s's cipher seals after the call: %v", who, err)
		}
	}
}

// twiceConn delivers every key-agreement message twice, as a relay with
// at-least-once delivery may.
type twiceConn struct {
	SignalConn
	mu    sync.Mutex
	again *signaling.Message
}

func deliverTwice(real SignalConn, _ string) SignalConn { return &twiceConn{SignalConn: real} }

func (d *twiceConn) Recv(ctx context.Context) (*signaling.Message, error) {
	d.mu.Lock()
	if m := d.again; m != nil {
		d.again = nil
		d.mu.Unlock()
		return m, nil
	}
	d.mu.Unlock()
	m, err := d.SignalConn.Recv(ctx)
	if err == nil && m.Type == signaling.TypeKeyAgreement {
		c := *m
		c.Data = bytes.Clone(m.Data)
		d.mu.Lock()
		d.again = &c
		d.mu.Unlock()
	}
	return m, err
}

// TestE2EECallSurvivesDuplicatedKeyAgreement: every key-agreement message
// reaches each side twice (the callee's Commit and Reveal before it is
// done, the caller's Confirm after). The call still becomes E2EE with
// matching codes and carries audio; no side shows "E2EE failed".
func TestE2EECallSurvivesDuplicatedKeyAgreement(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	alice := startUser(t, url, "alice", true, audio.Chirp(), interpose(deliverTwice))
	bob := startUser(t, url, "bob", true, audio.Chirp(), interpose(deliverTwice))
	ca, cb := placeCall(t, alice, bob)
	if !ca.E2EE || !cb.E2EE || ca.Code != cb.Code {
		t.Fatalf("call not E2EE with one code: %q %q (%s / %s)", ca.Code, cb.Code, ca.EndMessage(), cb.EndMessage())
	}
	// Each side receives two messages, each twice: both copies are
	// counted where the call's state (and log) shows them.
	for _, u := range []*testUser{alice, bob} {
		got := u.ev.waitCall(t, u.Me().ID+" counts both copies", func(c CallInfo) bool {
			return c.IgnoredKeyMessages >= 2 || c.Ended()
		})
		if got.Ended() || !got.E2EE {
			t.Fatalf("%s: a duplicated key-agreement message ended the call: %q", u.Me().ID, got.EndMessage())
		}
	}
	assertHears(t, "bob hears alice", bob)
	assertHears(t, "alice hears bob", alice)
	alice.Hangup()
	alice.endsWith(t, EndHangup)
	bob.endsWith(t, EndRemoteHangup)
}
