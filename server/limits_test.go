package server

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/parley-voip/parley/signaling"
)

// fromAddr is an HTTP client whose connections come from the loopback
// address ip (any of 127.0.0.0/8), so tests can play several clients.
func fromAddr(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
}

// rawConn dials the server from ip and bounds every read and write of the
// test by testTimeout.
func rawConn(t *testing.T, s *Server, ip string) net.Conn {
	t.Helper()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	c, err := d.DialContext(testCtx(t), "tcp", s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(testTimeout))
	return c
}

// healthz sends GET /healthz on c and returns the status, keeping c open.
func healthz(t *testing.T, c net.Conn, br *bufio.Reader) (int, error) {
	t.Helper()
	if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: parley\r\n\r\n"); err != nil {
		return 0, err
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// serverEnded reports whether err says the server ended the connection
// (EOF, reset) rather than our own deadline running out.
func serverEnded(err error) bool {
	var ne net.Error
	return err != nil && !(errors.As(err, &ne) && ne.Timeout())
}

// TestSlowBodyIsCut sends a sign-in body one byte at a time, far slower
// than the read timeout allows: the server ends the request (an answer or
// a closed connection) long before the body is complete.
func TestSlowBodyIsCut(t *testing.T) {
	t.Parallel()
	o := startOrg(t, Config{Limits: Limits{ReadTimeout: 300 * time.Millisecond}}, "alice")
	c := rawConn(t, o.srv, "127.0.0.1")
	const bodyLen = 2000 // at one byte per 20 ms: 40 s, past testTimeout
	if _, err := io.WriteString(c, "POST /api/signin HTTP/1.1\r\nHost: parley\r\nContent-Type: application/json\r\n"+
		"Content-Length: 2000\r\n\r\n{"); err != nil {
		t.Fatal(err)
	}
	ended := make(chan error, 1)
	go func() {
		_, err := io.ReadAll(c) // a response, then the close; or just the close
		ended <- err
	}()
	tick := time.NewTicker(20 * time.Millisecond) // the attacker's pace
	defer tick.Stop()
	for sent := 1; ; sent++ {
		select {
		case err := <-ended:
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatalf("connection still open after %d of %d body bytes", sent, bodyLen)
			}
			return // cut by the server
		case <-tick.C:
			if sent == bodyLen {
				t.Fatal("the whole slow body was accepted")
			}
			if _, err := c.Write([]byte(" ")); err != nil {
				return // the server closed it
			}
		}
	}
}

// TestIdleKeepAliveIsClosed: a keep-alive connection that sends nothing
// after its request is closed by the server.
func TestIdleKeepAliveIsClosed(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{Limits: Limits{IdleTimeout: 200 * time.Millisecond}})
	c := rawConn(t, s, "127.0.0.1")
	br := bufio.NewReader(c)
	if code, err := healthz(t, c, br); err != nil || code != http.StatusOK {
		t.Fatalf("healthz: %d %v", code, err)
	}
	_, err := br.ReadByte()
	if !serverEnded(err) {
		t.Fatalf("idle keep-alive connection: %v, want closed by the server", err)
	}
}

// TestConnectionsPerAddressLimit: the fourth connection from an address
// limited to three is closed at once, while another address is still
// served and a signed-in user's API calls go through; when one of the
// three closes, the address may connect again.
func TestConnectionsPerAddressLimit(t *testing.T) {
	t.Parallel()
	o := startOrg(t, Config{Limits: Limits{MaxConnsPerAddr: 3}}, "alice")
	const attacker = "127.0.0.2"
	var held []net.Conn
	for range 3 {
		c := rawConn(t, o.srv, attacker)
		if code, err := healthz(t, c, bufio.NewReader(c)); err != nil || code != http.StatusOK {
			t.Fatalf("connection %d: %d %v", len(held), code, err)
		}
		held = append(held, c)
	}
	extra := rawConn(t, o.srv, attacker)
	if _, err := healthz(t, extra, bufio.NewReader(extra)); !serverEnded(err) {
		t.Fatalf("4th connection from %s: %v, want closed by the server", attacker, err)
	}
	resp, err := fromAddr("127.0.0.3").Get(o.srv.BaseURL() + "/healthz")
	if err != nil {
		t.Fatalf("another address while %s is limited: %v", attacker, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("another address: %d", resp.StatusCode)
	}
	alice := o.signIn("alice")
	if code := o.api("GET", "/api/me", alice.Token, nil, nil); code != http.StatusOK {
		t.Fatalf("signed-in user while %s is limited: %d", attacker, code)
	}

	held[0].Close()
	waitFor(t, "the closed connection's place to be given back", func() bool { return o.srv.connsPerAddr.count(attacker) < 3 })
	again := rawConn(t, o.srv, attacker)
	if code, err := healthz(t, again, bufio.NewReader(again)); err != nil || code != http.StatusOK {
		t.Fatalf("after one closed: %d %v", code, err)
	}
}

// waitFor polls cond (state only the server can change, with no event to
// wait on) until it holds or testTimeout passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	ctx := testCtx(t)
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// TestWebSocketOutlivesHTTPTimeouts: the request timeouts of the
// http.Server stay on a hijacked connection unless cleared; a signed-in
// WebSocket must keep working well past them.
func TestWebSocketOutlivesHTTPTimeouts(t *testing.T) {
	t.Parallel()
	const d = 200 * time.Millisecond
	o := startOrg(t, Config{Limits: Limits{ReadTimeout: d, ResponseTimeout: d, IdleTimeout: d}}, "alice", "bob")
	alice, _ := o.connect("alice")
	bob, _ := o.connect("bob")
	time.Sleep(5 * d) // the condition under test: time past every HTTP timeout
	alice.send(&signaling.Message{Type: signaling.TypeChat, ID: "c1", To: "bob", Text: "still here"})
	if ack := alice.expect(signaling.TypeChatAck); ack.Ref != "c1" {
		t.Fatalf("ack %+v", ack)
	}
	if m := bob.expect(signaling.TypeChat); m.Chat.Text != "still here" {
		t.Fatalf("bob got %+v", m)
	}
}

// TestUnauthenticatedWebSocketsAreBounded: WebSockets that have not sent
// an authenticated hello are limited per address; beyond the limit the
// upgrade is refused with 503, other addresses still connect and sign in,
// and an authenticated connection no longer counts.
func TestUnauthenticatedWebSocketsAreBounded(t *testing.T) {
	t.Parallel()
	o := startOrg(t, Config{Limits: Limits{MaxPendingWebSocketsPerAddr: 2}}, "alice")
	const attacker = "127.0.0.4"
	for i := range 2 {
		ws, _, err := websocket.Dial(testCtx(t), o.srv.URL(), &websocket.DialOptions{HTTPClient: fromAddr(attacker)})
		if err != nil {
			t.Fatalf("pending websocket %d: %v", i, err)
		}
		t.Cleanup(func() { ws.CloseNow() })
	}
	_, resp, err := websocket.Dial(testCtx(t), o.srv.URL(), &websocket.DialOptions{HTTPClient: fromAddr(attacker)})
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("3rd pending websocket from %s: %v %+v, want 503 with Retry-After", attacker, err, resp)
	}
	res := o.signIn("alice")
	c, err := signaling.Dial(testCtx(t), o.srv.URL(), signaling.User{}, signaling.WithToken(res.Token),
		signaling.WithHTTPClient(fromAddr("127.0.0.5")))
	if err != nil {
		t.Fatalf("signed-in user from another address: %v", err)
	}
	defer c.Close()
	if n := o.srv.pendingAddr.count("127.0.0.5"); n != 0 {
		t.Fatalf("an authenticated connection still counts as pending (%d)", n)
	}
}

// TestHelloDeadline: a WebSocket that never says hello is closed after
// HelloTimeout and gives its pending place back.
func TestHelloDeadline(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{HelloTimeout: 200 * time.Millisecond})
	ws, _, err := websocket.Dial(testCtx(t), s.URL(), &websocket.DialOptions{HTTPClient: fromAddr("127.0.0.6")})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	if _, _, err := ws.Read(testCtx(t)); err == nil || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("silent websocket: %v, want closed by the server", err)
	}
	waitFor(t, "the pending place to be given back", func() bool { return s.pendingAddr.count("127.0.0.6") == 0 })
}

func TestLimitsValidate(t *testing.T) {
	t.Parallel()
	for name, l := range map[string]Limits{
		"read":     {ReadTimeout: -1},
		"idle":     {IdleTimeout: -time.Second},
		"per addr": {MaxConnsPerAddr: -2},
		"pending":  {MaxPendingWebSockets: -5},
	} {
		if _, err := New(Config{Limits: l}); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("%s: New = %v, want ErrInvalidConfig", name, err)
		}
	}
	if _, err := New(Config{Limits: Limits{MaxConnsPerAddr: -1}}, WithTrustedClaims()); err != nil {
		t.Errorf("-1 (no limit): %v", err)
	}
}
