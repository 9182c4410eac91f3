package app

import (
	"bufio"
	"bytes"
	"encoding/json"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/server/turn/turntest"
)

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
