package app

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/dsp"
	"github.com/parley-voip/parley/media/quality"
	"github.com/parley-voip/parley/media/speech/speechtest"
	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/server/org/orgtest"
	"github.com/parley-voip/parley/server/policy"
)

// captionsOrg runs a local organization whose Global policy allows
// captions, with the captions worker when worker is set.
func captionsOrg(t *testing.T, worker string) *org.Org {
	t.Helper()
	o := orgtest.Start(t, org.Config{Local: true, CaptionsWorker: worker})
	g, err := o.Policies.Store().Policy(context.Background(), policy.GlobalName)
	if err != nil {
		t.Fatal(err)
	}
	g.AllowCaptions = true
	if err := o.Policies.UpdatePolicy(context.Background(), g); err != nil {
		t.Fatal(err)
	}
	return o
}

func hasFinalCaption(from string) func(CallInfo) bool {
	return func(c CallInfo) bool {
		return slices.ContainsFunc(c.Captions.Lines, func(l CaptionLine) bool { return l.Final && l.Speaker == from })
	}
}

// TestLiveCaptionsInAStandardCall: alice speaks a LibriVox recording into
// a standard call through the media service; bob turns captions on; both
// call screens show what she said with her name. After the call both
// history entries say it has a transcript, which both download with her
// line; carol, who was not in the call, gets none.
func TestLiveCaptionsInAStandardCall(t *testing.T) {
	u := speechtest.LibriVox(t, "sense_and_sensibility_01_austen_64kb-0880")[0]
	pcm, err := dsp.Resample(append(u.PCM, speechtest.Silence(1500)...), 16000, audio.SampleRate)
	if err != nil {
		t.Fatal(err)
	}
	o := captionsOrg(t, speechtest.Worker(t))
	url := o.Server.URL()
	alice := startUser(t, url, "alice", false, audio.PCMSource(pcm, true), withToken(openSession(t, o, "alice")))
	bob := startUser(t, url, "bob", false, audio.Silence(), withToken(openSession(t, o, "bob")))
	carol := startUser(t, url, "carol", false, audio.Silence(), withToken(openSession(t, o, "carol")))
	ca, cb := placeCall(t, alice, bob)
	for _, c := range []CallInfo{ca, cb} {
		if !c.ViaService || !c.Features[FeatureCaptions].Available {
			t.Fatalf("captions not available in a standard call: via service %v, %+v", c.ViaService, c.Features[FeatureCaptions])
		}
	}
	bob.SetCaptions(true)
	for _, x := range []*testUser{alice, bob} {
		x.ev.waitCall(t, "captions on", func(c CallInfo) bool { return c.Captions.On && c.Captions.By == "bob" })
	}
	var said []string
	for _, x := range []*testUser{alice, bob} {
		c := x.ev.waitCall(t, "alice's words as a caption", hasFinalCaption("alice"))
		said = said[:0]
		for _, l := range c.Captions.Lines {
			if l.Final && l.Speaker == "alice" {
				said = append(said, l.Text)
			}
		}
		if wer := quality.WER(u.Ref, said[0]); wer > 0.5 && !strings.Contains(strings.Join(said, " "), "young man") {
			t.Fatalf("captions %q", said)
		}
	}
	bob.Hangup()
	alice.ev.waitCall(t, "call ended", CallInfo.Ended)

	ctx := context.Background()
	for _, x := range []*testUser{alice, bob} {
		r := waitTranscriptEntry(t, x, ca.ID)
		text, err := x.Transcript(ctx, r.CallID)
		if err != nil || !strings.Contains(text, "] User alice: "+said[0]) {
			t.Fatalf("%s's transcript %q, %v; want alice's line %q", x.Me().ID, text, err, said[0])
		}
	}
	if text, err := carol.Transcript(ctx, ca.ID); err == nil || text != "" {
		t.Fatalf("carol, not in the call, downloaded its transcript: %q", text)
	}
	if h, err := carol.CallHistory(ctx, time.Time{}, 10); err != nil || len(h) != 0 {
		t.Fatalf("carol's history %+v %v", h, err)
	}
}

// waitTranscriptEntry waits until x's call history holds call callID
// marked with a transcript (the server stores it once the call ends).
func waitTranscriptEntry(t *testing.T, x *testUser, callID string) CallRecord {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		h, err := x.CallHistory(context.Background(), time.Time{}, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range h {
			if r.CallID == callID && r.Transcript {
				return r
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s's history %+v: no entry for %s with a transcript", x.Me().ID, h, callID)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestCaptionsUnavailableWithoutWorker: a server without the worker lists
// captions unavailable with the reason, and asking anyway only explains.
func TestCaptionsUnavailableWithoutWorker(t *testing.T) {
	url := captionsOrg(t, org.CaptionsOff).Server.URL()
	alice := startUser(t, url, "alice", false, audio.Chirp())
	bob := startUser(t, url, "bob", false, audio.Chirp())
	ca, _ := placeCall(t, alice, bob)
	if st := ca.Features[FeatureCaptions]; st.Available || st.Reason != "Captions are not installed on this server" {
		t.Fatalf("captions %+v", st)
	}
	alice.SetCaptions(true)
	alice.ev.waitFor(t, "the reason as a notice", func(e *events) bool {
		return slices.Contains(e.notices, "Live captions: Captions are not installed on this server")
	})
	if c := alice.ev.lastCall(); c.Ended() || c.Captions.On {
		t.Fatalf("call after the refusal: %+v", c)
	}
}

// TestCaptionsWorkerCrashCallGoesOn: the captions worker dies mid-call;
// both parties get the notice and see captions paused, the call goes on
// with its audio, and captions come back on once the server restarted the
// worker.
func TestCaptionsWorkerCrashCallGoesOn(t *testing.T) {
	o := captionsOrg(t, speechtest.Worker(t))
	url := o.Server.URL()
	alice := startUser(t, url, "alice", false, audio.Chirp())
	bob := startUser(t, url, "bob", false, audio.Chirp())
	placeCall(t, alice, bob)
	assertHears(t, "bob before the crash", bob)
	alice.SetCaptions(true)
	on := func(c CallInfo) bool { return c.Captions.On && !c.Captions.Paused }
	for _, x := range []*testUser{alice, bob} {
		x.ev.waitCall(t, "captions on", on)
	}
	// The worker is ready once captions are on: it has a process to kill.
	pid := o.Captions.WorkerPID()
	p, err := os.FindProcess(pid)
	if pid == 0 || err != nil {
		t.Fatalf("worker pid %d: %v", pid, err)
	}
	n := bob.ev.count()
	if err := p.Kill(); err != nil {
		t.Fatal(err)
	}
	for _, x := range []*testUser{alice, bob} {
		c := x.ev.waitCall(t, "captions paused", func(c CallInfo) bool { return c.Captions.Paused })
		if c.Ended() || !strings.Contains(c.Captions.Reason, "The call goes on") {
			t.Fatalf("%s after the crash: %+v", x.Me().ID, c)
		}
		x.ev.waitFor(t, "the notice", func(e *events) bool { return slices.Contains(e.notices, c.Captions.Reason) })
	}
	assertHears(t, "bob after the crash", bob)
	alice.ev.waitCall(t, "alice's call still active", isActive)
	c := bob.ev.waitCallAfter(t, n, "captions on again after the restart", on)
	if c.Ended() {
		t.Fatalf("call ended: %+v", c)
	}
	if pid2 := o.Captions.WorkerPID(); pid2 == 0 || pid2 == pid {
		t.Fatalf("worker after the restart: pid %d (was %d)", pid2, pid)
	}
}
