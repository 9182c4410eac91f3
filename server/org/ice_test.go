package org_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/server/org/orgtest"
	"github.com/parley-voip/parley/server/turn"
	"github.com/parley-voip/parley/server/turn/turntest"
	"github.com/parley-voip/parley/signaling"
)

func nextICE(t *testing.T, c *signaling.Conn) *signaling.ICEServer {
	t.Helper()
	m := next(t, c, signaling.TypeICEServers)
	if len(m.ICEServers) != 1 {
		t.Fatalf("ice-servers %+v, want one server", m.ICEServers)
	}
	return &m.ICEServers[0]
}

// allocate uses a credential with the organization's TURN server over UDP.
func allocate(t *testing.T, o *org.Org, s *signaling.ICEServer) error {
	t.Helper()
	relay, err := turntest.Client(t, o.TURN.UDPAddr().String(), s.Username, s.Credential).Allocate()
	if err == nil {
		relay.Close()
	}
	return err
}

func TestSignedInClientGetsWorkingTURNCredentials(t *testing.T) {
	cfg := turntest.Loopback()
	cfg.CredentialTTL = 4 * time.Second // refreshed every 2 s
	o := orgtest.Start(t, org.Config{Local: true, TURN: &cfg})
	ctx := context.Background()
	c, err := signaling.Dial(ctx, o.Server.URL(), signaling.User{ID: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	first := nextICE(t, c)
	if !strings.HasSuffix(first.Username, ":alice") {
		t.Fatalf("credential for %q, want alice's own", first.Username)
	}
	var udp, tcp, stun bool
	for _, u := range first.URLs {
		udp = udp || strings.HasSuffix(u, "?transport=udp")
		tcp = tcp || strings.HasSuffix(u, "?transport=tcp")
		stun = stun || strings.HasPrefix(u, "stun:")
	}
	if !udp || !tcp || !stun {
		t.Fatalf("URLs %v: want STUN, TURN over UDP and over TCP", first.URLs)
	}
	if err := allocate(t, o, first); err != nil {
		t.Fatalf("the handed-out credential is refused: %v", err)
	}

	// Before it expires a fresh one arrives, valid later.
	next := nextICE(t, c)
	if next.Expires <= first.Expires || next.Username == first.Username {
		t.Fatalf("refresh %+v does not extend %+v", next, first)
	}
	if time.Now().Unix() >= first.Expires {
		t.Fatal("the refresh came after the first credential had expired")
	}
	if err := allocate(t, o, next); err != nil {
		t.Fatalf("the refreshed credential is refused: %v", err)
	}
}

func TestClientCannotSendICEServers(t *testing.T) {
	cfg := turntest.Loopback()
	o := orgtest.Start(t, org.Config{Local: true, TURN: &cfg})
	ctx := context.Background()
	c, err := signaling.Dial(ctx, o.Server.URL(), signaling.User{ID: "mallory"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Send(ctx, &signaling.Message{Type: signaling.TypeICEServers, ID: "x", ICEServers: []signaling.ICEServer{{URLs: []string{"turn:evil.example:3478"}}}}); err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	for {
		m, err := c.Recv(rctx)
		if err != nil {
			t.Fatalf("no refusal: %v", err)
		}
		if m.Type == signaling.TypeError {
			if m.Error.Ref != "x" || m.Error.Code != signaling.CodeNotAllowed {
				t.Fatalf("error %+v about something else", m.Error)
			}
			return
		}
	}
}

func TestOrgRefusesABadTURNConfig(t *testing.T) {
	cfg := turntest.Loopback()
	cfg.Secret = turn.NewSecret("short")
	_, err := org.Open(context.Background(), org.Config{Dir: t.TempDir(), TURN: &cfg})
	if err == nil {
		t.Fatal("opened with a 5-byte TURN secret")
	}
}
