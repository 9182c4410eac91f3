package app

import (
	"context"
	"slices"
	"strings"
	"testing"

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
func captionsOrg(t *testing.T, worker string) string {
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
	return o.Server.URL()
}

func hasFinalCaption(from string) func(CallInfo) bool {
	return func(c CallInfo) bool {
		return slices.ContainsFunc(c.Captions.Lines, func(l CaptionLine) bool { return l.Final && l.Speaker == from })
	}
}

// TestLiveCaptionsInAStandardCall: alice speaks a LibriVox recording into
// a standard call through the media service; bob turns captions on; both
// call screens show what she said with her name.
func TestLiveCaptionsInAStandardCall(t *testing.T) {
	u := speechtest.LibriVox(t, "sense_and_sensibility_01_austen_64kb-0880")[0]
	pcm, err := dsp.Resample(append(u.PCM, speechtest.Silence(1500)...), 16000, audio.SampleRate)
	if err != nil {
		t.Fatal(err)
	}
	url := captionsOrg(t, speechtest.Worker(t))
	alice := startUser(t, url, "alice", false, audio.PCMSource(pcm, true))
	bob := startUser(t, url, "bob", false, audio.Silence())
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
	for _, x := range []*testUser{alice, bob} {
		c := x.ev.waitCall(t, "alice's words as a caption", hasFinalCaption("alice"))
		var said []string
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
}

// TestCaptionsUnavailableWithoutWorker: a server without the worker lists
// captions unavailable with the reason, and asking anyway only explains.
func TestCaptionsUnavailableWithoutWorker(t *testing.T) {
	url := captionsOrg(t, org.CaptionsOff)
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
