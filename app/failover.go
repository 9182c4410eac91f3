package app

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/parley-voip/parley/signaling"
)

// failoverAttempt bounds one node's answer, so that a node that hangs
// does not hold up trying the next.
const failoverAttempt = 5 * time.Second

// failover dials the nodes of one organization in turn (Config.ServerURLs),
// starting with the one that answered last, so that a client whose node
// goes moves to another at its next sign-in or reconnect. A sign-out is
// final: every node shares the sessions and would refuse too.
type failover struct {
	dial DialFunc
	urls []string

	mu   sync.Mutex
	last int // index into urls of the node that answered last
}

func newFailover(dial DialFunc, urls []string) *failover {
	return &failover{dial: dial, urls: urls}
}

// Dial implements DialFunc; the url it is given is ignored for the list.
func (f *failover) Dial(ctx context.Context, _ string, user signaling.User) (SignalConn, error) {
	f.mu.Lock()
	start := f.last
	f.mu.Unlock()
	var errs []error
	for i := range f.urls {
		j := (start + i) % len(f.urls)
		actx, cancel := context.WithTimeout(ctx, failoverAttempt)
		conn, err := f.dial(actx, f.urls[j], user)
		cancel()
		if err == nil {
			f.mu.Lock()
			f.last = j
			f.mu.Unlock()
			return conn, nil
		}
		if ctx.Err() != nil || signedOut(err) {
			return nil, err
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}
