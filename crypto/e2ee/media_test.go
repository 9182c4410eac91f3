package e2ee

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-voip/parley/crypto/sframe"
)

// frameCipher is the interface package media consumes.
type frameCipher interface {
	Seal(dst, frame []byte) ([]byte, error)
	Open(dst, sealed []byte) ([]byte, error)
}

var _ frameCipher = (*MediaCipher)(nil)

func ciphers(t testing.TB, opts ...MediaOption) (*MediaCipher, *MediaCipher) {
	t.Helper()
	ri, rr := pair(t, mustNew(t, testConfig(Initiator)), mustNew(t, testConfig(Responder)))
	a, err := NewMediaCipher(ri, opts...)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewMediaCipher(rr, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ri.Erase()
	rr.Erase()
	return a, b
}

func frame(n int) []byte { return []byte(fmt.Sprintf("opus frame %06d", n)) }

// roundtrip seals on from and opens on to.
func roundtrip(t *testing.T, from, to *MediaCipher, n int) {
	t.Helper()
	sealed, err := from.Seal(nil, frame(n))
	if err != nil {
		t.Fatalf("seal %d: %v", n, err)
	}
	got, err := to.Open(nil, sealed)
	if err != nil {
		t.Fatalf("open %d: %v", n, err)
	}
	if !bytes.Equal(got, frame(n)) {
		t.Fatalf("frame %d: got %q", n, got)
	}
}

func TestMediaBothDirections(t *testing.T) {
	t.Parallel()
	a, b := ciphers(t)
	for n := range 10 {
		roundtrip(t, a, b, n)
		roundtrip(t, b, a, n)
	}
	// A side cannot open its own frames: distinct KIDs per direction.
	sealed, _ := a.Seal(nil, frame(0))
	if _, err := a.Open(nil, sealed); !errors.Is(err, ErrWrongDirection) {
		t.Fatalf("reflected frame: %v", err)
	}
	kidA, _, _, _ := sframe.ParseHeader(sealed)
	sealedB, _ := b.Seal(nil, frame(0))
	kidB, _, _, _ := sframe.ParseHeader(sealedB)
	if kidA == kidB {
		t.Fatal("both directions use the same kid")
	}
}

func TestMediaRekey(t *testing.T) {
	t.Parallel()
	const grace = 3
	a, b := ciphers(t, WithRekeyEvery(0), WithGraceFrames(grace))
	old, _ := a.Seal(nil, frame(100)) // epoch 0, delivered late
	older, _ := a.Seal(nil, frame(101))
	oldKID := kidFor(0, a.sendDir)
	roundtrip(t, a, b, 0)

	if err := a.Rekey(); err != nil {
		t.Fatal(err)
	}
	if a.SendEpoch() != 1 {
		t.Fatalf("send epoch %d after rekey", a.SendEpoch())
	}
	if a.send.HasKey(oldKID) {
		t.Fatal("sender kept its old key")
	}
	roundtrip(t, a, b, 1)
	if b.ReceiveEpoch() != 1 {
		t.Fatalf("receiver did not follow: epoch %d", b.ReceiveEpoch())
	}
	// Within the grace a late frame of the old epoch still opens.
	if _, err := b.Open(nil, old); err != nil {
		t.Fatalf("late frame within grace: %v", err)
	}
	for n := 2; n <= grace; n++ {
		roundtrip(t, a, b, n)
	}
	if b.recv.HasKey(oldKID) {
		t.Fatal("receiver kept the old key after the grace")
	}
	if _, err := b.Open(nil, older); !errors.Is(err, ErrUnknownEpoch) {
		t.Fatalf("old epoch after grace: %v, want ErrUnknownEpoch", err)
	}
	// The other direction rekeys independently.
	if err := b.Rekey(); err != nil {
		t.Fatal(err)
	}
	roundtrip(t, b, a, 0)
	roundtrip(t, a, b, grace+1)
}

// TestMediaRatchetForwardSecrecy: the keys of epoch n+1 are a one-way
// function of epoch n's, and the old one is gone from both sides' state.
func TestMediaRatchetForwardSecrecy(t *testing.T) {
	t.Parallel()
	a, b := ciphers(t, WithRekeyEvery(0), WithGraceFrames(0))
	k0 := a.sendKey
	if err := a.Rekey(); err != nil {
		t.Fatal(err)
	}
	roundtrip(t, a, b, 0)
	want, _ := ratchet(&k0, 1, a.sendDir)
	if a.sendKey != want || b.recvKey != want {
		t.Fatal("epoch 1 key is not the ratchet of epoch 0")
	}
	if a.sendKey == k0 || b.recvKey == k0 {
		t.Fatal("old seed still held")
	}
	if b.recv.HasKey(kidFor(0, a.sendDir)) || a.send.HasKey(kidFor(0, a.sendDir)) {
		t.Fatal("epoch 0 key still installed with zero grace")
	}
}

func TestMediaRekeyPolicy(t *testing.T) {
	t.Parallel()
	t.Run("frames", func(t *testing.T) {
		t.Parallel()
		a, b := ciphers(t, WithRekeyEvery(10))
		for n := range 25 {
			roundtrip(t, a, b, n)
		}
		if a.SendEpoch() != 2 || b.ReceiveEpoch() != 2 {
			t.Fatalf("epochs %d/%d after 25 frames, want 2", a.SendEpoch(), b.ReceiveEpoch())
		}
	})
	t.Run("clock", func(t *testing.T) {
		t.Parallel()
		var mu sync.Mutex
		now := time.Unix(1_700_000_000, 0)
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
		a, b := ciphers(t, WithRekeyEvery(0), WithRekeyInterval(time.Minute, clock))
		roundtrip(t, a, b, 0)
		advance(59 * time.Second)
		roundtrip(t, a, b, 1)
		if a.SendEpoch() != 0 {
			t.Fatal("rekeyed before the interval")
		}
		advance(time.Second)
		roundtrip(t, a, b, 2)
		if a.SendEpoch() != 1 || b.ReceiveEpoch() != 1 {
			t.Fatalf("epochs %d/%d after the interval, want 1", a.SendEpoch(), b.ReceiveEpoch())
		}
	})
}

// TestMediaLostEpochs: the receiver follows a sender whose frames of whole
// epochs were lost, up to MaxEpochSkip.
func TestMediaLostEpochs(t *testing.T) {
	t.Parallel()
	a, b := ciphers(t, WithRekeyEvery(0))
	for range MaxEpochSkip {
		a.Rekey()
	}
	roundtrip(t, a, b, 0)
	if b.ReceiveEpoch() != MaxEpochSkip {
		t.Fatalf("receiver at epoch %d", b.ReceiveEpoch())
	}
	for range MaxEpochSkip + 1 {
		a.Rekey()
	}
	sealed, _ := a.Seal(nil, frame(1))
	if _, err := b.Open(nil, sealed); !errors.Is(err, ErrUnknownEpoch) {
		t.Fatalf("skip beyond MaxEpochSkip: %v", err)
	}
}

// TestMediaForgedNextEpoch: a forged frame claiming the next epoch neither
// opens nor moves the receiver off its current key.
func TestMediaForgedNextEpoch(t *testing.T) {
	t.Parallel()
	a, b := ciphers(t)
	forged, _ := sframe.Seal(sframe.AES_128_GCM_SHA256_128, make([]byte, 32), kidFor(1, a.sendDir), 0, nil, frame(0))
	if _, err := b.Open(nil, forged); !errors.Is(err, sframe.ErrAuth) {
		t.Fatalf("forged frame: %v, want sframe.ErrAuth", err)
	}
	if b.ReceiveEpoch() != 0 || b.recv.HasKey(kidFor(1, a.sendDir)) {
		t.Fatal("forged frame moved the receiver")
	}
	roundtrip(t, a, b, 0)
	sealed, _ := a.Seal(nil, frame(1))
	b.Open(nil, sealed)
	if _, err := b.Open(nil, sealed); !errors.Is(err, sframe.ErrReplay) {
		t.Fatalf("replayed frame: %v, want sframe.ErrReplay", err)
	}
}

// TestMediaConcurrent: one goroutine seals (rekeying often) while another
// opens, as media's send and receive paths do. Run with -race.
func TestMediaConcurrent(t *testing.T) {
	t.Parallel()
	a, b := ciphers(t, WithRekeyEvery(7))
	const frames = 500
	ch := make(chan []byte, 16)
	errc := make(chan error, 2)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		defer close(ch)
		for n := range frames {
			s, err := a.Seal(nil, frame(n))
			if err != nil {
				errc <- err
				return
			}
			ch <- s
		}
	}()
	go func() {
		defer wg.Done()
		n := 0
		for s := range ch {
			got, err := b.Open(nil, s)
			if err != nil || !bytes.Equal(got, frame(n)) {
				errc <- fmt.Errorf("frame %d: %q, %v", n, got, err)
				return
			}
			// The reverse direction runs on the same goroutines.
			if _, err := b.Seal(nil, frame(n)); err != nil {
				errc <- err
				return
			}
			n++
		}
		if n != frames {
			errc <- fmt.Errorf("opened %d of %d", n, frames)
		}
	}()
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
}

func TestMediaErrors(t *testing.T) {
	t.Parallel()
	ri, _ := pair(t, mustNew(t, testConfig(Initiator)), mustNew(t, testConfig(Responder)))
	if _, err := NewMediaCipher(ri, WithGraceFrames(-1)); !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("negative grace: %v", err)
	}
	ri.Erase()
	if _, err := NewMediaCipher(ri); !errors.Is(err, ErrErased) {
		t.Fatalf("erased result: %v", err)
	}
	a, b := ciphers(t)
	if _, err := b.Open(nil, []byte{0x80}); !errors.Is(err, sframe.ErrShortHeader) {
		t.Fatalf("short header: %v", err)
	}
	sealed, _ := a.Seal(nil, frame(0))
	a.Close()
	if _, err := a.Seal(nil, frame(1)); !errors.Is(err, ErrErased) {
		t.Fatalf("seal after close: %v", err)
	}
	if err := a.Rekey(); !errors.Is(err, ErrErased) {
		t.Fatalf("rekey after close: %v", err)
	}
	b.Close()
	if _, err := b.Open(nil, sealed); !errors.Is(err, ErrErased) {
		t.Fatalf("open after close: %v", err)
	}
	if s := fmt.Sprintf("%v %+v %#v", a, a, b); strings.Contains(s, "Key") {
		t.Fatalf("format shows internals: %s", s)
	}
}

func BenchmarkMediaSealOpen80(b *testing.B) {
	x, y := ciphers(b, WithRekeyEvery(0))
	pt := make([]byte, 80)
	sealed := make([]byte, 0, 128)
	opened := make([]byte, 0, 128)
	b.SetBytes(80)
	b.ReportAllocs()
	for b.Loop() {
		s, err := x.Seal(sealed[:0], pt)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := y.Open(opened[:0], s); err != nil {
			b.Fatal(err)
		}
	}
}
