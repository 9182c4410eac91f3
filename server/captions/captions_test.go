package captions

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/quality"
	"github.com/parley-voip/parley/media/speech/speechtest"
	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/signaling"
)

const utt = "sense_and_sensibility_01_austen_64kb-0880" // "he was not an ill disposed young man"

func serverErr(t *testing.T, err error, code signaling.ErrorCode, text string) {
	t.Helper()
	var se *signaling.ServerError
	if !errors.As(err, &se) || se.Code != code || !strings.Contains(se.Message, text) {
		t.Fatalf("err = %v, want %s %q", err, code, text)
	}
}

func TestNotInstalled(t *testing.T) {
	g := newRig(t)
	if g.svc.Installed() {
		t.Fatal("installed without a worker")
	}
	a := g.svc.Availability()
	if a.Captions.State != signaling.CaptionsUnavailable || a.Captions.Reason != "Captions are not installed on this server" {
		t.Fatalf("availability %+v", a.Captions)
	}
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	serverErr(t, g.svc.Handle(context.Background(), "alice", captionsMsg("call-1", true)), signaling.CodeNotAllowed, signaling.ReasonCaptionsNotInstalled)
}

// TestAuthorization: only a participant may turn captions on, only when
// policy allows, never in an E2EE call.
func TestAuthorization(t *testing.T) {
	speechtest.Installed(t)
	ctx := context.Background()
	g := newRig(t, withWorker(), withPolicy(func(_ context.Context, u string) (bool, int, error) { return u == "alice", 0, nil }))
	serverErr(t, g.svc.Handle(ctx, "mallory", captionsMsg("call-1", true)), signaling.CodeUnknownCall, "not in call")
	serverErr(t, g.svc.Handle(ctx, "mallory", captionsMsg("call-1", false)), signaling.CodeUnknownCall, "not in call")
	serverErr(t, g.svc.Handle(ctx, "alice", captionsMsg("call-2", true)), signaling.CodeUnknownCall, "not in call")
	serverErr(t, g.svc.Handle(ctx, "bob", captionsMsg("call-1", true)), signaling.CodeNotAllowed, ReasonNotAllowed)
	if len(g.inbox.all("mallory")) != 0 || len(g.inbox.all("alice")) != 0 {
		t.Fatal("a refused request notified someone")
	}
	if err := g.svc.Handle(ctx, "alice", captionsMsg("call-1", true)); err != nil {
		t.Fatal(err)
	}
	g.inbox.wait(t, "bob", 5*time.Second, "captions on", func(m *signaling.Message) bool {
		return m.Captions != nil && m.Captions.By == "alice" && (m.Captions.State == signaling.CaptionsOn || m.Captions.State == signaling.CaptionsPaused)
	})

	e := newRig(t, withWorker(), withE2EE())
	serverErr(t, e.svc.Handle(ctx, "alice", captionsMsg("call-1", true)), signaling.CodeNotAllowed, ReasonE2EE)
}

// TestLiveCaptionsAndTranscript: alice speaks a LibriVox utterance as
// Opus RTP through the tap; both participants get captions with her name
// within seconds; after the call the transcript is stored sealed and only
// participants can download it.
func TestLiveCaptionsAndTranscript(t *testing.T) {
	u := speechtest.LibriVox(t, utt)[0]
	g := newRig(t, withWorker())
	g.waitUp(t)
	ctx := context.Background()
	if err := g.svc.Handle(ctx, "bob", captionsMsg("call-1", true)); err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"alice", "bob"} {
		g.inbox.wait(t, who, 5*time.Second, "captions on", isState(signaling.CaptionsOn))
	}
	pkts := speechtest.OpusPackets(t, append(u.PCM, speechtest.Silence(1500)...))
	g.room.talk(alice, pkts, 100, 2*time.Millisecond)
	var said []string
	for _, who := range []string{"alice", "bob"} {
		m := g.inbox.wait(t, who, 30*time.Second, "a final caption", isFinal)
		if m.CallID != "call-1" || m.Caption.Speaker != "alice" || m.Caption.Name != "Alice Liddell" || m.Caption.End < m.Caption.Start {
			t.Fatalf("%s got %+v", who, m.Caption)
		}
		if err := m.Validate(); err != nil {
			t.Fatal(err)
		}
		said = append(said, m.Caption.Text)
	}
	if wer := quality.WER(u.Ref, said[0]); wer > 0.5 {
		t.Fatalf("caption %q: WER %.2f", said[0], wer)
	}
	g.room.leave("alice")
	g.room.leave("bob")
	tr := waitTranscript(t, g, "call-1", "bob")
	if len(tr.Lines) == 0 || tr.Lines[0].Name != "Alice Liddell" || !strings.Contains(tr.Text(), "Alice Liddell: "+said[0]) {
		t.Fatalf("transcript %+v", tr)
	}
	if strings.Join(tr.Participants, ",") != "alice,bob" {
		t.Fatalf("participants %v", tr.Participants)
	}
	// Sealed at rest: the words are not in the database file's row.
	var raw []byte
	if err := g.db.SQL().QueryRow(`SELECT body FROM call_transcripts WHERE call_id = 'call-1'`).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(said[0])) || bytes.Contains(raw, []byte("Alice")) {
		t.Fatal("transcript stored in the clear")
	}

	h := g.svc.Handler()
	get := func(user, path string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", path, nil)
		if user != "" {
			r = r.WithContext(accounts.WithUser(r.Context(), accounts.User{ID: user}, accounts.Session{}))
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	if w := get("bob", "/api/transcripts/call-1?format=text"); w.Code != 200 || !strings.Contains(w.Body.String(), "Alice Liddell: ") {
		t.Fatalf("participant download: %d %s", w.Code, w.Body)
	}
	var list []TranscriptInfo
	if w := get("alice", "/api/transcripts"); w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &list) != nil || len(list) != 1 {
		t.Fatalf("list: %d %s", w.Code, w.Body)
	}
	if w := get("mallory", "/api/transcripts/call-1"); w.Code != http.StatusNotFound {
		t.Fatalf("another user: %d %s", w.Code, w.Body)
	}
	if w := get("mallory", "/api/transcripts"); w.Code != 200 || strings.TrimSpace(w.Body.String()) != "[]" {
		t.Fatalf("another user's list: %d %s", w.Code, w.Body)
	}
	if w := get("", "/api/transcripts/call-1"); w.Code != http.StatusUnauthorized {
		t.Fatalf("unauthenticated: %d", w.Code)
	}
}

// TestWorkerCrash kills the worker mid-call: everyone gets a notice that
// captions paused (the call itself is not touched), the supervisor starts
// a new worker, captions come back on and recognize the next utterance.
func TestWorkerCrash(t *testing.T) {
	u := speechtest.LibriVox(t, utt)[0]
	g := newRig(t, withWorker())
	g.waitUp(t)
	if err := g.svc.Handle(context.Background(), "alice", captionsMsg("call-1", true)); err != nil {
		t.Fatal(err)
	}
	pkts := speechtest.OpusPackets(t, append(u.PCM, speechtest.Silence(1500)...))
	seq := g.room.talk(alice, pkts[:50], 1, 0) // mid-utterance
	if !g.svc.sup.kill() {
		t.Fatal("no worker to kill")
	}
	for _, who := range []string{"alice", "bob"} {
		m := g.inbox.wait(t, who, 10*time.Second, "the paused notice", isState(signaling.CaptionsPaused))
		if m.Captions.Reason != ReasonPaused {
			t.Fatalf("reason %q", m.Captions.Reason)
		}
	}
	paused := slices.IndexFunc(g.inbox.all("bob"), isState(signaling.CaptionsPaused)) + 1
	// Meanwhile packets are dropped, not queued for a dead worker.
	g.svc.mu.Lock()
	up := g.svc.up
	g.svc.mu.Unlock()
	if !up {
		d := g.svc.Dropped()
		seq = g.room.talk(alice, pkts[50:60], seq, 0)
		if g.svc.Dropped() == d {
			t.Error("packets to a dead worker were not dropped")
		}
	}
	g.waitUp(t)
	if n := g.svc.sup.starts.Load(); n != 2 {
		t.Fatalf("%d worker starts, want 2", n)
	}
	g.inbox.waitFrom(t, "bob", paused, 10*time.Second, "captions on again", isState(signaling.CaptionsOn))
	g.room.talk(alice, pkts, seq, 2*time.Millisecond)
	m := g.inbox.wait(t, "bob", 30*time.Second, "a caption after the restart", func(m *signaling.Message) bool {
		return isFinal(m) && quality.WER(u.Ref, m.Caption.Text) <= 0.5
	})
	t.Logf("after restart: %q", m.Caption.Text)
}

// waitTranscript waits until callID's transcript is stored and returns it
// as user reads it.
func waitTranscript(t *testing.T, g *rig, callID, user string) Transcript {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		tr, err := g.svc.store.get(context.Background(), callID, user, time.Now())
		if err == nil {
			return tr
		}
		if !errors.Is(err, ErrNotFound) || time.Now().After(deadline) {
			t.Fatalf("transcript: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestCaptionsOffAndOn: a participant turns captions off (everyone is
// told, speech is no longer captioned) and on again (captions resume).
func TestCaptionsOffAndOn(t *testing.T) {
	u := speechtest.LibriVox(t, utt)[0]
	g := newRig(t, withWorker())
	g.waitUp(t)
	ctx := context.Background()
	if err := g.svc.Handle(ctx, "alice", captionsMsg("call-1", true)); err != nil {
		t.Fatal(err)
	}
	if err := g.svc.Handle(ctx, "bob", captionsMsg("call-1", false)); err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"alice", "bob"} {
		m := g.inbox.wait(t, who, 5*time.Second, "captions off", isState(signaling.CaptionsOff))
		if m.Captions.By != "bob" {
			t.Fatalf("off by %q", m.Captions.By)
		}
	}
	pkts := speechtest.OpusPackets(t, append(u.PCM, speechtest.Silence(1500)...))
	seq := g.room.talk(alice, pkts, 1, 0)
	off := len(g.inbox.all("bob"))
	if err := g.svc.Handle(ctx, "bob", captionsMsg("call-1", true)); err != nil {
		t.Fatal(err)
	}
	g.inbox.waitFrom(t, "bob", off, 5*time.Second, "captions on again", isState(signaling.CaptionsOn))
	for _, m := range g.inbox.all("bob")[:off] {
		if m.Type == signaling.TypeCaption {
			t.Fatalf("captioned while off: %+v", m.Caption)
		}
	}
	g.room.talk(alice, pkts, seq, 2*time.Millisecond)
	g.inbox.waitFrom(t, "bob", off, 30*time.Second, "a caption after turning them on again", isFinal)
}
