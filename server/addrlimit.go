package server

import (
	"net"
	"sync"

	"github.com/parley-voip/parley/server/accounts"
)

// keyedLimit counts holders per key (a remote IP, or "" for a global
// count) and refuses beyond max; max < 0 is no limit.
type keyedLimit struct {
	max int
	mu  sync.Mutex
	n   map[string]int
}

func newKeyedLimit(max int) *keyedLimit { return &keyedLimit{max: max, n: make(map[string]int)} }

// acquire takes a place for key and returns the function that gives it
// back (idempotent), or nil when key is at the limit.
func (l *keyedLimit) acquire(key string) func() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.max >= 0 && l.n[key] >= l.max {
		return nil
	}
	l.n[key]++
	return sync.OnceFunc(func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.n[key]--; l.n[key] <= 0 {
			delete(l.n, key)
		}
	})
}

// count is key's holders now.
func (l *keyedLimit) count(key string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n[key]
}

// addrKeyOf is the per-address key of a remote address (accounts.AddrKey
// of its IP: the IPv4 address, or the IPv6 /64).
func addrKeyOf(a net.Addr) string {
	if ta, ok := a.(*net.TCPAddr); ok {
		return accounts.AddrKey(ta.IP.String())
	}
	h, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return accounts.AddrKey(h)
}
