package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

// GroupCallActions are the controls of a standard call through the
// organization's media service. The call screen uses them when its
// CallActions implement them too (Main does, passing them on to a
// Controller that has them).
type GroupCallActions interface {
	// PromptAddPeople asks whom to add, then adds them.
	PromptAddPeople()
	SetHeld(on bool)
	Merge()
	// SetRecording starts (on) or stops recording the call.
	SetRecording(on bool)
	// SetCaptions turns the call's live captions on or off for everyone
	// in it.
	SetCaptions(on bool)
}

// Texts of the group call controls; tests look for them.
const (
	TextOnHold      = "On hold"
	TextResume      = "Resume"
	TextStopRecord  = "Stop recording"
	TextAddPeopleID = "User ids, separated by commas"
)

// featureItem is one feature's entry in the More menu: wired when the
// feature is available and this screen has the action, else disabled and
// labelled with the reason.
func (s *CallScreen) featureItem(f app.FeatureState, c app.CallInfo) *fyne.MenuItem {
	label := f.Feature.Name()
	if !f.Available {
		label += " — " + f.Reason
	}
	it := fyne.NewMenuItem(label, nil)
	g, ok := s.act.(GroupCallActions)
	if !f.Available || !ok {
		it.Disabled = true
		return it
	}
	switch f.Feature {
	case app.FeatureAddParticipant:
		it.Action = g.PromptAddPeople
	case app.FeatureRecording:
		if c.Recording {
			it.Label = TextStopRecord
		}
		it.Action = func() { g.SetRecording(!c.Recording) }
	case app.FeatureMerge:
		it.Action = g.Merge
		it.Disabled = c.HeldCall == nil
	case app.FeatureCaptions:
		if c.Captions.On {
			it.Label = TextCaptionsOff
		}
		it.Action = func() { g.SetCaptions(!c.Captions.On) }
	default:
		it.Disabled = true
	}
	return it
}

// showGroup adds the group call's state to the state line: who holds the
// call, and who is in it (speaking, muted).
func (s *CallScreen) showGroup(c app.CallInfo) {
	if !c.ViaService || c.State != app.CallActive {
		return
	}
	var parts []string
	switch {
	case c.OnHold:
		parts = append(parts, TextOnHold)
	case c.Held:
		parts = append(parts, TextYouHold)
	}
	if len(c.Participants) > 2 || c.Group {
		var names []string
		for _, p := range c.Participants {
			n := p.Name
			if p.Me {
				n = "you"
			}
			switch {
			case p.Muted:
				n += " (muted)"
			case p.Speaking:
				n += " (speaking)"
			}
			names = append(names, n)
		}
		parts = append(parts, strings.Join(names, ", "))
	}
	if c.HeldCall != nil {
		parts = append(parts, "on hold: "+c.HeldCall.Peer.Label())
	}
	if len(parts) > 0 {
		s.state.SetText(c.State.String() + " · " + strings.Join(parts, " · "))
	}
}

// PromptAddPeople implements GroupCallActions: a form for the ids.
func (m *Main) PromptAddPeople() {
	entry := widget.NewEntry()
	entry.SetPlaceHolder(TextAddPeopleID)
	dialog.ShowForm("Add people", "Add", "Cancel", []*widget.FormItem{widget.NewFormItem("People", entry)}, func(ok bool) {
		if !ok {
			return
		}
		var ids []string
		for _, id := range strings.Split(entry.Text, ",") {
			if id = strings.TrimSpace(id); id != "" {
				ids = append(ids, id)
			}
		}
		m.AddPeople(ids...)
	}, m.win)
}

// groupController is a Controller that has the group call controls
// (app.Softphone does).
type groupController interface {
	AddPeople(ids ...string)
	Merge()
	StartRecording()
	StopRecording()
	SetCaptions(on bool)
}

// AddPeople adds ids to the current call.
func (m *Main) AddPeople(ids ...string) {
	if g, ok := m.Controller.(groupController); ok && len(ids) > 0 {
		g.AddPeople(ids...)
	}
}

// Merge implements GroupCallActions.
func (m *Main) Merge() {
	if g, ok := m.Controller.(groupController); ok {
		g.Merge()
	}
}

// SetRecording implements GroupCallActions.
func (m *Main) SetRecording(on bool) {
	g, ok := m.Controller.(groupController)
	switch {
	case !ok:
	case on:
		g.StartRecording()
	default:
		g.StopRecording()
	}
}

// SetCaptions implements GroupCallActions.
func (m *Main) SetCaptions(on bool) {
	if g, ok := m.Controller.(groupController); ok {
		g.SetCaptions(on)
	}
}
