package sframe

import (
	"bytes"
	"errors"
	"testing"
)

// knownErrors lists every error a parse or decrypt may end in; anything
// else (or a panic) is a bug.
var knownErrors = []error{
	ErrShortHeader, ErrMalformedHeader, ErrShortCiphertext, ErrUnknownKID,
	ErrKeyUsage, ErrAuth, ErrReplay, ErrTooOld, ErrUnsupportedSuite,
	ErrKeySize, ErrTooLarge, ErrBufferOverlap,
}

func isKnown(err error) bool {
	for _, k := range knownErrors {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}

// FuzzParseHeader checks that parsing is canonical: whatever parses is
// re-encoded by AppendHeader to exactly the bytes consumed.
func FuzzParseHeader(f *testing.F) {
	for _, v := range loadVectors(f).Header {
		f.Add([]byte(v.Header))
	}
	for _, s := range []string{"", "\x08", "\x80", "\x08\x07", "\x09\x00\xff", "\x80\x05", "\xff\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		kid, ctr, n, err := ParseHeader(b)
		if err != nil {
			if !errors.Is(err, ErrShortHeader) && !errors.Is(err, ErrMalformedHeader) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if n < 1 || n > MaxHeaderSize || n > len(b) || n != HeaderSize(kid, ctr) {
			t.Fatalf("n = %d for %d input bytes (kid %x ctr %x)", n, len(b), kid, ctr)
		}
		if enc := AppendHeader(nil, kid, ctr); !bytes.Equal(enc, b[:n]) {
			t.Fatalf("AppendHeader(%x, %x) = %x, parsed from %x", kid, ctr, enc, b[:n])
		}
	})
}

// FuzzOpen feeds arbitrary suites, keys and frames to the stateless Open.
// It must never panic, and whatever it accepts must be exactly what Seal
// produces for the recovered values: an accepted frame is authentic.
func FuzzOpen(f *testing.F) {
	for _, v := range loadVectors(f).SFrame {
		f.Add(uint16(v.Suite), []byte(v.BaseKey), []byte(v.Metadata), []byte(v.CT))
		bad := bytes.Clone([]byte(v.CT))
		bad[len(bad)-1] ^= 1
		f.Add(uint16(v.Suite), []byte(v.BaseKey), []byte(v.Metadata), bad)
		f.Add(uint16(v.Suite), []byte(v.BaseKey), []byte(v.Metadata), []byte(v.CT[:6]))
	}
	f.Add(uint16(9), testKey(1), []byte{}, []byte{0})
	f.Fuzz(func(t *testing.T, suite uint16, key, metadata, ct []byte) {
		kid, ctr, pt, err := Open(Suite(suite), key, metadata, ct)
		if err != nil {
			if !isKnown(err) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		again, err := Seal(Suite(suite), key, kid, ctr, metadata, pt)
		if err != nil || !bytes.Equal(again, ct) {
			t.Fatalf("accepted %x but Seal gives %x (%v)", ct, again, err)
		}
	})
}

// FuzzDecrypt feeds arbitrary frames to a receiving Context holding two
// keys. It must never panic; a frame it accepts must carry one of those
// KIDs and be byte for byte what the sender of that KID would produce.
func FuzzDecrypt(f *testing.F) {
	const s = AES_128_GCM_SHA256_128
	kids := map[uint64][]byte{0: testKey(1), 0x123: testKey(2)}
	send := mustContext(f, s)
	for kid, key := range kids {
		if err := send.AddSendKey(kid, key); err != nil {
			f.Fatal(err)
		}
	}
	for i, pt := range [][]byte{nil, []byte("x"), bytes.Repeat([]byte("opus"), 20)} {
		for kid := range kids {
			md := []byte{byte(i)}[:i%2]
			ct := mustEncrypt(f, send, kid, md, pt)
			f.Add(md, ct)
			f.Add(md, ct[:len(ct)-1])
			f.Add([]byte("other"), ct)
		}
	}
	// One receiver per fuzz worker: deriving keys per input would dominate
	// the run. Its replay windows are cleared per input so that every
	// input is judged alone.
	recv := mustContext(f, s)
	for kid, key := range kids {
		if err := recv.AddReceiveKey(kid, key); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, metadata, ct []byte) {
		for _, e := range *recv.keys.Load() {
			e.window = replayWindow{}
		}
		before := recv.Stats().Opened
		kid, ctr, pt, err := recv.DecryptKID(nil, metadata, ct)
		if err != nil {
			if !isKnown(err) {
				t.Fatalf("unexpected error %v", err)
			}
			if recv.Stats().Opened != before {
				t.Fatal("failed frame counted as opened")
			}
			return
		}
		key, ok := kids[kid]
		if !ok {
			t.Fatalf("accepted frame with kid %x that has no key", kid)
		}
		again, err := Seal(s, key, kid, ctr, metadata, pt)
		if err != nil || !bytes.Equal(again, ct) {
			t.Fatalf("accepted %x but the sender would produce %x (%v)", ct, again, err)
		}
		if _, err := recv.Decrypt(nil, metadata, ct); !errors.Is(err, ErrReplay) {
			t.Fatalf("second delivery: %v, want ErrReplay", err)
		}
	})
}
