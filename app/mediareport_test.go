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
	// The sound device's glitches (zero: the synthetic device counts none).
	for _, k := range []string{"device_playback_late", "device_capture_dropped"} {
		if v, ok := last[k].(float64); !ok || v != 0 {
			t.Fatalf("last report %v: want %s, 0", last, k)
		}
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

// The media reports carry the call's video: in an E2EE call with the
// caller's camera on, the caller's reports show frames sent growing and the
// callee's frames received and decoded growing, every one opened
// (scripts/test-windows.sh checks the same between Windows and Linux).
func TestCallReportsItsVideo(t *testing.T) {
	url := startServer(t)
	var la, lb logBuffer
	alice := startUser(t, url, "alice", true, audio.Chirp(), withCamera(&videoUser{}), withMediaReports(&la, 50*time.Millisecond))
	bob := startUser(t, url, "bob", true, audio.Chirp(), withCamera(&videoUser{start: 1_000_000}), withMediaReports(&lb, 50*time.Millisecond))
	placeCall(t, alice, bob)
	alice.SetCamera(true)
	bob.ev.waitCall(t, "bob shows alice's camera", showsFeed("alice/camera", false))
	num := func(r map[string]any, k string) float64 { v, _ := r[k].(float64); return v }
	// grown waits for a report of l whose key is at least n beyond the
	// first report's that had any, and returns both.
	grown := func(l *logBuffer, who, key string, n float64) (first, last map[string]any) {
		t.Helper()
		deadline := time.Now().Add(waitTimeout)
		for {
			var with []map[string]any
			for _, r := range l.records(t, "media") {
				if num(r, key) > 0 {
					with = append(with, r)
				}
			}
			if len(with) > 0 && num(with[len(with)-1], key) >= num(with[0], key)+n {
				return with[0], with[len(with)-1]
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s's reports never showed %s growing by %v: %v", who, key, n, with)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	grown(&la, "alice", "video_sent", 30)
	first, last := grown(&lb, "bob", "video_decoded", 30)
	if num(last, "video_received") < num(last, "video_decoded") || num(last, "video_open_failed") != 0 {
		t.Fatalf("bob's video: first %v, last %v: want every received frame opened", first, last)
	}
	if num(last, "video_sent") != 0 {
		t.Fatalf("bob sends no video, yet reports %v", last)
	}
	alice.Hangup()
	bob.endsWith(t, EndRemoteHangup)
}
