package opus

import (
	"errors"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to the decoder: it must never crash,
// never write past pcm, and fail only with the package's typed errors.
func FuzzDecode(f *testing.F) {
	enc, err := NewEncoder(DefaultEncoderConfig())
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range encodeAll(f, enc, voiced(testFrame*4)) {
		f.Add(p)
	}
	enc.Close()
	f.Add([]byte{0x03, 0x00})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{0x00})
	f.Add(make([]byte, MaxPacketSize+1))

	f.Fuzz(func(t *testing.T, pkt []byte) {
		dec, err := NewDecoder(testRate, 1)
		if err != nil {
			t.Fatal(err)
		}
		defer dec.Close()
		// A guard sample after pcm catches any write past the frame size.
		buf := make([]int16, MaxFrameSamples+1)
		buf[MaxFrameSamples] = 0x5a5a
		pcm := buf[:MaxFrameSamples]
		n, err := dec.Decode(pkt, pcm)
		if buf[MaxFrameSamples] != 0x5a5a {
			t.Fatal("decoder wrote past pcm")
		}
		if err != nil {
			var oe Error
			if !errors.As(err, &oe) && !errors.Is(err, ErrEmptyPacket) && !errors.Is(err, ErrPacketTooLarge) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if n <= 0 || n > MaxFrameSamples {
			t.Fatalf("decoded %d samples", n)
		}
		// The decoder state stays usable after any input.
		if _, err := dec.DecodePLC(pcm[:testFrame]); err != nil {
			t.Fatalf("plc after fuzz input: %v", err)
		}
		if _, err := dec.DecodeFEC(pkt, pcm[:testFrame]); err != nil {
			var oe Error
			if !errors.As(err, &oe) {
				t.Fatalf("untyped fec error %v", err)
			}
		}
	})
}
