package e2ee

import (
	"crypto/mlkem"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
)

// clone copies a handshake so that one state can be driven many times: the
// key schedule and the result are copied too, because a failure or an
// Erase on the copy wipes them in place. The standard library key objects
// are immutable and shared.
func clone(h *Handshake) *Handshake {
	c := *h
	if h.keys != nil {
		k := *h.keys
		c.keys = &k
	}
	if h.result != nil {
		r := *h.result
		for _, k := range []**MediaKey{&r.send, &r.recv} {
			if *k != nil {
				mk := **k
				*k = &mk
			}
		}
		c.result = &r
	}
	return &c
}

// TestMITMFullSubstitution: a man in the middle runs its own handshake with
// each side. Both complete, and the codes differ (they could match only
// with probability 10^-20).
func TestMITMFullSubstitution(t *testing.T) {
	t.Parallel()
	i, r := mustNew(t, testConfig(Initiator)), mustNew(t, testConfig(Responder))
	mr, mi := mustNew(t, mitmConfig(Responder)), mustNew(t, mitmConfig(Initiator))

	commit, _ := i.Start()
	helloM := step(t, mr, commit)
	commitM, _ := mi.Start()
	hello := step(t, r, commitM)
	revealM := step(t, mi, hello)
	confirm := step(t, r, revealM)
	step(t, mi, confirm)
	reveal := step(t, i, helloM)
	confirmM := step(t, mr, reveal)
	step(t, i, confirmM)

	ri, _ := i.Result()
	rr, _ := r.Result()
	if ri.Code().Equal(rr.Code()) {
		t.Fatalf("intercepted call shows matching codes %s", ri.Code())
	}
	if ri.SendKey().Equal(rr.ReceiveKey()) {
		t.Fatal("intercepted call shares media keys end to end")
	}
	// Each side sees the attacker's device key, so a contact verified in an
	// earlier call shows the change without any comparison.
	if !ri.PeerIdentity().Equal(testIdentityM.Public()) || !rr.PeerIdentity().Equal(testIdentityM.Public()) {
		t.Fatalf("peer identities %s, %s; want the attacker's", ri.PeerIdentity(), rr.PeerIdentity())
	}
}

// mitmConfig is the attacker's side of a handshake in the victims' call: the
// same context, its own device key.
func mitmConfig(role Role) Config {
	c := testConfig(role)
	c.Identity = testIdentityM
	return c
}

// TestMITMClaimsPeerIdentity: the attacker runs its own handshake with each
// side but presents the real peer's identity key, which it cannot sign
// with. Key confirmation succeeds (the keys are agreed with the attacker);
// the identity signature fails, on both sides.
func TestMITMClaimsPeerIdentity(t *testing.T) {
	t.Parallel()
	t.Run("toward initiator", func(t *testing.T) {
		t.Parallel()
		i, mr := mustNew(t, testConfig(Initiator)), mustNew(t, mitmConfig(Responder))
		commit, _ := i.Start()
		step(t, mr, commit)
		copy(mr.hr.Identity[:], testIdentityR.Public().Bytes()) // claims bob's device
		mr.helloMsg = mr.hr.Marshal()
		reveal := step(t, i, mr.helloMsg)
		confirm := step(t, mr, reveal)
		_, err := i.Handle(confirm)
		if !errors.Is(err, ErrIdentitySignature) {
			t.Fatalf("confirm: %v, want ErrIdentitySignature", err)
		}
		if i.Done() {
			t.Fatal("initiator done with a forged identity")
		}
	})
	t.Run("toward responder", func(t *testing.T) {
		t.Parallel()
		mi, r := mustNew(t, mitmConfig(Initiator)), mustNew(t, testConfig(Responder))
		mi.Start()
		copy(mi.hi.identity[:], testIdentityI.Public().Bytes()) // claims alice's device
		commit := (&Commit{Suite: mi.cfg.Suite, Commitment: mi.hi.commitment()}).Marshal()
		mi.commitMsg = commit
		hello := step(t, r, commit)
		reveal := step(t, mi, hello)
		confirm, err := r.Handle(reveal)
		if !errors.Is(err, ErrIdentitySignature) || confirm != nil {
			t.Fatalf("reveal: %x, %v; want ErrIdentitySignature", confirm, err)
		}
	})
}

// TestMITMSwapsIdentityOnly: the attacker relays the key agreement but
// replaces the identity key in one message with its own. The identity keys
// are in the transcript and the code, so the codes differ and key
// confirmation fails.
func TestMITMSwapsIdentityOnly(t *testing.T) {
	t.Parallel()
	i, r := mustNew(t, testConfig(Initiator)), mustNew(t, testConfig(Responder))
	commit, _ := i.Start()
	hello := step(t, r, commit)
	m, _ := ParseResponderHello(hello)
	copy(m.Identity[:], testIdentityM.Public().Bytes())
	reveal := step(t, i, m.Marshal())
	rv, _ := ParseReveal(reveal)
	code, _, err := r.openReveal(rv)
	if err != nil {
		t.Fatal(err)
	}
	if code.Equal(i.code) {
		t.Fatal("swapped identity key left the code unchanged")
	}
	if _, err := r.Handle(reveal); !errors.Is(err, ErrConfirmationFailed) {
		t.Fatalf("reveal: %v, want ErrConfirmationFailed", err)
	}
}

// TestMITMPartialSubstitution: a man in the middle that replaces some of
// the key agreement values and forwards the rest never gets both sides to
// complete.
func TestMITMPartialSubstitution(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		hello   func(t *testing.T, m *ResponderHello)
		reveal  func(t *testing.T, m *Reveal, r *Handshake)
		commit  func(t *testing.T, m *Commit)
		wantErr error
	}{
		{name: "responder x25519", hello: func(t *testing.T, m *ResponderHello) {
			m.X25519 = mitmHello(t).X25519
		}, wantErr: ErrConfirmationFailed},
		{name: "responder ml-kem key", hello: func(t *testing.T, m *ResponderHello) {
			m.EncapsulationKey = mitmHello(t).EncapsulationKey
		}, wantErr: ErrConfirmationFailed},
		{name: "responder nonce", hello: func(t *testing.T, m *ResponderHello) {
			m.Nonce[0] ^= 1
		}, wantErr: ErrConfirmationFailed},
		{name: "whole responder hello", hello: func(t *testing.T, m *ResponderHello) {
			*m = *mitmHello(t)
		}, wantErr: ErrConfirmationFailed},
		{name: "ciphertext re-encapsulated", reveal: func(t *testing.T, m *Reveal, r *Handshake) {
			ek, err := mlkem.NewEncapsulationKey768(r.hr.EncapsulationKey[:])
			if err != nil {
				t.Fatal(err)
			}
			_, ct := ek.Encapsulate()
			copy(m.Ciphertext[:], ct)
		}, wantErr: ErrConfirmationFailed},
		{name: "commit to own hello", commit: func(t *testing.T, m *Commit) {
			mi := mustNew(t, testConfig(Initiator))
			c, _ := mi.Start()
			own, _ := ParseCommit(c)
			*m = *own
		}, wantErr: ErrCommitmentMismatch},
		{name: "suite downgrade", commit: func(t *testing.T, m *Commit) {
			m.Suite = 0x0003
		}, wantErr: ErrSuite},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			i, r := mustNew(t, testConfig(Initiator)), mustNew(t, testConfig(Responder))
			commit, _ := i.Start()
			if tc.commit != nil {
				m, _ := ParseCommit(commit)
				tc.commit(t, m)
				commit = m.Marshal()
			}
			hello, err := r.Handle(commit)
			if err != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("commit: %v, want %v", err, tc.wantErr)
				}
				return
			}
			if tc.hello != nil {
				m, _ := ParseResponderHello(hello)
				tc.hello(t, m)
				hello = m.Marshal()
			}
			reveal := step(t, i, hello)
			if tc.reveal != nil {
				m, _ := ParseReveal(reveal)
				tc.reveal(t, m, r)
				reveal = m.Marshal()
			}
			if m, _ := ParseReveal(reveal); m != nil {
				if code, _, err := r.openReveal(m); err == nil && tc.hello != nil && code.Equal(i.code) {
					t.Fatalf("substituted hello left the code unchanged: %s", code)
				}
			}
			confirm, err := r.Handle(reveal)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("reveal: %v, want %v", err, tc.wantErr)
			}
			if r.Done() || confirm != nil {
				t.Fatal("responder completed an intercepted handshake")
			}
		})
	}
}

func mitmHello(t *testing.T) *ResponderHello {
	t.Helper()
	mi, mr := mustNew(t, testConfig(Initiator)), mustNew(t, testConfig(Responder))
	c, _ := mi.Start()
	m, err := ParseResponderHello(step(t, mr, c))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Grinding budget. The full path runs the responder's complete Handle
// (X25519, ML-KEM decapsulation, MAC) on a valid Reveal the attacker built;
// the code path runs the responder's own Reveal processing up to the code
// and transcript hash, which is where the ciphertext could leak into the
// code, at a fraction of the cost.
const (
	grindFull   = 1000
	grindCode   = 100000
	grindShards = 4
)

// TestGrindingMITM: the attacker sits between both sides and, once the
// commit ordering has fixed the code inputs, re-rolls everything it is
// still free to choose in its Reveal towards the responder: the KEM
// ciphertext (with a matching valid MAC) and the MAC itself. The code the
// responder ends up with never changes, so the attacker's chance of a match
// stays the single guess it made when it committed.
func TestGrindingMITM(t *testing.T) {
	t.Parallel()
	i, r := mustNew(t, testConfig(Initiator)), mustNew(t, testConfig(Responder))
	mr, mi := mustNew(t, testConfig(Responder)), mustNew(t, testConfig(Initiator))

	commit, _ := i.Start()
	helloM := step(t, mr, commit)
	step(t, i, helloM)
	codeI := i.code // what the initiator will display

	commitM, _ := mi.Start()
	hello := step(t, r, commitM)
	mi0 := clone(mi) // attacker state before choosing its ciphertext
	first := step(t, clone(mi0), hello)
	r0 := clone(r) // responder state before the attacker's Reveal
	firstRV, _ := ParseReveal(first)
	codeR, th0, err := r0.openReveal(firstRV)
	if err != nil {
		t.Fatal(err)
	}
	if codeR.Equal(codeI) {
		t.Fatal("codes already match: the 10^-20 event, or a bug")
	}

	t.Run("full path", func(t *testing.T) {
		t.Parallel()
		seen := make(map[[hashSize]byte]bool, grindFull)
		for n := range grindFull {
			m := clone(mi0)
			rv, err := m.Handle(hello) // fresh encapsulation, valid MAC
			if err != nil {
				t.Fatal(err)
			}
			rr := clone(r0)
			if _, err := rr.Handle(rv); err != nil {
				t.Fatalf("try %d: %v", n, err)
			}
			res, _ := rr.Result()
			if !res.Code().Equal(codeR) {
				t.Fatalf("try %d: code moved from %s to %s", n, codeR, res.Code())
			}
			if seen[rr.th] {
				t.Fatalf("try %d: ciphertext did not reach the transcript", n)
			}
			seen[rr.th] = true
		}
	})
	for shard := range grindShards {
		t.Run(fmt.Sprintf("code path %d", shard), func(t *testing.T) {
			t.Parallel()
			rng := rand.NewChaCha8([32]byte{byte(shard)})
			rv := *firstRV
			prev := th0
			for n := range grindCode / grindShards {
				rng.Read(rv.Ciphertext[:])
				rng.Read(rv.MAC[:])
				code, th, err := r0.openReveal(&rv)
				if err != nil {
					t.Fatalf("try %d: %v", n, err)
				}
				if !code.Equal(codeR) {
					t.Fatalf("try %d: code moved from %s to %s", n, codeR, code)
				}
				if th == prev {
					t.Fatalf("try %d: ciphertext did not reach the transcript", n)
				}
				prev = th
			}
			// Its committed hello is the one thing that would move the
			// code, and the commitment pins it.
			rv.Nonce[0] ^= 1
			if _, _, err := r0.openReveal(&rv); !errors.Is(err, ErrCommitmentMismatch) {
				t.Fatalf("altered hello: %v, want ErrCommitmentMismatch", err)
			}
		})
	}
}
