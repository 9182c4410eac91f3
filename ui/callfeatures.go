package ui

import (
	"strings"

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
	Hold(on bool)
	Merge()
	// SetRecording starts (on) or stops recording the call.
	SetRecording(on bool)
}

// Texts of the group call controls; tests look for them.
const (
	TextOnHold      = "On hold"
	TextYouHold     = "You put the call on hold"
	TextResume      = "Resume"
	TextStopRecord  = "Stop recording"
	TextAddPeopleID = "User ids, separated by commas"
)

// featureButton is one feature's control: enabled and wired when the
// feature is available and this screen has the action, else disabled.
func (s *CallScreen) featureButton(f app.FeatureState, c app.CallInfo) *widget.Button {
	b := widget.NewButton(f.Feature.Name(), nil)
	g, ok := s.act.(GroupCallActions)
	if !f.Available || !ok {
		b.Disable()
		return b
	}
	switch f.Feature {
	case app.FeatureHold:
		if c.Held {
			b.SetText(TextResume)
		}
		b.OnTapped = func() { g.Hold(!c.Held) }
	case app.FeatureAddParticipant:
		b.OnTapped = g.PromptAddPeople
	case app.FeatureRecording:
		if c.Recording {
			b.SetText(TextStopRecord)
		}
		b.OnTapped = func() { g.SetRecording(!c.Recording) }
	case app.FeatureMerge:
		b.OnTapped = g.Merge
		if c.HeldCall == nil {
			b.Disable()
		}
	default:
		b.Disable()
	}
	return b
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
	Hold(on bool)
	Merge()
	StartRecording()
	StopRecording()
}

// AddPeople adds ids to the current call.
func (m *Main) AddPeople(ids ...string) {
	if g, ok := m.ctl.(groupController); ok && len(ids) > 0 {
		g.AddPeople(ids...)
	}
}

// Hold implements GroupCallActions.
func (m *Main) Hold(on bool) {
	if g, ok := m.ctl.(groupController); ok {
		g.Hold(on)
	}
}

// Merge implements GroupCallActions.
func (m *Main) Merge() {
	if g, ok := m.ctl.(groupController); ok {
		g.Merge()
	}
}

// SetRecording implements GroupCallActions.
func (m *Main) SetRecording(on bool) {
	g, ok := m.ctl.(groupController)
	switch {
	case !ok:
	case on:
		g.StartRecording()
	default:
		g.StopRecording()
	}
}
