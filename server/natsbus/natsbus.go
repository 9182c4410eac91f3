// Package natsbus is the server's Bus over NATS: the nodes of one
// organization connect to the same NATS server (or cluster) and route
// presence, call signaling, chat delivery and pushes through it.
package natsbus

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
)

// ErrInvalidConfig wraps every Config.Validate failure.
var ErrInvalidConfig = errors.New("natsbus: invalid config")

// Config says which NATS to use.
type Config struct {
	// URL is the NATS server, nats://host:4222 (tls:// for TLS); several,
	// comma-separated, for a NATS cluster. Credentials go in the URL
	// (nats://user:password@host:4222).
	URL string
	// Name identifies the connection in NATS's monitoring. Default
	// "parley-server".
	Name string
	// Pending bounds the messages received but not yet handled; past it
	// NATS drops (and the drop is logged). Default 65536.
	Pending int
	// Logger; discarded when nil.
	Logger *slog.Logger
}

// Validate reports the first unusable setting.
func (c Config) Validate() error {
	if c.URL == "" {
		return fmt.Errorf("%w: URL is empty", ErrInvalidConfig)
	}
	for _, u := range splitURLs(c.URL) {
		p, err := url.Parse(u)
		if err != nil {
			return fmt.Errorf("%w: URL: %v", ErrInvalidConfig, redact(err))
		}
		switch p.Scheme {
		case "nats", "tls":
		default:
			return fmt.Errorf("%w: URL scheme %q, want nats or tls", ErrInvalidConfig, p.Scheme)
		}
	}
	if c.Pending < 0 {
		return fmt.Errorf("%w: Pending %d is negative", ErrInvalidConfig, c.Pending)
	}
	return nil
}

// Bus is a server.Bus over one NATS connection. Every subscription
// feeds one channel drained by one goroutine, so thousands of user
// subjects cost no goroutine each.
type Bus struct {
	nc  *nats.Conn
	log *slog.Logger
	ch  chan *nats.Msg

	mu        sync.Mutex
	subs      map[*nats.Subscription]func([]byte)
	done      chan struct{}
	closeOnce sync.Once
}

// Dial connects to NATS. Messages a node publishes never come back to it
// (NoEcho).
func Dial(cfg Config) (*Bus, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Name == "" {
		cfg.Name = "parley-server"
	}
	if cfg.Pending == 0 {
		cfg.Pending = 65536
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	b := &Bus{log: log, ch: make(chan *nats.Msg, cfg.Pending), subs: make(map[*nats.Subscription]func([]byte)), done: make(chan struct{})}
	nc, err := nats.Connect(cfg.URL,
		nats.Name(cfg.Name),
		nats.NoEcho(),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250*time.Millisecond),
		nats.Timeout(5*time.Second),
		nats.ErrorHandler(func(_ *nats.Conn, s *nats.Subscription, err error) {
			log.Warn("nats", "err", err)
		}),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) { log.Warn("nats disconnected", "err", err) }),
		nats.ReconnectHandler(func(c *nats.Conn) { log.Info("nats reconnected", "url", c.ConnectedUrlRedacted()) }),
	)
	if err != nil {
		return nil, fmt.Errorf("natsbus: connect: %w", redact(err))
	}
	b.nc = nc
	go b.dispatch()
	return b, nil
}

// Publish implements server.Bus.
func (b *Bus) Publish(subject string, data []byte) error {
	if err := b.nc.Publish(subject, data); err != nil {
		return fmt.Errorf("natsbus: publish %s: %w", subject, err)
	}
	return nil
}

// Subscribe implements server.Bus.
func (b *Bus) Subscribe(subject string, f func([]byte)) (func(), error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	sub, err := b.nc.ChanSubscribe(subject, b.ch)
	if err != nil {
		return nil, fmt.Errorf("natsbus: subscribe %s: %w", subject, err)
	}
	b.subs[sub] = f
	return func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		delete(b.subs, sub)
		_ = sub.Unsubscribe()
	}, nil
}

// Flush waits until NATS has seen everything published and subscribed
// so far.
func (b *Bus) Flush() error { return b.nc.Flush() }

// Close drains nothing: it closes the connection and stops delivering.
func (b *Bus) Close() error {
	b.closeOnce.Do(func() {
		b.nc.Close()
		close(b.done)
	})
	return nil
}

func (b *Bus) dispatch() {
	for {
		select {
		case <-b.done:
			return
		case m := <-b.ch:
			b.mu.Lock()
			f := b.subs[m.Sub]
			b.mu.Unlock()
			if f != nil {
				f(m.Data)
			}
		}
	}
}

func splitURLs(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

// redact keeps a URL, which may hold a password, out of an error.
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
