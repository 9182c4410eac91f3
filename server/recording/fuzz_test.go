package recording

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/parley-voip/parley/server/sealing"
)

// FuzzParseOpus: any bytes give a duration within one Opus packet's range
// or one of the typed errors, never a panic.
func FuzzParseOpus(f *testing.F) {
	for _, seed := range [][]byte{
		{}, {0x00}, silenceFrame, {0x78, 1, 2, 3}, // SILK 20 ms
		{0xf9, 1, 2},                   // code 1, even
		{0xf9, 1},                      // code 1, odd
		{0xfa, 2, 1, 2, 3},             // code 2
		{0xfa, 252},                    // code 2, length cut
		{0xfb, 0x03, 1, 2, 3},          // code 3 CBR
		{0xfb, 0x83, 1, 1, 5, 6},       // code 3 VBR
		{0xfb, 0x43, 255, 1},           // code 3 padding beyond
		{0xfb, 0x00},                   // zero frames
		{0xfb, 0x3f},                   // 63 frames
		{0x0b, 0x03, 1, 2, 3, 4, 5, 6}, // 3 x 60 ms: over 120 ms
		bytes.Repeat([]byte{0xf8}, MaxPacket+1),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := ParseOpus(b)
		if err != nil {
			if !errors.Is(err, ErrEmptyPacket) && !errors.Is(err, ErrPacketTooLarge) && !errors.Is(err, ErrMalformedPacket) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if n < 120 || n > maxPacketSamples {
			t.Fatalf("%d samples", n)
		}
	})
}

// FuzzSealedReader: a stored track file of any content opens to what was
// sealed or fails with ErrCorrupt.
func FuzzSealedReader(f *testing.F) {
	var key [sealing.KeySize]byte
	seal := func(p []byte) []byte {
		var b bytes.Buffer
		w, _ := newSealedWriter(&b, &key, "rec", 0)
		w.Write(p)
		w.Close()
		return b.Bytes()
	}
	good := seal(bytes.Repeat([]byte("ogg"), chunkSize/2))
	f.Add(good)
	f.Add(seal(nil))
	f.Add(good[:len(good)-1])
	f.Add([]byte(fileMagic + "\xff\xff\xff\xff"))
	f.Add([]byte("OggS"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := newSealedReader(bytes.NewReader(b), &key, "rec", 0)
		if err == nil {
			_, err = io.ReadAll(r)
		}
		if err != nil && !errors.Is(err, ErrCorrupt) {
			t.Fatalf("untyped error %v", err)
		}
	})
}
