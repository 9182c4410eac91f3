package e2ee

import (
	"bytes"
	"crypto/mlkem"
	"crypto/mlkem/mlkemtest"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
)

// addSeeds seeds a fuzz target with the four messages of a real handshake,
// truncations and an oversized input.
func addSeeds(f *testing.F) {
	m := recordHandshake(f)
	for _, msg := range [][]byte{m.commit, m.hello, m.reveal, m.confirm} {
		f.Add(msg)
		f.Add(msg[:len(msg)-1])
		f.Add(append(bytes.Clone(msg), 0))
	}
	f.Add([]byte{})
	f.Add([]byte{byte(TypeCommit), Version, 0xff, 0xff})
	f.Add(make([]byte, MaxMessageSize+1))
}

// roundTrip fuzzes one parser: whatever parses must marshal back to exactly
// the input, because the encoding has a single form per message.
func roundTrip[M interface{ Marshal() []byte }](f *testing.F, parse func([]byte) (M, error)) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := parse(b)
		if err != nil {
			return
		}
		if out := m.Marshal(); !bytes.Equal(out, b) {
			t.Fatalf("round trip changed the message:\n in %x\nout %x", b, out)
		}
	})
}

func FuzzParseCommit(f *testing.F)         { roundTrip(f, ParseCommit) }
func FuzzParseResponderHello(f *testing.F) { roundTrip(f, ParseResponderHello) }
func FuzzParseReveal(f *testing.F)         { roundTrip(f, ParseReveal) }
func FuzzParseConfirm(f *testing.F)        { roundTrip(f, ParseConfirm) }

// fuzzStates are fixed handshake states, one per thing a side can wait for,
// built once from deterministic randomness: FuzzHandle drives a copy of one
// of them with a single Handle call per input, instead of running whole
// handshakes.
type fuzzStates struct {
	hs      []*Handshake // indexed by fuzzState
	genuine [][]byte     // the message that state accepts, nil when done
	results []*Result    // done states: the result before the input
}

const (
	fuzzRespWaitsCommit = iota
	fuzzInitWaitsHello
	fuzzRespWaitsReveal
	fuzzInitWaitsConfirm
	fuzzInitDone
	fuzzRespDone
	fuzzStateCount
)

// fuzzRand is the deterministic randomness of the fuzz fixtures; each copy
// of a state gets a fresh one, so that an input always does the same.
func fuzzRand(seed byte) *rand.ChaCha8 { return rand.NewChaCha8([32]byte{seed}) }

func fuzzConfig(role Role) Config {
	c := testConfig(role)
	c.Rand = fuzzRand(byte(role))
	return c
}

var buildFuzzStates = sync.OnceValue(func() *fuzzStates {
	i, err := New(fuzzConfig(Initiator))
	if err != nil {
		panic(err)
	}
	r, err := New(fuzzConfig(Responder))
	if err != nil {
		panic(err)
	}
	m := bytes.Repeat([]byte{7}, 32)
	i.encapsulate = func(ek *mlkem.EncapsulationKey768) ([]byte, []byte, error) {
		return mlkemtest.Encapsulate768(ek, m)
	}
	s := &fuzzStates{hs: make([]*Handshake, fuzzStateCount), genuine: make([][]byte, fuzzStateCount), results: make([]*Result, fuzzStateCount)}
	must := func(b []byte, err error) []byte {
		if err != nil {
			panic(err)
		}
		return b
	}
	commit := must(i.Start())
	s.hs[fuzzRespWaitsCommit], s.genuine[fuzzRespWaitsCommit] = clone(r), commit
	hello := must(r.Handle(commit))
	s.hs[fuzzInitWaitsHello], s.genuine[fuzzInitWaitsHello] = clone(i), hello
	reveal := must(i.Handle(hello))
	s.hs[fuzzRespWaitsReveal], s.genuine[fuzzRespWaitsReveal] = clone(r), reveal
	confirm := must(r.Handle(reveal))
	s.hs[fuzzInitWaitsConfirm], s.genuine[fuzzInitWaitsConfirm] = clone(i), confirm
	must(i.Handle(confirm))
	s.hs[fuzzInitDone], s.hs[fuzzRespDone] = i, r
	s.results[fuzzInitDone], _ = i.Result()
	s.results[fuzzRespDone], _ = r.Result()
	return s
})

// FuzzHandle feeds one input to a copy of one fixed state. Invariants: no
// panic; an error that is not ignorable ends the handshake and leaves no
// secret; an ignorable one (duplicate, late) changes nothing; Reveal and
// Confirm are accepted only as the genuine message (they carry a MAC and a
// signature under this run's keys); a done side accepts nothing.
func FuzzHandle(f *testing.F) {
	s := buildFuzzStates()
	for st := range fuzzStateCount {
		for _, msg := range s.genuine {
			if msg == nil {
				continue
			}
			f.Add(uint8(st), msg)
			f.Add(uint8(st), msg[:len(msg)-1])
			flipped := bytes.Clone(msg)
			flipped[len(flipped)/2] ^= 1
			f.Add(uint8(st), flipped)
		}
	}
	f.Add(uint8(fuzzRespWaitsCommit), []byte{})
	f.Add(uint8(fuzzInitWaitsHello), make([]byte, MaxMessageSize+1))
	f.Fuzz(func(t *testing.T, st uint8, b []byte) {
		st %= fuzzStateCount
		h := clone(s.hs[st])
		h.cfg.Rand = fuzzRand(st)
		before := h.state
		reply, err := h.Handle(b)
		switch {
		case IsIgnorable(err):
			if h.state != before || reply != nil || h.Err() != nil {
				t.Fatalf("ignorable %v changed the state (%v → %v) or replied", err, before, h.state)
			}
			if res := s.results[st]; res != nil {
				got, rerr := h.Result()
				if rerr != nil || !got.SendKey().Equal(res.SendKey()) {
					t.Fatalf("keys changed after ignorable %v: %v", err, rerr)
				}
			}
		case err != nil:
			if _, rerr := h.Result(); !errors.Is(rerr, ErrAborted) {
				t.Fatalf("result after error %v: %v", err, rerr)
			}
			if !h.Erased() {
				t.Fatalf("secrets left after error %v", err)
			}
		default:
			if s.results[st] != nil {
				t.Fatalf("a done handshake accepted %x", b)
			}
			// Commit and ResponderHello carry only public values, so any
			// well-formed one is acceptable.
			if (st == fuzzRespWaitsReveal || st == fuzzInitWaitsConfirm) && !bytes.Equal(b, s.genuine[st]) {
				t.Fatalf("forged message accepted in state %d: %x", st, b)
			}
		}
	})
}
