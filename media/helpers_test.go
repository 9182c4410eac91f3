package media

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/rtc"
)

// gcmCipher is a FrameCipher for these tests only: AES-128-GCM under a
// fixed key, the nonce a 4-byte direction prefix and an 8-byte counter sent
// in clear ahead of the ciphertext. The real SFrame cipher is wired by the
// app; this one is enough to prove that the engine seals every frame before
// it leaves and drops (and counts) frames that do not authenticate.
type gcmCipher struct {
	aead       cipher.AEAD
	send, recv uint32 // direction prefixes, so the two ends never share a nonce
	counter    atomic.Uint64
}

var testKey = []byte("parley test key!")

func newGCMCipher(send, recv uint32) *gcmCipher {
	block, err := aes.NewCipher(testKey)
	if err != nil {
		panic(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return &gcmCipher{aead: aead, send: send, recv: recv}
}

var errShortFrame = errors.New("sealed frame too short")

func (c *gcmCipher) Seal(dst, frame []byte) ([]byte, error) {
	var nonce [12]byte
	n := c.counter.Add(1)
	binary.BigEndian.PutUint32(nonce[:4], c.send)
	binary.BigEndian.PutUint64(nonce[4:], n)
	dst = binary.BigEndian.AppendUint64(dst, n)
	return c.aead.Seal(dst, nonce[:], frame, nil), nil
}

func (c *gcmCipher) Open(dst, sealed []byte) ([]byte, error) {
	if len(sealed) < 8+c.aead.Overhead() {
		return dst, errShortFrame
	}
	var nonce [12]byte
	binary.BigEndian.PutUint32(nonce[:4], c.recv)
	copy(nonce[4:], sealed[:8])
	return c.aead.Open(dst, nonce[:], sealed[8:], nil)
}

// startEngine returns a started engine for cfg (quiet unless cfg has a
// Logger), closed at the test's end.
func startEngine(t testing.TB, cfg Config) *Engine {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = quiet
	}
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	return e
}

// attachChan attaches a call without E2EE on an in-memory transport.
func attachChan(t testing.TB, e *Engine) (*chanTransport, *Stream) {
	t.Helper()
	tr := newChanTransport()
	s, err := e.Attach(tr, nil)
	if err != nil {
		t.Fatal(err)
	}
	return tr, s
}

// manualDevice hands its callbacks to the test, which drives them
// synchronously: deterministic, no clock.
type manualDevice struct {
	// afterPeriod: the device reports that it calls Callbacks.AfterPeriod
	// (the test calls it, as the device's goroutine would).
	afterPeriod bool

	mu sync.Mutex
	cb audio.Callbacks
}

func (d *manualDevice) CallsAfterPeriod() bool { return d.afterPeriod }

func (d *manualDevice) Start(cb audio.Callbacks) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.cb = cb
	return nil
}

func (d *manualDevice) Stop() error { return nil }

func (d *manualDevice) callbacks() audio.Callbacks {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cb
}

// chanTransport is an in-memory Transport: written frames go to out,
// ReadFrame returns frames from in. Deadlines make ReadFrame return.
type chanTransport struct {
	in, out  chan rtc.Frame
	gate     chan struct{} // when non-nil, WriteFrame waits for a receive
	deadline chan struct{}
	once     sync.Once
	// reads counts ReadFrame calls: the stream's one reader calls again
	// only once it is done with the frame before, so after n frames
	// reads > n says the nth has been opened, counted and buffered.
	reads atomic.Int64
}

func newChanTransport() *chanTransport {
	return &chanTransport{
		in:       make(chan rtc.Frame, 64),
		out:      make(chan rtc.Frame, 64),
		deadline: make(chan struct{}),
	}
}

func (t *chanTransport) WriteFrame(frame []byte, _ time.Duration) error {
	if t.gate != nil {
		<-t.gate
	}
	t.out <- rtc.Frame{Payload: append([]byte(nil), frame...)}
	return nil
}

func (t *chanTransport) ReadFrame() (rtc.Frame, error) {
	t.reads.Add(1)
	select {
	case f := <-t.in:
		return f, nil
	case <-t.deadline:
		return rtc.Frame{}, os.ErrDeadlineExceeded
	}
}

func (t *chanTransport) SetReadDeadline(d time.Time) error {
	if !d.IsZero() {
		t.once.Do(func() { close(t.deadline) })
	}
	return nil
}

// tamperTransport flips a bit in chosen outgoing frames, as an attacker on
// the media path would.
type tamperTransport struct {
	*rtc.Peer
	written  atomic.Int64
	every    int64
	max      int64
	tampered atomic.Int64
}

func (t *tamperTransport) WriteFrame(frame []byte, d time.Duration) error {
	if n := t.written.Add(1); n%t.every == 0 && t.tampered.Load() < t.max {
		t.tampered.Add(1)
		bad := append([]byte(nil), frame...)
		bad[len(bad)-1] ^= 0x01
		return t.Peer.WriteFrame(bad, d)
	}
	return t.Peer.WriteFrame(frame, d)
}

// chirpReference returns n samples of the synthetic devices' source.
func chirpReference(n int) []int16 {
	src := audio.Chirp()
	out := make([]int16, 0, n)
	frame := make([]int16, audio.FrameSamples)
	for len(out) < n {
		src(frame)
		out = append(out, frame...)
	}
	return out[:n]
}

func runtimeYield() { runtime.Gosched() }

// untilStats waits, at most testTimeout, until s's counters satisfy ok,
// and returns them. A transport has a frame before the stream's sender
// counts it (FramesSent, DTXSkipped go up once WriteFrame or SkipFrame
// returns), so a test that has seen the frame must still wait for the
// count.
func untilStats(t testing.TB, s *Stream, what string, ok func(Stats) bool) Stats {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	for {
		st := s.Stats()
		if ok(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: never counted; stats %+v", what, st)
		}
		runtimeYield()
	}
}

// untilBuffered waits, at most testTimeout, until s's jitter buffer has
// taken n frames: the stream's reader buffers a frame after ReadFrame
// hands it over.
func untilBuffered(t testing.TB, s *Stream, n uint64) {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	for s.jb.Stats().Pushed < n {
		if time.Now().After(deadline) {
			t.Fatalf("the jitter buffer took %d frames, want %d", s.jb.Stats().Pushed, n)
		}
		runtimeYield()
	}
}
