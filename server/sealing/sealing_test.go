package sealing

import (
	"bytes"
	"errors"
	"testing"
)

func TestSealOpen(t *testing.T) {
	t.Parallel()
	var k, other [KeySize]byte
	k[0], other[0] = 1, 2
	s := Seal(nil, &k, []byte("ctx"), []byte("hello"))
	if len(s) != 5+Overhead {
		t.Fatalf("sealed length %d", len(s))
	}
	if s2 := Seal(nil, &k, []byte("ctx"), []byte("hello")); bytes.Equal(s, s2) {
		t.Fatal("two seals share a nonce")
	}
	pt, err := Open(nil, &k, []byte("ctx"), s)
	if err != nil || string(pt) != "hello" {
		t.Fatalf("open: %q %v", pt, err)
	}
	bad := append([]byte(nil), s...)
	bad[len(bad)-1] ^= 1
	for name, c := range map[string]struct {
		key    *[KeySize]byte
		aad, s []byte
	}{
		"other key":     {&other, []byte("ctx"), s},
		"other context": {&k, []byte("ctx2"), s},
		"altered":       {&k, []byte("ctx"), bad},
		"short":         {&k, []byte("ctx"), s[:Overhead-1]},
	} {
		if _, err := Open(nil, c.key, c.aad, c.s); !errors.Is(err, ErrOpen) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
