package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/parley-voip/parley/app"
)

type groupRecorder struct {
	callRecorder
	prompted, merged int
	held, recording  []bool
	captions         []bool
}

func (r *groupRecorder) PromptAddPeople()     { r.prompted++ }
func (r *groupRecorder) SetHeld(on bool)      { r.held = append(r.held, on) }
func (r *groupRecorder) Merge()               { r.merged++ }
func (r *groupRecorder) SetRecording(on bool) { r.recording = append(r.recording, on) }
func (r *groupRecorder) SetCaptions(on bool)  { r.captions = append(r.captions, on) }

// featureItems are the More menu's entries by feature name (the label
// before any " — reason").
func featureItems(s *CallScreen) map[string]*fyne.MenuItem {
	out := map[string]*fyne.MenuItem{}
	for _, it := range s.moreItems {
		name, _, _ := strings.Cut(it.Label, " — ")
		out[name] = it
	}
	return out
}

func serviceCall() app.CallInfo {
	return app.CallInfo{ID: "c4", Peer: bob, State: app.CallActive, ViaService: true, Features: app.FeaturesOf(false, true),
		Participants: []app.Participant{{ID: "me", Name: "Me", Me: true}, {ID: "bob", Name: "Bob", Speaking: true}, {ID: "carol", Name: "Carol", Muted: true}}}
}

// In a standard call through the media service, add people and record
// work from the More menu and hold from the toolbar; merge waits for a held
// call; features the server does not have are not offered; the state line
// says who is in the call.
func TestCallScreenGroupControls(t *testing.T) {
	newTestApp(t)
	r := &groupRecorder{callRecorder: *newCallRecorder()}
	s := NewCallScreen(r, func() {}, func() {})
	s.Update(serviceCall())
	items := featureItems(s)
	add, merge, rec := items[app.FeatureAddParticipant.Name()], items[app.FeatureMerge.Name()], items[app.FeatureRecording.Name()]
	if add == nil || merge == nil || rec == nil || add.Disabled || rec.Disabled || !merge.Disabled {
		t.Fatalf("More menu: add %v merge %v record %v", add, merge, rec)
	}
	add.Action()
	rec.Action()
	test.Tap(s.hold)
	if r.prompted != 1 || len(r.held) != 1 || !r.held[0] || len(r.recording) != 1 || !r.recording[0] {
		t.Fatalf("add people %d, hold %v, recording %v", r.prompted, r.held, r.recording)
	}
	if got := s.state.Text; !strings.Contains(got, "Bob (speaking)") || !strings.Contains(got, "Carol (muted)") || !strings.Contains(got, "you") {
		t.Fatalf("state line %q", got)
	}

	held := serviceCall()
	held.Held = true
	other := plainCall()
	held.HeldCall = &other
	s.Update(held)
	items = featureItems(s)
	if m := items[app.FeatureMerge.Name()]; m == nil || m.Disabled {
		t.Fatalf("while holding another call, merge %v", m)
	}
	items[app.FeatureMerge.Name()].Action()
	test.Tap(s.hold)
	if r.merged != 1 || len(r.held) != 2 || r.held[1] {
		t.Fatalf("merge %d, hold %v", r.merged, r.held)
	}

	onHold := serviceCall()
	onHold.OnHold = true
	s.Update(onHold)
	if !strings.Contains(s.state.Text, TextOnHold) {
		t.Fatalf("held side sees %q, want %q", s.state.Text, TextOnHold)
	}

	// An E2EE call: every media-service feature listed, disabled, with the reason.
	s.Update(e2eeCall())
	items = featureItems(s)
	if len(items) == 0 {
		t.Fatal("an E2EE call lists no unavailable features")
	}
	for name, it := range items {
		if !it.Disabled || !strings.Contains(it.Label, app.ReasonE2EE) {
			t.Errorf("%s in an E2EE call: %q disabled=%v", name, it.Label, it.Disabled)
		}
	}
}
