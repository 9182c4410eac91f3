package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

type groupRecorder struct {
	callRecorder
	prompted, merged int
	held, recording  []bool
}

func (r *groupRecorder) PromptAddPeople()     { r.prompted++ }
func (r *groupRecorder) Hold(on bool)         { r.held = append(r.held, on) }
func (r *groupRecorder) Merge()               { r.merged++ }
func (r *groupRecorder) SetRecording(on bool) { r.recording = append(r.recording, on) }

func featureButtons(s *CallScreen) map[string]*widget.Button {
	out := map[string]*widget.Button{}
	for _, o := range s.features.Objects {
		b := o.(*widget.Button)
		out[b.Text] = b
	}
	return out
}

func serviceCall() app.CallInfo {
	return app.CallInfo{ID: "c4", Peer: bob, State: app.CallActive, ViaService: true, Features: app.FeaturesOf(false, true),
		Participants: []app.Participant{{ID: "me", Name: "Me", Me: true}, {ID: "bob", Name: "Bob", Speaking: true}, {ID: "carol", Name: "Carol", Muted: true}}}
}

// In a standard call through the media service, add people and hold work
// from the call screen; merge waits for a held call; the others stay
// disabled with their reason; the state line says who is in the call.
func TestCallScreenGroupControls(t *testing.T) {
	test.NewTempApp(t)
	r := &groupRecorder{}
	s := NewCallScreen(r)
	s.Update(serviceCall())
	bs := featureButtons(s)
	add, hold, merge := bs[app.FeatureAddParticipant.Name()], bs[app.FeatureHold.Name()], bs[app.FeatureMerge.Name()]
	if add == nil || hold == nil || merge == nil || add.Disabled() || hold.Disabled() || !merge.Disabled() {
		t.Fatalf("controls: add %v hold %v merge %v", add, hold, merge)
	}
	if rec := bs[app.FeatureRecording.Name()]; rec == nil || rec.Disabled() {
		t.Fatal("record must be enabled in a standard call through the service")
	} else {
		test.Tap(rec)
	}
	if tr := bs[app.FeatureTransfer.Name()]; tr == nil || !tr.Disabled() {
		t.Fatal("transfer must stay disabled")
	}
	test.Tap(add)
	test.Tap(hold)
	if r.prompted != 1 || len(r.held) != 1 || !r.held[0] || len(r.recording) != 1 || !r.recording[0] {
		t.Fatalf("add people %d, hold %v", r.prompted, r.held)
	}
	if got := s.state.Text; !strings.Contains(got, "Bob (speaking)") || !strings.Contains(got, "Carol (muted)") || !strings.Contains(got, "you") {
		t.Fatalf("state line %q", got)
	}

	held := serviceCall()
	held.Held = true
	other := plainCall()
	held.HeldCall = &other
	s.Update(held)
	bs = featureButtons(s)
	if bs[TextResume] == nil || bs[app.FeatureMerge.Name()].Disabled() {
		t.Fatalf("while holding: resume %v, merge %v", bs[TextResume], bs[app.FeatureMerge.Name()])
	}
	test.Tap(bs[TextResume])
	test.Tap(bs[app.FeatureMerge.Name()])
	if r.merged != 1 || len(r.held) != 2 || r.held[1] {
		t.Fatalf("merge %d, hold %v", r.merged, r.held)
	}

	onHold := serviceCall()
	onHold.OnHold = true
	s.Update(onHold)
	if !strings.Contains(s.state.Text, TextOnHold) {
		t.Fatalf("held side sees %q, want %q", s.state.Text, TextOnHold)
	}

	// An E2EE call: everything disabled, with the reason.
	s.Update(e2eeCall())
	for name, b := range featureButtons(s) {
		if !b.Disabled() {
			t.Errorf("%s enabled in an E2EE call", name)
		}
	}
	if s.featNote.Text != app.ReasonE2EE {
		t.Errorf("note %q", s.featNote.Text)
	}
}
