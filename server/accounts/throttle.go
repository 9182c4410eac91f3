package accounts

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// ThrottleConfig bounds failed sign-ins. Each failure takes a token from the
// account's bucket and from the address's bucket; an empty bucket refuses
// sign-in (even with the right password) until it refills. Successful
// sign-ins cost nothing.
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

type throttle struct {
	cfg ThrottleConfig
	mu  sync.Mutex
	m   map[string]*rate.Limiter
}

func newThrottle(cfg ThrottleConfig) *throttle {
	return &throttle{cfg: cfg.withDefaults(), m: make(map[string]*rate.Limiter)}
}

func (t *throttle) limiter(key string, now time.Time) *rate.Limiter {
	l := t.m[key]
	if l != nil {
		return l
	}
	if len(t.m) >= t.cfg.MaxKeys {
		t.prune(now)
	}
	burst, every := t.cfg.AddressBurst, t.cfg.AddressEvery
	if key[0] == 'u' {
		burst, every = t.cfg.AccountBurst, t.cfg.AccountEvery
	}
	l = rate.NewLimiter(rate.Every(every), burst)
	t.m[key] = l
	return l
}

// prune forgets buckets that have refilled: they hold no information. If
// an attacker keeps them all non-full, the oldest arbitrary half goes, which
// only ever errs on the side of letting a legitimate user retry.
func (t *throttle) prune(now time.Time) {
	for k, l := range t.m {
		if l.TokensAt(now) >= float64(l.Burst()) {
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

// wait says how long until both buckets have a token; 0 means go ahead.
func (t *throttle) wait(account, addr string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	var d time.Duration
	for _, k := range []string{"u" + account, "a" + addr} {
		l := t.limiter(k, now)
		if tok := l.TokensAt(now); tok < 1 {
			need := time.Duration((1 - tok) / float64(l.Limit()) * float64(time.Second))
			d = max(d, need)
		}
	}
	return d
}

// fail charges a failed attempt to both buckets.
func (t *throttle) fail(account, addr string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.limiter("u"+account, now).AllowN(now, 1)
	t.limiter("a"+addr, now).AllowN(now, 1)
}
