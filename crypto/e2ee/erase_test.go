package e2ee

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

// reachable reports whether needle occurs in any byte array or byte slice
// reachable from roots through pointers, interfaces, structs, arrays,
// slices and maps, unexported fields included. It is how the tests below
// look at what an object still holds, not at what its API says.
func reachable(needle []byte, roots ...any) bool {
	seen := map[uintptr]bool{}
	var walk func(v reflect.Value) bool
	walk = func(v reflect.Value) bool {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() || seen[v.Pointer()] {
				return false
			}
			seen[v.Pointer()] = true
			return walk(v.Elem())
		case reflect.Interface:
			return !v.IsNil() && walk(v.Elem())
		case reflect.Struct:
			for i := range v.NumField() {
				if walk(v.Field(i)) {
					return true
				}
			}
		case reflect.Slice:
			if v.IsNil() || v.Len() == 0 {
				return false
			}
			if seen[v.Pointer()] && v.Type().Elem().Kind() != reflect.Uint8 {
				return false
			}
			seen[v.Pointer()] = true
			fallthrough
		case reflect.Array:
			if v.Type().Elem().Kind() == reflect.Uint8 {
				b := make([]byte, v.Len())
				for i := range b {
					b[i] = byte(v.Index(i).Uint())
				}
				return bytes.Contains(b, needle)
			}
			for i := range v.Len() {
				if walk(v.Index(i)) {
					return true
				}
			}
		case reflect.Map:
			it := v.MapRange()
			for it.Next() {
				if walk(it.Key()) || walk(it.Value()) {
					return true
				}
			}
		}
		return false
	}
	for _, r := range roots {
		if walk(reflect.ValueOf(r)) {
			return true
		}
	}
	return false
}

func TestResultEraseTwice(t *testing.T) {
	t.Parallel()
	ri, _ := pair(t, mustNew(t, testConfig(Initiator)), mustNew(t, testConfig(Responder)))
	ri.Erase()
	ri.Erase() // panicked before: the keys were nil
	if !ri.Erased() || ri.Code().IsZero() || ri.PeerIdentity().IsZero() {
		t.Fatal("Erase must drop the keys and keep code and peer identity")
	}
	if _, err := NewMediaCipher(ri); !errors.Is(err, ErrErased) {
		t.Fatalf("cipher from an erased result: %v", err)
	}
}

// TestNewMediaCipherTakesKeys: building the cipher leaves no copy of the
// epoch-0 keys in the Result or the Handshake.
func TestNewMediaCipherTakesKeys(t *testing.T) {
	t.Parallel()
	i, r := mustNew(t, testConfig(Initiator)), mustNew(t, testConfig(Responder))
	ri, _ := pair(t, i, r)
	send, recv := ri.SendKey().key, ri.ReceiveKey().key
	if i.Erased() || !reachable(send[:], i) {
		t.Fatal("handshake reports erased, or the scan misses the keys its result holds")
	}
	c, err := NewMediaCipher(ri)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if !ri.Erased() || !i.Erased() {
		t.Fatal("result or handshake keeps keys after NewMediaCipher")
	}
	for _, k := range [][]byte{send[:], recv[:]} {
		if reachable(k, i, ri) {
			t.Fatal("an epoch-0 key is still reachable from the handshake or result")
		}
		if !reachable(k, c) {
			t.Fatal("the cipher does not hold the epoch-0 key (the scan is blind)")
		}
	}
	if _, err := NewMediaCipher(ri); !errors.Is(err, ErrErased) {
		t.Fatalf("second cipher from the same result: %v", err)
	}
}

func TestHandshakeErase(t *testing.T) {
	t.Parallel()
	i, _, m := finished(t)
	confirm := m.confirm
	i.Erase()
	i.Erase()
	if !i.Erased() || !i.Done() {
		t.Fatal("erased handshake must stay done and hold nothing")
	}
	if _, err := i.Result(); !errors.Is(err, ErrErased) {
		t.Fatalf("Result after Erase: %v", err)
	}
	if _, err := i.Handle(confirm); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("duplicate after Erase: %v", err)
	}

	// Before completion Erase ends the handshake.
	i2, r2 := mustNew(t, testConfig(Initiator)), mustNew(t, testConfig(Responder))
	c2, _ := i2.Start()
	step(t, i2, step(t, r2, c2)) // the initiator now holds the key schedule
	if i2.Erased() {
		t.Fatal("waiting initiator reports erased")
	}
	i2.Erase()
	if !i2.Erased() || i2.Done() {
		t.Fatal("Erase before done must wipe and end the handshake")
	}
	if _, err := i2.Handle(confirm); !errors.Is(err, ErrAborted) || !errors.Is(err, ErrErased) {
		t.Fatalf("Handle after Erase before done: %v", err)
	}
}

// TestMidCallNothingRebuildsEpochZero follows the call layer: handshake,
// NewMediaCipher, Erase of the handshake, media, a rekey each way. Then no
// object the call still holds (both handshakes, both results, both ciphers)
// contains either epoch-0 base key, the SFrame contexts no longer hold
// epoch 0's KIDs, and each cipher reports epoch 1 as its oldest. Epoch 0 of
// both directions, from which every later epoch follows, is gone.
func TestMidCallNothingRebuildsEpochZero(t *testing.T) {
	t.Parallel()
	const grace = 2
	i, r := mustNew(t, testConfig(Initiator)), mustNew(t, testConfig(Responder))
	ri, rr := pair(t, i, r)
	epoch0 := [][baseKeySize]byte{ri.SendKey().key, ri.ReceiveKey().key}
	a, err := NewMediaCipher(ri, WithRekeyEvery(0), WithGraceFrames(grace))
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewMediaCipher(rr, WithRekeyEvery(0), WithGraceFrames(grace))
	if err != nil {
		t.Fatal(err)
	}
	i.Erase()
	r.Erase()
	held := []any{i, r, ri, rr, a, b}
	for n := range 3 {
		roundtrip(t, a, b, n)
		roundtrip(t, b, a, n)
	}
	for _, k := range epoch0 {
		if !reachable(k[:], held...) {
			t.Fatal("epoch-0 key not found before the rekey: the scan is blind")
		}
	}
	if err := a.Rekey(); err != nil {
		t.Fatal(err)
	}
	if err := b.Rekey(); err != nil {
		t.Fatal(err)
	}
	for n := range grace + 1 {
		roundtrip(t, a, b, 100+n)
		roundtrip(t, b, a, 100+n)
	}
	for _, c := range []*MediaCipher{a, b} {
		if got := c.OldestEpoch(); got != 1 {
			t.Fatalf("oldest epoch held is %d, want 1", got)
		}
		for _, dir := range []uint64{dirInitiatorToResponder, dirResponderToInitiator} {
			if c.send.HasKey(kidFor(0, dir)) || c.recv.HasKey(kidFor(0, dir)) {
				t.Fatalf("an SFrame context still holds epoch 0, direction %d", dir)
			}
		}
	}
	for d, k := range epoch0 {
		if reachable(k[:], held...) {
			t.Fatalf("epoch-0 key of direction %d is still reachable mid-call", d)
		}
	}

	a.Close()
	a.Close()
	b.Close()
	if a.OldestEpoch() != MaxEpoch+1 {
		t.Fatalf("closed cipher reports epoch %d", a.OldestEpoch())
	}
	if _, err := a.Seal(nil, frame(0)); !errors.Is(err, ErrErased) {
		t.Fatalf("seal after close: %v", err)
	}
}
