package accounts

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// concurrencyKDF wraps heldKDF and records the most evaluations that ran
// at once.
type concurrencyKDF struct {
	*heldKDF
	cur, max atomic.Int64
}

func (k *concurrencyKDF) key(password, salt []byte, time, memory uint32, threads uint8, n uint32) []byte {
	c := k.cur.Add(1)
	for m := k.max.Load(); c > m && !k.max.CompareAndSwap(m, c); m = k.max.Load() {
	}
	defer k.cur.Add(-1)
	return k.heldKDF.key(password, salt, time, memory, threads, n)
}

// TestHashingIsBoundedAndAFullQueueIsBusy: with memory for two hashes and
// a queue of three, ten simultaneous sign-ins give two evaluations, three
// waiting and five immediate 503s with Retry-After; the waiting ones are
// then evaluated, never more than two at once, and once hashing is idle
// the memory is handed back to the OS.
func TestHashingIsBoundedAndAFullQueueIsBusy(t *testing.T) {
	t.Parallel()
	kdf := &concurrencyKDF{heldKDF: newHeldKDF()}
	returned := make(chan struct{}, 16)
	s, _ := newTestService(t, withKey(kdf.key), withHashMemory(2*int64(testHash.Memory)<<10), func(c *Config) {
		c.HashQueue = 3
		c.HashWait = time.Hour // only the queue's size refuses here
		c.ReturnMemory = func() { returned <- struct{}{} }
	})
	mux := http.NewServeMux()
	s.Routes(mux)
	kdf.armed.Store(true)

	const n = 10
	busy := make(chan int, n)
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			w := do(t, mux, "POST", "/api/signin", "", fmt.Sprintf(`{"login":"nobody%d","password":"wrong-password"}`, i))
			codes[i] = w.Code
			if w.Code == http.StatusServiceUnavailable {
				if w.Header().Get("Retry-After") == "" {
					t.Errorf("503 without Retry-After")
				}
				busy <- i
			}
		})
	}
	// Two evaluations start and five are refused; the other three must
	// then be queued (the test fails by timeout if anything else happens).
	for range 2 + 5 {
		select {
		case <-kdf.entered:
		case <-busy:
		}
	}
	if now, _ := s.gate.inUse(); now != 2*int64(testHash.Memory) {
		t.Fatalf("%d KiB in use, want the whole budget", now)
	}
	close(kdf.open)
	wg.Wait()
	var bad, unavailable int
	for _, c := range codes {
		switch c {
		case http.StatusUnauthorized:
			bad++
		case http.StatusServiceUnavailable:
			unavailable++
		default:
			t.Errorf("answer %d", c)
		}
	}
	if bad != 5 || unavailable != 5 {
		t.Fatalf("%d evaluated (401), %d busy (503); want 5 and 5", bad, unavailable)
	}
	if m := kdf.max.Load(); m > 2 {
		t.Fatalf("%d argon2id evaluations ran at once; the budget holds 2", m)
	}
	if _, peak := s.gate.inUse(); peak > 2*int64(testHash.Memory) {
		t.Fatalf("peak %d KiB over the budget", peak)
	}
	select {
	case <-returned:
	case <-time.After(time.Minute):
		t.Fatal("memory never returned after the burst")
	}
	// Busy refusals did not count against the address: five more sign-ins
	// from it are still evaluated.
	kdf.armed.Store(false)
	for i := range 5 {
		if w := do(t, mux, "POST", "/api/signin", "", fmt.Sprintf(`{"login":"again%d","password":"wrong-password"}`, i)); w.Code != http.StatusUnauthorized {
			t.Fatalf("sign-in %d after the burst: %d", i, w.Code)
		}
	}
}

// TestStartUpHashesNothing: the dummy hash for unknown users is made
// without running argon2id, so a fresh server holds none of its memory.
func TestStartUpHashesNothing(t *testing.T) {
	t.Parallel()
	kdf := newHeldKDF()
	kdf.armed.Store(true)
	close(kdf.open)
	s, _ := newTestService(t, withKey(kdf.key))
	if c := kdf.calls.Load(); c != 0 {
		t.Fatalf("NewService ran argon2id %d times", c)
	}
	// And an unknown user still costs one evaluation with the configured
	// parameters.
	if _, err := s.SignIn(t.Context(), "nobody", "whatever-password", "192.0.2.3", ""); err == nil {
		t.Fatal("unknown user signed in")
	}
	if c := kdf.calls.Load(); c != 1 {
		t.Fatalf("unknown user: %d evaluations, want 1", c)
	}
}

func TestHashLimitsValidate(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]Config{
		"no hash fits": {HashMemory: 1 << 20},
		"queue":        {HashQueue: -1},
		"wait":         {HashWait: -time.Second},
	} {
		c.Store = &SQLStore{}
		if err := c.Validate(); err == nil {
			t.Errorf("%s: Validate accepted %+v", name, c)
		}
	}
}
