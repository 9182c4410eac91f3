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

var errNoBinary = errors.New("natstest: nats-server not found; install Debian's nats-server or set PARLEY_NATS_SERVER")

type server struct {
	cmd  *exec.Cmd
	url  string
	done chan struct{}
	log  *bytes.Buffer
}

var (
	once   sync.Once
	srv    *server
	srvErr error
)

// Main runs the tests, then stops the server if one was started, and
// exits.
func Main(m *testing.M) {
	code := m.Run()
	Stop()
	os.Exit(code)
}

// Stop stops the server if one was started, for a TestMain that also
// stops other things (orgtest.Main).
func Stop() {
	if srv != nil {
		srv.stop()
		srv = nil
	}
}

// URL returns the test binary's NATS server, nats://127.0.0.1:port,
// starting it on first use. It skips t when nats-server is not installed
// and CI is unset.
func URL(t testing.TB) string {
	t.Helper()
	once.Do(func() { srv, srvErr = start() })
	if errors.Is(srvErr, errNoBinary) && os.Getenv("CI") == "" {
		t.Skip(srvErr)
	}
	if srvErr != nil {
		t.Fatal(srvErr)
	}
	return srv.url
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
	return "", errNoBinary
}

func start() (*server, error) {
	bin, err := binary()
	if err != nil {
		return nil, err
	}
	// A free port, released for nats-server to take; a race with another
	// process taking it in between fails the start-up, visibly.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("natstest: %w", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s := &server{url: "nats://127.0.0.1:" + strconv.Itoa(port), done: make(chan struct{}), log: &bytes.Buffer{}}
	s.cmd = exec.Command(bin, "-a", "127.0.0.1", "-p", strconv.Itoa(port), "-m", "0")
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("natstest: starting nats-server: %w", err)
	}
	go func() { _ = s.cmd.Wait(); close(s.done) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second)
		if err == nil {
			c.Close()
			return s, nil
		}
		select {
		case <-s.done:
			return nil, fmt.Errorf("natstest: nats-server exited: %s", s.log.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("natstest: nats-server not listening after 30 s: %s", s.log.String())
		}
	}
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}
