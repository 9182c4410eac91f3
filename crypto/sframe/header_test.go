package sframe

import (
	"encoding/hex"
	"errors"
	"math"
	"testing"
)

func TestParseHeaderErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in string
		want     error
	}{
		{"empty", "", ErrShortHeader},
		{"ctr length without ctr", "08", ErrShortHeader},
		{"kid length without kid", "80", ErrShortHeader},
		{"8-byte ctr cut short", "0f01020304050607", ErrShortHeader},
		{"kid present ctr cut short", "99ffff01", ErrShortHeader},
		{"small ctr extended", "0807", ErrMalformedHeader},
		{"zero ctr extended", "0800", ErrMalformedHeader},
		{"ctr with leading zero", "0900ff", ErrMalformedHeader},
		{"small kid extended", "8005", ErrMalformedHeader},
		{"kid with leading zero", "9000ff", ErrMalformedHeader},
		{"8-byte kid with leading zero", "f000ffffffffffffff", ErrMalformedHeader},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in, err := hex.DecodeString(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, _, err := ParseHeader(in); !errors.Is(err, tc.want) {
				t.Fatalf("ParseHeader(%s) error = %v, want %v", tc.in, err, tc.want)
			}
		})
	}
}

// Every strict prefix of a header is rejected as truncated, by the parser
// and by both decryption APIs.
func TestTruncatedHeaderEveryPrefix(t *testing.T) {
	t.Parallel()
	const kid, ctr = 0x0102030405060708, math.MaxUint64
	send, recv := pair(t, AES_128_GCM_SHA256_128, kid)
	send.lookup(kid).next = ctr
	ct := mustEncrypt(t, send, kid, nil, []byte("x"))
	n := HeaderSize(kid, ctr)
	for i := range n {
		if _, _, _, err := ParseHeader(ct[:i]); !errors.Is(err, ErrShortHeader) {
			t.Errorf("ParseHeader(%d bytes) = %v", i, err)
		}
		if _, err := recv.Decrypt(nil, nil, ct[:i]); !errors.Is(err, ErrShortHeader) {
			t.Errorf("Decrypt(%d bytes) = %v", i, err)
		}
		if _, _, _, err := Open(AES_128_GCM_SHA256_128, testKey(1), nil, ct[:i]); !errors.Is(err, ErrShortHeader) {
			t.Errorf("Open(%d bytes) = %v", i, err)
		}
	}
	if got := recv.Stats().Malformed; got != uint64(n) {
		t.Errorf("Stats().Malformed = %d, want %d", got, n)
	}
}

// Round trip over every combination of field lengths, including the edges
// of each length.
func TestHeaderRoundTripEdges(t *testing.T) {
	t.Parallel()
	var values []uint64
	for b := 0; b <= 64; b++ {
		v := uint64(1)<<b - 1 // 0, 1, 3, 7, ... all-ones
		values = append(values, v, v+1)
	}
	for _, kid := range values {
		for _, ctr := range values {
			h := AppendHeader(nil, kid, ctr)
			if len(h) != HeaderSize(kid, ctr) || len(h) > MaxHeaderSize {
				t.Fatalf("header(%x, %x) is %d bytes, HeaderSize %d", kid, ctr, len(h), HeaderSize(kid, ctr))
			}
			k, c, n, err := ParseHeader(h)
			if err != nil || k != kid || c != ctr || n != len(h) {
				t.Fatalf("ParseHeader(%x) = %x, %x, %d, %v; want %x, %x", h, k, c, n, err, kid, ctr)
			}
		}
	}
}
