package turn_test

import (
	"crypto/tls"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/parley-voip/parley/api"
	"github.com/parley-voip/parley/server/tlsx"
	"github.com/parley-voip/parley/server/turn"
	"github.com/parley-voip/parley/server/turn/turntest"
	"github.com/pion/stun/v4"
	pturn "github.com/pion/turn/v5"
)

// client is a TURN client of s over UDP.
func client(t *testing.T, s *turn.Server, username, password string) *pturn.Client {
	t.Helper()
	return turntest.Client(t, s.UDPAddr().String(), username, password)
}

// turnCode is the TURN error code of a refused request, 0 for another error.
func turnCode(err error) int {
	var te *stun.TurnError
	if errors.As(err, &te) {
		return int(te.ErrorCodeAttr.Code)
	}
	return 0
}

func TestAllocateWithIssuedCredential(t *testing.T) {
	s := turntest.Start(t, turntest.Loopback())
	cred, err := s.Credentials("alice")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(cred.Username, ":alice") || cred.Password == "" {
		t.Fatalf("credential %+v", cred)
	}
	c := client(t, s, cred.Username, cred.Password)
	relay, err := c.Allocate()
	if err != nil {
		t.Fatalf("allocate with an issued credential: %v", err)
	}
	defer relay.Close()
	if ip := relay.LocalAddr().(*net.UDPAddr).IP; !ip.Equal(net.IPv4(127, 0, 0, 1)) {
		t.Fatalf("relayed address %v, want the public IP 127.0.0.1", relay.LocalAddr())
	}
	if n := s.Allocations(); n != 1 {
		t.Fatalf("allocations = %d, want 1", n)
	}
}

func TestSTUNBindingAnsweredOnTheTURNPort(t *testing.T) {
	s := turntest.Start(t, turntest.Loopback())
	c := client(t, s, "", "")
	mapped, err := c.SendBindingRequest()
	if err != nil {
		t.Fatalf("binding request without credentials: %v", err)
	}
	if !mapped.(*net.UDPAddr).IP.Equal(net.IPv4(127, 0, 0, 1)) {
		t.Fatalf("mapped address %v", mapped)
	}
}

func TestRefusesBadCredentials(t *testing.T) {
	s := turntest.Start(t, turntest.Loopback())
	good, err := s.Credentials("alice")
	if err != nil {
		t.Fatal(err)
	}
	other := turn.NewIssuer(turn.NewSecret("another-secret-of-enough-length"), time.Hour, nil)
	foreign, err := other.Issue("alice")
	if err != nil {
		t.Fatal(err)
	}
	past := time.Now().Add(-time.Minute)
	expired := turn.Username("alice", past)
	for _, tc := range []struct{ name, user, pass string }{
		{"wrong password", good.Username, good.Password[1:] + "A"},
		{"password of another user", strings.Replace(good.Username, ":alice", ":bob", 1), good.Password},
		{"signed with another secret", foreign.Username, foreign.Password},
		{"expired", expired, turn.Password(turntest.Secret, expired)},
		{"no expiry", "alice", turn.Password(turntest.Secret, "alice")},
		{"oversized username", strings.Repeat("9", 200) + ":alice", "x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := client(t, s, tc.user, tc.pass)
			relay, err := c.Allocate()
			if err == nil {
				relay.Close()
				t.Fatal("allocation granted")
			}
			if code := turnCode(err); code != int(stun.CodeUnauthorized) {
				t.Fatalf("refused with %v (code %d), want 401", err, code)
			}
		})
	}
	if n := s.Allocations(); n != 0 {
		t.Fatalf("allocations = %d after refusals", n)
	}
}

func TestRefusesAUserOverQuota(t *testing.T) {
	cfg := turntest.Loopback()
	cfg.QuotaPerUser = 2
	s := turntest.Start(t, cfg)
	alloc := func(user string) (net.PacketConn, error) {
		cred, err := s.Credentials(user)
		if err != nil {
			t.Fatal(err)
		}
		return client(t, s, cred.Username, cred.Password).Allocate()
	}
	var held []net.PacketConn
	for i := 0; i < 2; i++ {
		r, err := alloc("alice")
		if err != nil {
			t.Fatalf("allocation %d within quota: %v", i+1, err)
		}
		held = append(held, r)
	}
	_, err := alloc("alice")
	if code := turnCode(err); code != int(stun.CodeAllocQuotaReached) {
		t.Fatalf("third allocation: %v (code %d), want 486", err, code)
	}
	// The quota is per user: bob is not affected.
	r, err := alloc("bob")
	if err != nil {
		t.Fatalf("another user's allocation: %v", err)
	}
	r.Close()
	// Releasing one makes room again.
	held[0].Close()
	waitFor(t, "the released allocation to be counted", func() bool { return s.Allocations() == 1 })
	r, err = alloc("alice")
	if err != nil {
		t.Fatalf("allocation after one was released: %v", err)
	}
	r.Close()
	held[1].Close()
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// benchClient allocates a relay for a benchmark.
func benchClient(b *testing.B, addr, username, password string) net.PacketConn {
	b.Helper()
	relay, err := turntest.Client(b, addr, username, password).Allocate()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { relay.Close() })
	return relay
}

func TestAllocateOverTCPAndTLS(t *testing.T) {
	cert, _, err := tlsx.LoadOrCreate(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := turntest.Loopback()
	cfg.TLS, cfg.Certificate = "127.0.0.1:0", &cert
	s := turntest.Start(t, cfg)
	cred, err := s.Credentials("alice")
	if err != nil {
		t.Fatal(err)
	}
	var tlsURL bool
	for _, u := range cred.URLs {
		tlsURL = tlsURL || strings.HasPrefix(u, "turns:127.0.0.1:")
	}
	if !tlsURL {
		t.Fatalf("URLs %v lack the turns: listener", cred.URLs)
	}
	for _, tc := range []struct {
		name string
		dial func() (net.Conn, error)
	}{
		{"tcp", func() (net.Conn, error) { return net.Dial("tcp4", s.TCPAddr().String()) }},
		{"tls", func() (net.Conn, error) {
			// The test trusts the certificate it just made by its fingerprint.
			return tls.Dial("tcp4", s.TLSAddr().String(), api.PinnedTLS(api.Fingerprint(cert.Certificate[0])))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := tc.dial()
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			addr := conn.RemoteAddr().String()
			c, err := pturn.NewClient(&pturn.ClientConfig{
				STUNServerAddr: addr, TURNServerAddr: addr,
				Username: cred.Username, Password: cred.Password,
				Conn: pturn.NewSTUNConn(conn),
			})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if err := c.Listen(); err != nil {
				t.Fatal(err)
			}
			relay, err := c.Allocate()
			if err != nil {
				t.Fatalf("allocate over %s: %v", tc.name, err)
			}
			relay.Close()
		})
	}
}
