package accounts

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
)

// heldKDF is a KeyFunc that counts argon2id evaluations and, once armed,
// holds each one until open is closed, so a test can decide when hashing
// finishes instead of racing it.
type heldKDF struct {
	armed   atomic.Bool
	calls   atomic.Int64
	entered chan struct{}
	open    chan struct{}
}

func newHeldKDF() *heldKDF {
	return &heldKDF{entered: make(chan struct{}, 1024), open: make(chan struct{})}
}

func (k *heldKDF) key(password, salt []byte, time, memory uint32, threads uint8, n uint32) []byte {
	if k.armed.Load() {
		k.calls.Add(1)
		k.entered <- struct{}{}
		<-k.open
	}
	return argon2.IDKey(password, salt, time, memory, threads, n)
}

func withKey(f KeyFunc) serviceOption { return func(c *Config) { c.Key = f } }

func withHashMemory(bytes int64) serviceOption { return func(c *Config) { c.HashMemory = bytes } }

// TestConcurrentWrongPasswordsAreThrottled sends 40 simultaneous wrong
// passwords for one account. Every attempt either reaches argon2id or is
// refused first; only when all 40 have done one or the other are the
// hashes let finish, so on a throttle that checks before hashing and
// counts only afterwards all 40 would be evaluated.
func TestConcurrentWrongPasswordsAreThrottled(t *testing.T) {
	t.Parallel()
	kdf := newHeldKDF()
	// Memory for all 40 at once: only the throttle may hold them back.
	s, _ := newTestService(t, withKey(kdf.key), withHashMemory(40*int64(testHash.Memory)<<10))
	mustCreate(t, s, "grace", false)
	kdf.armed.Store(true)
	const n = 40
	throttled := make(chan struct{}, n)
	var wg sync.WaitGroup
	results := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, err := s.SignIn(context.Background(), "grace", "wrong-password", fmt.Sprintf("198.51.100.%d", i), "")
			var te *ThrottledError
			if errors.As(err, &te) {
				throttled <- struct{}{}
			}
			results[i] = err
		})
	}
	for range n {
		select {
		case <-kdf.entered:
		case <-throttled:
		}
	}
	close(kdf.open)
	wg.Wait()
	burst := int64(s.throttle.cfg.AccountBurst)
	if got := kdf.calls.Load(); got > burst {
		t.Fatalf("%d of %d concurrent wrong passwords were hashed; the account allows %d", got, n, burst)
	}
	var bad int
	for _, err := range results {
		if errors.Is(err, ErrBadCredentials) {
			bad++
		}
	}
	if int64(bad) != kdf.calls.Load() {
		t.Fatalf("%d bad-credential answers for %d evaluations", bad, kdf.calls.Load())
	}
}

// TestSuccessfulSignInGivesItsAttemptBack: right passwords do not use up
// the account's budget, so a user who signs in often is never locked out
// by themselves.
func TestSuccessfulSignInGivesItsAttemptBack(t *testing.T) {
	t.Parallel()
	s, _ := newTestService(t)
	mustCreate(t, s, "heidi", false)
	for range 3 * s.throttle.cfg.AccountBurst {
		mustSignIn(t, s, "heidi")
	}
	// And the reserved-then-failed attempts still count.
	for range s.throttle.cfg.AccountBurst {
		if _, err := s.SignIn(context.Background(), "heidi", "nope-nope", "192.0.2.9", ""); !errors.Is(err, ErrBadCredentials) {
			t.Fatal(err)
		}
	}
	var te *ThrottledError
	if _, err := s.SignIn(context.Background(), "heidi", "heidi-password", "192.0.2.9", ""); !errors.As(err, &te) {
		t.Fatalf("after the burst of failures: %v, want throttled", err)
	}
}

func TestThrottlePruneBoundsMemory(t *testing.T) {
	t.Parallel()
	th := newThrottle(ThrottleConfig{MaxKeys: 10})
	now := time.Unix(0, 0)
	for i := range 100 {
		if a, _ := th.reserve(string(rune('a'+i%26))+string(rune('a'+i/26)), "x", now); a == nil {
			now = now.Add(time.Minute) // the address bucket ran dry; let it refill
		}
	}
	if n := len(th.m); n > 10 {
		t.Fatalf("throttle holds %d keys, limit 10", n)
	}
}

// TestThrottleCountsAnIPv6NetworkAsOneAddress: rotating through the
// addresses of one /64 does not buy more guesses.
func TestThrottleCountsAnIPv6NetworkAsOneAddress(t *testing.T) {
	t.Parallel()
	s, _ := newTestService(t)
	for i := range s.throttle.cfg.AddressBurst {
		if _, err := s.SignIn(context.Background(), fmt.Sprintf("spray%d", i), "wrong-password", fmt.Sprintf("2001:db8:0:1::%x", i+1), ""); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	var te *ThrottledError
	if _, err := s.SignIn(context.Background(), "spray-next", "wrong-password", "2001:db8:0:1:ffff::1", ""); !errors.As(err, &te) {
		t.Fatalf("another address of the same /64: %v, want throttled", err)
	}
}
