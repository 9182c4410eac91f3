package main

import (
	"bufio"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/parley-voip/parley/api"
)

// TestServePerAddressLimit runs the binary with -max-conns-per-addr 2:
// a third TLS connection from one address is closed before its handshake
// completes, while another address still gets /healthz.
func TestServePerAddressLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server binary")
	}
	bin := buildBinary(t)
	p := startProc(t, bin, t.TempDir(), "-max-conns-per-addr", "2")
	u, err := url.Parse(p.base)
	if err != nil {
		t.Fatal(err)
	}
	conf := api.PinnedTLS(p.fingerprint)
	get := func(ip string) (*tls.Conn, error) {
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: testTimeout}
		c, err := tls.DialWithDialer(d, "tcp", u.Host, conf)
		if err != nil {
			return nil, err
		}
		_ = c.SetDeadline(time.Now().Add(testTimeout))
		if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: parley\r\n\r\n"); err != nil {
			c.Close()
			return nil, err
		}
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			c.Close()
			return nil, err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			c.Close()
			t.Fatalf("healthz from %s: %d", ip, resp.StatusCode)
		}
		return c, nil
	}
	for i := range 2 {
		c, err := get("127.0.0.2")
		if err != nil {
			t.Fatalf("connection %d from 127.0.0.2: %v", i, err)
		}
		defer c.Close()
	}
	if c, err := get("127.0.0.2"); err == nil {
		c.Close()
		t.Fatal("third connection from 127.0.0.2 was served")
	}
	c, err := get("127.0.0.3")
	if err != nil {
		t.Fatalf("127.0.0.3 while 127.0.0.2 is limited: %v", err)
	}
	c.Close()
}
