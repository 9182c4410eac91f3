package ui

import (
	"testing"

	"github.com/parley-voip/parley/app"
)

// TestLevelMetersRedrawOnlyChanges: a level that moves less than a step
// redraws nothing, one that moves a step redraws that meter only, and
// hidden meters (no call up) are not touched.
func TestLevelMetersRedrawOnlyChanges(t *testing.T) {
	s, _ := render(t, e2eeCall())
	s.SetLevels(app.Levels{Mic: 0.5, Speaker: 0.25})
	mic, spk := s.mic.redraws, s.speaker.redraws
	for _, v := range []float64{0.51, 0.49, 0.52, 0.5} {
		s.SetLevels(app.Levels{Mic: v, Speaker: 0.25})
	}
	if s.mic.redraws != mic || s.speaker.redraws != spk {
		t.Fatalf("sub-step changes redrew the meters %d/%d times", s.mic.redraws-mic, s.speaker.redraws-spk)
	}
	s.SetLevels(app.Levels{Mic: 0.6, Speaker: 0.25})
	if s.mic.redraws != mic+1 || s.speaker.redraws != spk {
		t.Fatalf("a step on the mic redrew mic %d, speaker %d times; want 1, 0", s.mic.redraws-mic, s.speaker.redraws-spk)
	}
	if s.mic.Value != 0.6 {
		t.Fatalf("mic meter at %v, want 0.6", s.mic.Value)
	}

	s.Update(app.CallInfo{ID: "c4", Peer: bob, State: app.CallIncoming})
	if s.meters.Visible() {
		t.Fatal("meters visible while ringing")
	}
	mic = s.mic.redraws
	s.SetLevels(app.Levels{Mic: 0.9})
	if s.mic.redraws != mic {
		t.Fatal("hidden meters were redrawn")
	}
}
