// Package testproc runs the real servers tests depend on (PostgreSQL,
// nats-server, coturn) as child processes: one per test binary, started
// on first use, with its output kept for failure messages.
//
// A server that is not installed skips the test, except under CI (the
// environment variable CI set), where every test must run and a missing
// server fails it instead.
package testproc

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"
)

// ErrNotInstalled marks a start-up error caused by a server that is not
// installed here: the only error that skips a test rather than fail it.
var ErrNotInstalled = errors.New("testproc: not installed")

// NotInstalled returns an error for a missing server that wraps
// ErrNotInstalled, with how to install it in msg.
func NotInstalled(msg string) error {
	return fmt.Errorf("%w: %s", ErrNotInstalled, msg)
}

// Skips says whether err skips a test: only when the server is not
// installed, and never in CI (ci is $CI), which must run it.
func Skips(err error, ci string) bool {
	return errors.Is(err, ErrNotInstalled) && ci == ""
}

// Require ends t when err is not nil: skipped when the server is not
// installed outside CI, failed otherwise.
func Require(t testing.TB, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if Skips(err, os.Getenv("CI")) {
		t.Skip(err)
	}
	t.Fatal(err)
}

// Lazy is a server shared by a test binary's tests, started by the first
// Get and stopped by Stop.
type Lazy[T any] struct {
	// Start starts the server; it runs at most once.
	Start func() (T, error)
	// Close stops it.
	Close func(T)

	once    sync.Once
	mu      sync.Mutex
	v       T
	err     error
	started bool
}

// Get returns the server, starting it on first use, or ends t as Require
// does when it could not start.
func (l *Lazy[T]) Get(t testing.TB) T {
	t.Helper()
	l.once.Do(func() {
		v, err := l.Start()
		l.mu.Lock()
		l.v, l.err, l.started = v, err, err == nil
		l.mu.Unlock()
	})
	Require(t, l.err)
	return l.v
}

// Stop stops the server if one was started.
func (l *Lazy[T]) Stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.started && l.Close != nil {
		l.Close(l.v)
	}
	l.started = false
}

// Main runs the tests, then calls each stop (a Lazy's Stop) and exits,
// for a TestMain.
func Main(m *testing.M, stops ...func()) {
	code := m.Run()
	for _, stop := range stops {
		stop()
	}
	os.Exit(code)
}

// Proc is a running child process whose output is kept.
type Proc struct {
	cmd  *exec.Cmd
	done chan struct{}
	mu   sync.Mutex
	log  bytes.Buffer
}

// Start starts cmd with its standard output and error captured.
func Start(cmd *exec.Cmd) (*Proc, error) {
	p := &Proc{cmd: cmd, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = (*procLog)(p), (*procLog)(p)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("testproc: starting %s: %w", cmd.Path, err)
	}
	go func() { _ = cmd.Wait(); close(p.done) }()
	return p, nil
}

type procLog Proc

func (l *procLog) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.log.Write(b)
}

// Log is what the process has written so far.
func (p *Proc) Log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// Exited is closed when the process has exited.
func (p *Proc) Exited() <-chan struct{} { return p.done }

// Stop interrupts the process and waits up to grace for it to exit, then
// kills it.
func (p *Proc) Stop(grace time.Duration) {
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// WaitReady calls ready until it succeeds, the process exits, or timeout
// passes (start-up on a loaded machine can take long).
func (p *Proc) WaitReady(timeout time.Duration, ready func() error) error {
	deadline := time.Now().Add(timeout)
	for {
		err := ready()
		if err == nil {
			return nil
		}
		select {
		case <-p.done:
			return fmt.Errorf("testproc: %s exited: %s", p.cmd.Path, p.Log())
		case <-time.After(25 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("testproc: %s not ready after %v: %v\n%s", p.cmd.Path, timeout, err, p.Log())
		}
	}
}

// DialTCP is a ready check for a server listening on addr.
func DialTCP(addr string) func() error {
	return func() error {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
		}
		return err
	}
}

// FreePort returns a loopback TCP port that was free a moment ago, for a
// server that takes its port on the command line. A race with another
// process taking it in between fails that server's start-up, visibly.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("testproc: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// Addr is 127.0.0.1:port.
func Addr(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }

// Pid is the process's ID.
func (p *Proc) Pid() int { return p.cmd.Process.Pid }
