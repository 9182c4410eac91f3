// Package natstest runs a real NATS server for tests: one per test
// binary, started on first use on a free loopback port, stopped by Main.
//
//	func TestMain(m *testing.M) { natstest.Main(m) }
//
// The binary is $PARLEY_NATS_SERVER, else nats-server on PATH or in
// /usr/sbin (Debian's nats-server). Without it a test is skipped, unless
// CI is set, where it fails.
package natstest

import (
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/testproc"
)

type server struct {
	proc *testproc.Proc
	url  string
}

var lazy = testproc.Lazy[*server]{
	Start: start,
	Close: func(s *server) { s.proc.Stop(10 * time.Second) },
}

// Main runs the tests, then stops the server if one was started, and
// exits.
func Main(m *testing.M) { testproc.Main(m, Stop) }

// Stop stops the server if one was started, for a TestMain that also
// stops other things (orgtest.Main).
func Stop() { lazy.Stop() }

// URL returns the test binary's NATS server, nats://127.0.0.1:port,
// starting it on first use. It skips t when nats-server is not installed
// and CI is unset.
func URL(t testing.TB) string {
	t.Helper()
	return lazy.Get(t).url
}

func binary() (string, error) {
	if p := os.Getenv("PARLEY_NATS_SERVER"); p != "" {
		return p, nil
	}
	if p, err := exec.LookPath("nats-server"); err == nil {
		return p, nil
	}
	if _, err := os.Stat("/usr/sbin/nats-server"); err == nil {
		return "/usr/sbin/nats-server", nil
	}
	return "", testproc.NotInstalled("nats-server not found; install Debian's nats-server or set PARLEY_NATS_SERVER")
}

func start() (*server, error) {
	bin, err := binary()
	if err != nil {
		return nil, err
	}
	port, err := testproc.FreePort()
	if err != nil {
		return nil, err
	}
	p, err := testproc.Start(exec.Command(bin, "-a", "127.0.0.1", "-p", strconv.Itoa(port), "-m", "0"))
	if err != nil {
		return nil, err
	}
	if err := p.WaitReady(30*time.Second, testproc.DialTCP(testproc.Addr(port))); err != nil {
		p.Stop(10 * time.Second)
		return nil, err
	}
	return &server{proc: p, url: "nats://" + testproc.Addr(port)}, nil
}
