package e2ee

import (
	"bytes"
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

// FuzzHandle feeds arbitrary bytes to each waiting state: no panic, and
// anything but the genuine next message ends the handshake without a result.
func FuzzHandle(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, next := range []MessageType{TypeCommit, TypeResponderHello, TypeReveal, TypeConfirm} {
			i, r, _ := stage(t, next)
			h := i
			if next == TypeCommit || next == TypeReveal {
				h = r
			}
			if _, err := h.Handle(b); err != nil {
				if _, rerr := h.Result(); rerr == nil {
					t.Fatalf("result after error %v", err)
				}
				continue
			}
			// Commit and ResponderHello carry only public values, so any
			// well-formed one is acceptable. Reveal and Confirm must carry
			// a MAC under this run's fresh keys, which no input can.
			if next == TypeReveal || next == TypeConfirm {
				t.Fatalf("forged %s accepted", next)
			}
		}
	})
}
