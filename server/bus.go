package server

import (
	"sync"
)

// Bus carries frames between the server nodes of one organization: a
// node publishes on a subject and every other node subscribed to it
// receives the bytes. The server uses three kinds of subject (see
// cluster.go): one per user (chat delivery, pushes, sign-outs), one per
// node (call signaling with a party there) and one for presence.
//
// A Bus delivers each subscriber's messages in the order they were
// published by one publisher, one at a time, and never to the node that
// published them. Messages may be lost when a node or the bus fails: the
// server sends on the bus only what is stored elsewhere (chat, policy)
// or what its clients retry (call signaling).
//
// NewLocalBus is the in-process bus, the default: one node, or several
// in one process. Package server/natsbus implements it over NATS.
type Bus interface {
	// Publish sends data to subject's subscribers without waiting for
	// them.
	Publish(subject string, data []byte) error
	// Subscribe delivers subject's messages to f until unsubscribe is
	// called. f must not block for long: it holds up every delivery.
	Subscribe(subject string, f func(data []byte)) (unsubscribe func(), err error)
	// Close stops every subscription.
	Close() error
}

// LocalBus is a Bus inside one process: Publish queues, and one
// goroutine delivers to the subscribers in order. Servers built with the
// same LocalBus act as nodes of one organization.
type LocalBus struct {
	mu     sync.Mutex
	subs   map[string]map[*localSub]struct{}
	queue  []localDelivery
	wake   *sync.Cond
	closed bool
}

type localSub struct{ f func([]byte) }

type localDelivery struct {
	sub  *localSub
	data []byte
}

// NewLocalBus starts an in-process bus; Close stops it.
func NewLocalBus() *LocalBus {
	b := &LocalBus{subs: make(map[string]map[*localSub]struct{})}
	b.wake = sync.NewCond(&b.mu)
	go b.deliver()
	return b
}

// Publish implements Bus.
func (b *LocalBus) Publish(subject string, data []byte) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return ErrShuttingDown
	}
	for s := range b.subs[subject] {
		b.queue = append(b.queue, localDelivery{s, data})
	}
	b.wake.Signal()
	return nil
}

// Subscribe implements Bus.
func (b *LocalBus) Subscribe(subject string, f func([]byte)) (func(), error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, ErrShuttingDown
	}
	s := &localSub{f: f}
	set := b.subs[subject]
	if set == nil {
		set = make(map[*localSub]struct{})
		b.subs[subject] = set
	}
	set[s] = struct{}{}
	return func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if set := b.subs[subject]; set != nil {
			delete(set, s)
			if len(set) == 0 {
				delete(b.subs, subject)
			}
		}
		s.f = nil
	}, nil
}

// Close implements Bus.
func (b *LocalBus) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	b.wake.Signal()
	return nil
}

func (b *LocalBus) deliver() {
	b.mu.Lock()
	for {
		for len(b.queue) == 0 && !b.closed {
			b.wake.Wait()
		}
		if b.closed {
			b.mu.Unlock()
			return
		}
		q := b.queue
		b.queue = nil
		for _, d := range q {
			f := d.sub.f // nil once unsubscribed
			if f == nil {
				continue
			}
			b.mu.Unlock()
			f(d.data)
			b.mu.Lock()
		}
	}
}
