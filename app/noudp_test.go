package app

import (
	"bufio"
	"bytes"
	"encoding/json"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/netsim"
	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/rtc"
	"github.com/parley-voip/parley/server/turn/turntest"
	"github.com/pion/transport/v5/stdnet"
)

// withoutUDP puts the user's calls on this machine's network with every
// UDP socket refused (netsim.NoUDP): what a Windows Parley under Wine 8
// gets, and a user behind a firewall that lets only TCP out.
func withoutUDP(t testing.TB) rtc.Config {
	t.Helper()
	n, err := stdnet.NewNet()
	if err != nil {
		t.Fatal(err)
	}
	cfg := rtc.DefaultConfig()
	cfg.Net = netsim.NoUDP(n)
	return cfg
}

// With no UDP at all, alice has no host or server-reflexive candidate; the
// organization's TURN server over TCP is her only way out, and the call
// must carry audio both ways through it, E2EE.
func TestE2EECallFromANetworkWithoutUDPRelaysOverTURNTCP(t *testing.T) {
	o := startTURNOrg(t, turntest.Loopback())
	url := o.Server.URL()
	alice := startUser(t, url, "alice", true, audio.Chirp(), withRTC(withoutUDP(t)))
	bob := startUser(t, url, "bob", true, audio.Chirp())
	ca, cb := placeCall(t, alice, bob)
	if !ca.E2EE || !cb.E2EE || ca.Code != cb.Code {
		t.Fatalf("want an E2EE call with one code: caller %+v, callee %+v (%s / %s)", ca.E2EE, cb.E2EE, ca.EndMessage(), cb.EndMessage())
	}
	assertHears(t, "bob hears alice, who has no UDP", bob)
	assertHears(t, "alice, who has no UDP, hears bob", alice)
	if p := alice.path(t); p.Local != "relay" || p.RelayProtocol != "tcp" {
		t.Fatalf("alice's call runs on %+v (%s), want her side relayed over TCP", p, p)
	}
	alice.Hangup()
	alice.endsWith(t, EndHangup)
	bob.endsWith(t, EndRemoteHangup)
}

// logBuffer collects a logger's JSON records.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// records are the logged records whose message is msg.
func (b *logBuffer) records(t testing.TB, msg string) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	for sc.Scan() {
		var r map[string]any
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		if r["msg"] == msg {
			out = append(out, r)
		}
	}
	return out
}

// withMediaReports logs the user's media reports every interval into b.
func withMediaReports(b *logBuffer, interval time.Duration) userOption {
	return func(c *Config) {
		c.Logger = slog.New(slog.NewJSONHandler(b, nil))
		c.MediaReportInterval = interval
	}
}

// A call in progress logs what it received and opened, so a call that
// shows a code but carries no media is visible (scripts/test-windows.sh
// relies on it); the last report comes when the call ends.
func TestCallReportsItsMediaWhileItRuns(t *testing.T) {
	o := startTURNOrg(t, turntest.Loopback())
	url := o.Server.URL()
	var logs logBuffer
	alice := startUser(t, url, "alice", true, audio.Chirp(), withMediaReports(&logs, 50*time.Millisecond))
	bob := startUser(t, url, "bob", true, audio.Chirp())
	placeCall(t, alice, bob)
	assertHears(t, "alice hears bob", alice)
	reports := logs.records(t, "media")
	if len(reports) < 2 {
		t.Fatalf("%d media reports during the call, want them every 50 ms", len(reports))
	}
	first, last := reports[0], reports[len(reports)-1]
	if !(last["received"].(float64) > first["received"].(float64)) || last["played"].(float64) == 0 {
		t.Fatalf("the reports do not show media arriving: first %v, last %v", first, last)
	}
	if last["decrypt_failed"].(float64) != 0 || last["path"] == "none" {
		t.Fatalf("last report %v: want every frame opened, on a path", last)
	}
	alice.Hangup()
	alice.endsWith(t, EndHangup)
	bob.endsWith(t, EndRemoteHangup)
	deadline := time.Now().Add(waitTimeout)
	for len(logs.records(t, "media at call end")) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no media report at the end of the call")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
