package e2ee

import (
	"bytes"
	"errors"
	"testing"
)

// transcriptMsgs runs a handshake and records the four messages; i and r are
// left in their final states.
type transcriptMsgs struct {
	commit, hello, reveal, confirm []byte
}

func recordHandshake(t testing.TB) transcriptMsgs {
	t.Helper()
	_, _, m := finished(t)
	return m
}

// finished runs a complete handshake and returns both sides, done, with
// the four messages.
func finished(t testing.TB) (*Handshake, *Handshake, transcriptMsgs) {
	t.Helper()
	i, r, m := stage(t, TypeConfirm)
	step(t, i, m.confirm)
	return i, r, m
}

// stage returns an initiator and a responder advanced so that the next
// message each expects is the one named.
func stage(t testing.TB, next MessageType) (*Handshake, *Handshake, transcriptMsgs) {
	t.Helper()
	i, r := mustNew(t, testConfig(Initiator)), mustNew(t, testConfig(Responder))
	var m transcriptMsgs
	m.commit, _ = i.Start()
	if next == TypeCommit {
		return i, r, m
	}
	m.hello = step(t, r, m.commit)
	if next == TypeResponderHello {
		return i, r, m
	}
	m.reveal = step(t, i, m.hello)
	if next == TypeReveal {
		return i, r, m
	}
	m.confirm = step(t, r, m.reveal)
	return i, r, m
}

func TestHandleErrors(t *testing.T) {
	t.Parallel()
	flip := func(b []byte, at int) []byte {
		c := bytes.Clone(b)
		c[at] ^= 1
		return c
	}
	cases := []struct {
		name string
		// run drives the handshake into the error and returns it with the
		// handshake that must now be dead.
		run  func(t *testing.T) (*Handshake, error)
		want error
	}{
		{"reveal before commit", func(t *testing.T) (*Handshake, error) {
			_, r, _ := stage(t, TypeCommit)
			m := recordHandshake(t)
			_, err := r.Handle(m.reveal)
			return r, err
		}, ErrUnexpectedMessage},
		{"confirm before hello", func(t *testing.T) (*Handshake, error) {
			i, _, _ := stage(t, TypeCommit)
			_, err := i.Handle(recordHandshake(t).confirm)
			return i, err
		}, ErrUnexpectedMessage},
		{"initiator gets a commit", func(t *testing.T) (*Handshake, error) {
			i, _, m := stage(t, TypeResponderHello)
			_, err := i.Handle(m.commit)
			return i, err
		}, ErrUnexpectedMessage},
		{"initiator handles before start", func(t *testing.T) (*Handshake, error) {
			i := mustNew(t, testConfig(Initiator))
			_, err := i.Handle(recordHandshake(t).hello)
			return i, err
		}, ErrUnexpectedMessage},
		{"start twice", func(t *testing.T) (*Handshake, error) {
			i, _, _ := stage(t, TypeResponderHello)
			_, err := i.Start()
			return i, err
		}, ErrUnexpectedMessage},
		{"second, different commit", func(t *testing.T) (*Handshake, error) {
			_, r, _ := stage(t, TypeReveal)
			_, err := r.Handle(recordHandshake(t).commit)
			return r, err
		}, ErrReplayed},
		{"second, different hello", func(t *testing.T) (*Handshake, error) {
			i, _, _ := stage(t, TypeConfirm)
			_, err := i.Handle(recordHandshake(t).hello)
			return i, err
		}, ErrReplayed},
		{"truncated", func(t *testing.T) (*Handshake, error) {
			_, r, m := stage(t, TypeCommit)
			_, err := r.Handle(m.commit[:len(m.commit)-1])
			return r, err
		}, ErrMalformed},
		{"trailing byte", func(t *testing.T) (*Handshake, error) {
			i, _, m := stage(t, TypeResponderHello)
			_, err := i.Handle(append(bytes.Clone(m.hello), 0))
			return i, err
		}, ErrMalformed},
		{"field length", func(t *testing.T) (*Handshake, error) {
			_, r, m := stage(t, TypeCommit)
			_, err := r.Handle(flip(m.commit, 3)) // suite length 2 → 3
			return r, err
		}, ErrMalformed},
		{"unknown type", func(t *testing.T) (*Handshake, error) {
			_, r, m := stage(t, TypeCommit)
			c := bytes.Clone(m.commit)
			c[0] = 9
			_, err := r.Handle(c)
			return r, err
		}, ErrMalformed},
		{"empty", func(t *testing.T) (*Handshake, error) {
			_, r, _ := stage(t, TypeCommit)
			_, err := r.Handle(nil)
			return r, err
		}, ErrMalformed},
		{"oversized", func(t *testing.T) (*Handshake, error) {
			i, _, m := stage(t, TypeResponderHello)
			_, err := i.Handle(append(bytes.Clone(m.hello), make([]byte, MaxMessageSize)...))
			return i, err
		}, ErrTooLarge},
		{"version", func(t *testing.T) (*Handshake, error) {
			i, _, m := stage(t, TypeResponderHello)
			c := bytes.Clone(m.hello)
			c[1] = 0
			_, err := i.Handle(c)
			return i, err
		}, ErrVersion},
		{"invalid ml-kem key", func(t *testing.T) (*Handshake, error) {
			i, _, m := stage(t, TypeResponderHello)
			hm, _ := ParseResponderHello(m.hello)
			for j := range hm.EncapsulationKey[:384*3] {
				hm.EncapsulationKey[j] = 0xff // coefficients ≥ q
			}
			_, err := i.Handle(hm.Marshal())
			return i, err
		}, ErrMalformed},
		{"low-order x25519 key", func(t *testing.T) (*Handshake, error) {
			i, _, m := stage(t, TypeResponderHello)
			hm, _ := ParseResponderHello(m.hello)
			hm.X25519 = [32]byte{}
			_, err := i.Handle(hm.Marshal())
			return i, err
		}, ErrMalformed},
		{"commitment mismatch nonce", func(t *testing.T) (*Handshake, error) {
			_, r, m := stage(t, TypeReveal)
			rv, _ := ParseReveal(m.reveal)
			rv.Nonce[0] ^= 1
			_, err := r.Handle(rv.Marshal())
			return r, err
		}, ErrCommitmentMismatch},
		{"commitment mismatch key", func(t *testing.T) (*Handshake, error) {
			_, r, m := stage(t, TypeReveal)
			rv, _ := ParseReveal(m.reveal)
			rv.X25519[5] ^= 1
			_, err := r.Handle(rv.Marshal())
			return r, err
		}, ErrCommitmentMismatch},
		{"initiator mac", func(t *testing.T) (*Handshake, error) {
			_, r, m := stage(t, TypeReveal)
			_, err := r.Handle(flip(m.reveal, len(m.reveal)-1))
			return r, err
		}, ErrConfirmationFailed},
		{"ciphertext altered", func(t *testing.T) (*Handshake, error) {
			_, r, m := stage(t, TypeReveal)
			_, err := r.Handle(flip(m.reveal, 2+34+34+34+2+500))
			return r, err
		}, ErrConfirmationFailed},
		{"responder mac", func(t *testing.T) (*Handshake, error) {
			i, _, m := stage(t, TypeConfirm)
			_, err := i.Handle(flip(m.confirm, len(m.confirm)-1))
			return i, err
		}, ErrConfirmationFailed},
		{"initiator signature", func(t *testing.T) (*Handshake, error) {
			_, r, m := stage(t, TypeReveal)
			_, err := r.Handle(flip(m.reveal, RevealSize-(2+macSize)-10))
			return r, err
		}, ErrIdentitySignature},
		{"responder signature", func(t *testing.T) (*Handshake, error) {
			i, _, m := stage(t, TypeConfirm)
			_, err := i.Handle(flip(m.confirm, 10))
			return i, err
		}, ErrIdentitySignature},
		{"responder signature reflected", func(t *testing.T) (*Handshake, error) {
			// The initiator's own signature sent back in the Confirm: the
			// roles sign under different labels (and keys).
			i, _, m := stage(t, TypeConfirm)
			rv, _ := ParseReveal(m.reveal)
			c, _ := ParseConfirm(m.confirm)
			c.Signature = rv.Signature
			_, err := i.Handle(c.Marshal())
			return i, err
		}, ErrIdentitySignature},
		{"small-order identity key", func(t *testing.T) (*Handshake, error) {
			i, _, m := stage(t, TypeResponderHello)
			hm, _ := ParseResponderHello(m.hello)
			hm.Identity = [identitySize]byte{1} // y = 1, the neutral point
			_, err := i.Handle(hm.Marshal())
			return i, err
		}, ErrMalformed},
		{"confirm reflected", func(t *testing.T) (*Handshake, error) {
			// The initiator's own MAC sent back as a Confirm.
			i, _, m := stage(t, TypeConfirm)
			rv, _ := ParseReveal(m.reveal)
			c := Confirm{MAC: rv.MAC}
			_, err := i.Handle(c.Marshal())
			return i, err
		}, ErrConfirmationFailed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h, err := tc.run(t)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if h.Done() {
				t.Fatal("done after an error")
			}
			if _, err := h.Result(); !errors.Is(err, ErrAborted) || !errors.Is(err, tc.want) {
				t.Fatalf("Result after error: %v", err)
			}
			m := recordHandshake(t)
			for _, msg := range [][]byte{m.commit, m.hello, m.reveal, m.confirm} {
				if _, err := h.Handle(msg); !errors.Is(err, ErrAborted) {
					t.Fatalf("Handle after error: %v, want ErrAborted", err)
				}
			}
			if _, err := h.Start(); !errors.Is(err, ErrAborted) {
				t.Fatalf("Start after error: %v, want ErrAborted", err)
			}
		})
	}
}

// TestAfterDone: once a side is done, an exact duplicate is ErrDuplicate, any
// other message (a different one, a malformed one, one of the wrong role) is
// ErrLate; both are ignorable and leave the keys as they were.
func TestAfterDone(t *testing.T) {
	t.Parallel()
	i, r, m := finished(t)
	commit, hello, reveal, confirm := m.commit, m.hello, m.reveal, m.confirm
	ri, _ := i.Result()
	rr, _ := r.Result()
	keyI, keyR := *ri.SendKey(), *rr.SendKey()
	other := recordHandshake(t)
	cases := []struct {
		name string
		h    *Handshake
		msg  []byte
		want error
	}{
		{"duplicate confirm", i, confirm, ErrDuplicate},
		{"duplicate hello", i, hello, ErrDuplicate},
		{"duplicate reveal", r, reveal, ErrDuplicate},
		{"duplicate commit", r, commit, ErrDuplicate},
		{"another call's confirm", i, other.confirm, ErrLate},
		{"another call's reveal", r, other.reveal, ErrLate},
		{"confirm to the responder", r, confirm, ErrLate},
		{"malformed", i, confirm[:len(confirm)-1], ErrLate},
		{"oversized", r, make([]byte, MaxMessageSize+1), ErrLate},
	}
	for _, tc := range cases {
		reply, err := tc.h.Handle(tc.msg)
		if !errors.Is(err, tc.want) || !IsIgnorable(err) || reply != nil {
			t.Fatalf("%s: %x, %v; want %v", tc.name, reply, err, tc.want)
		}
		if !tc.h.Done() || tc.h.Err() != nil {
			t.Fatalf("%s ended the handshake", tc.name)
		}
	}
	ri2, err := i.Result()
	if err != nil || ri2 != ri || !ri.SendKey().Equal(&keyI) {
		t.Fatalf("initiator's result changed after late messages: %v", err)
	}
	if rr2, err := r.Result(); err != nil || rr2 != rr || !rr.SendKey().Equal(&keyR) {
		t.Fatalf("responder's result changed after late messages: %v", err)
	}
}

// TestDuplicatesBeforeDone: a relay that delivers every message twice does
// not break the handshake: each copy is ErrDuplicate and changes nothing.
func TestDuplicatesBeforeDone(t *testing.T) {
	t.Parallel()
	i, r := mustNew(t, testConfig(Initiator)), mustNew(t, testConfig(Responder))
	twice := func(h *Handshake, msg []byte) []byte {
		t.Helper()
		out := step(t, h, msg)
		again, err := h.Handle(msg)
		if !errors.Is(err, ErrDuplicate) || again != nil {
			t.Fatalf("%v: second copy: %x, %v; want ErrDuplicate", h.cfg.Role, again, err)
		}
		return out
	}
	commit, _ := i.Start()
	hello := twice(r, commit)
	reveal := twice(i, hello)
	if _, err := r.Handle(commit); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("third commit while waiting for reveal: %v", err)
	}
	confirm := twice(r, reveal)
	twice(i, confirm)
	ri, _ := i.Result()
	rr, _ := r.Result()
	if !ri.Code().Equal(rr.Code()) || !ri.SendKey().Equal(rr.ReceiveKey()) {
		t.Fatal("duplicates changed the outcome")
	}
}

// TestMessageSizes pins the sizes docs/e2ee.md gives for the four messages.
func TestMessageSizes(t *testing.T) {
	t.Parallel()
	m := recordHandshake(t)
	for _, c := range []struct {
		msg        []byte
		size, want int
	}{
		{m.commit, CommitSize, 40},
		{m.hello, ResponderHelloSize, 1290},
		{m.reveal, RevealSize, 1294},
		{m.confirm, ConfirmSize, 102},
	} {
		if len(c.msg) != c.size || c.size != c.want || c.size > MaxMessageSize {
			t.Errorf("message of %d bytes, constant %d, documented %d, limit %d", len(c.msg), c.size, c.want, MaxMessageSize)
		}
	}
}
