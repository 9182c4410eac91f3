// Package turntest runs TURN servers for tests in other packages: the
// built-in one on loopback, and coturn's turnserver with the same shared
// secret.
package turntest

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/testproc"
	"github.com/parley-voip/parley/server/turn"
	pturn "github.com/pion/turn/v5"
)

// Secret is the shared secret test servers use.
var Secret = turn.NewSecret("parley-test-shared-secret-0123456789")

// Loopback is a built-in TURN server's configuration on 127.0.0.1 with
// kernel-chosen ports, UDP and TCP.
func Loopback() turn.Config {
	return turn.Config{
		UDP: "127.0.0.1:0", TCP: "127.0.0.1:0",
		PublicIP: netip.MustParseAddr("127.0.0.1"),
		Secret:   Secret,
	}
}

// Start runs a built-in TURN server from cfg (Loopback() when cfg is the
// zero value) and closes it when the test ends.
func Start(t testing.TB, cfg turn.Config) *turn.Server {
	t.Helper()
	if cfg.Secret.IsZero() {
		cfg.Secret = Secret
	}
	s, err := turn.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// Coturn runs coturn's turnserver on loopback with use-auth-secret and
// secret, and returns the URLs a client uses for it (UDP and TCP). Without
// the binary the test is skipped, unless $CI is set: there it must run.
func Coturn(t testing.TB, secret turn.Secret) []string {
	t.Helper()
	bin, err := exec.LookPath("turnserver")
	if err != nil {
		testproc.Require(t, testproc.NotInstalled("coturn's turnserver is not installed (scripts/setup.sh test installs it)"))
	}
	port, err := testproc.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "turnserver.conf")
	lines := []string{
		"listening-ip=127.0.0.1",
		"relay-ip=127.0.0.1",
		fmt.Sprintf("listening-port=%d", port),
		"min-port=49152", "max-port=65535",
		"use-auth-secret",
		"static-auth-secret=" + secret.Reveal(),
		"realm=parley-test",
		"fingerprint",
		"no-tls", "no-dtls", "no-cli",
		"no-multicast-peers",
		// Loopback peers are what the test relays to; coturn refuses
		// them by default (a deployment should keep that).
		"allow-loopback-peers",
		"pidfile=" + filepath.Join(dir, "turnserver.pid"),
		"log-file=stdout", "simple-log",
	}
	if err := os.WriteFile(conf, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := testproc.Start(exec.Command(bin, "-c", conf))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.Stop(10 * time.Second)
		if t.Failed() {
			t.Log("turnserver:\n" + p.Log())
		}
	})
	// The TCP listener opens with the UDP one.
	hp := testproc.Addr(port)
	if err := p.WaitReady(20*time.Second, testproc.DialTCP(hp)); err != nil {
		t.Fatal(err)
	}
	return []string{"turn:" + hp + "?transport=udp", "turn:" + hp + "?transport=tcp"}
}

// Client is a pion TURN client of the server at addr (UDP) on a fresh
// loopback socket, listening, closed when the test ends.
func Client(t testing.TB, addr, username, password string) *pturn.Client {
	t.Helper()
	conn, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	c, err := pturn.NewClient(&pturn.ClientConfig{
		STUNServerAddr: addr, TURNServerAddr: addr,
		Username: username, Password: password,
		Conn: conn,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	if err := c.Listen(); err != nil {
		t.Fatal(err)
	}
	return c
}
