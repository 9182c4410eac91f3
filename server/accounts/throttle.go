package accounts

import (
	"sync"
	"time"
)

// ThrottleConfig bounds failed sign-ins. Every attempt reserves one token
// from the account's bucket and one from the address's bucket before the
// password is hashed; a successful sign-in gives both back, a failed one
// keeps them. An empty bucket refuses sign-in (even with the right
// password) until it refills. Because the reservation and the check are one
// step under one lock, concurrent attempts cannot overrun a bucket: at most
// AccountBurst attempts for one account are ever evaluated at once.
type ThrottleConfig struct {
	AccountBurst int           // failures allowed at once per account; default 5
	AccountEvery time.Duration // one more failure allowed per; default 1 min
	AddressBurst int           // per client address; default 20
	AddressEvery time.Duration // default 6 s
	MaxKeys      int           // tracked accounts+addresses; default 100000
}

func (c ThrottleConfig) withDefaults() ThrottleConfig {
	if c.AccountBurst == 0 {
		c.AccountBurst = 5
	}
	if c.AccountEvery == 0 {
		c.AccountEvery = time.Minute
	}
	if c.AddressBurst == 0 {
		c.AddressBurst = 20
	}
	if c.AddressEvery == 0 {
		c.AddressEvery = 6 * time.Second
	}
	if c.MaxKeys == 0 {
		c.MaxKeys = 100000
	}
	return c
}

// bucket is a token bucket: tokens as of at.
type bucket struct {
	tokens float64
	at     time.Time
	burst  float64
	every  time.Duration
}

// level refills b up to now and returns its tokens.
func (b *bucket) level(now time.Time) float64 {
	if now.After(b.at) {
		b.tokens = min(b.burst, b.tokens+float64(now.Sub(b.at))/float64(b.every))
		b.at = now
	}
	return b.tokens
}

// waitFor is how long until b holds one token.
func (b *bucket) waitFor(now time.Time) time.Duration {
	tok := b.level(now)
	if tok >= 1 {
		return 0
	}
	return time.Duration((1 - tok) * float64(b.every))
}

type throttle struct {
	cfg ThrottleConfig
	mu  sync.Mutex
	m   map[string]*bucket
}

func newThrottle(cfg ThrottleConfig) *throttle {
	return &throttle{cfg: cfg.withDefaults(), m: make(map[string]*bucket)}
}

func (t *throttle) bucket(key string, now time.Time) *bucket {
	if b := t.m[key]; b != nil {
		return b
	}
	burst, every := t.cfg.AddressBurst, t.cfg.AddressEvery
	if key[0] == 'u' {
		burst, every = t.cfg.AccountBurst, t.cfg.AccountEvery
	}
	b := &bucket{tokens: float64(burst), at: now, burst: float64(burst), every: every}
	t.m[key] = b
	return b
}

// prune forgets buckets that have refilled: they hold no information. If
// an attacker keeps them all non-full, an arbitrary half goes, which only
// ever errs on the side of letting a legitimate user retry.
func (t *throttle) prune(now time.Time) {
	for k, b := range t.m {
		if b.level(now) >= b.burst {
			delete(t.m, k)
		}
	}
	for k := range t.m {
		if len(t.m) < t.cfg.MaxKeys/2 {
			break
		}
		delete(t.m, k)
	}
}

// attempt is a reserved sign-in attempt: its tokens are spent unless
// release gives them back.
type attempt struct {
	t             *throttle
	account, addr string
}

// reserve takes one token from the account's and the address's buckets if
// both have one; otherwise it takes nothing and says how long until both
// will.
func (t *throttle) reserve(account, addr string, now time.Time) (*attempt, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.m) >= t.cfg.MaxKeys-1 {
		t.prune(now)
	}
	ub, ab := t.bucket("u"+account, now), t.bucket("a"+addr, now)
	if d := max(ub.waitFor(now), ab.waitFor(now)); d > 0 {
		return nil, d
	}
	ub.tokens--
	ab.tokens--
	return &attempt{t: t, account: account, addr: addr}, 0
}

// release refunds a successful attempt's tokens.
func (a *attempt) release() {
	t := a.t
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range []string{"u" + a.account, "a" + a.addr} {
		// The bucket may have been pruned meanwhile; then there is
		// nothing to refund.
		if b := t.m[k]; b != nil {
			b.tokens = min(b.burst, b.tokens+1)
		}
	}
}
