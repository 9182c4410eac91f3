package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

type controlRecorder struct {
	groupRecorder
	prompted, completed, returned, parks int
}

func (r *controlRecorder) PromptTransfer()  { r.prompted++ }
func (r *controlRecorder) CompleteConsult() { r.completed++ }
func (r *controlRecorder) ReturnToHeld()    { r.returned++ }
func (r *controlRecorder) Park()            { r.parks++ }

func menuItem(s *CallScreen, label string) *fyne.MenuItem {
	for _, it := range s.moreItems {
		if it.Label == label || strings.HasPrefix(it.Label, label+" — ") {
			return it
		}
	}
	return nil
}

// The More menu of a standard call has Transfer… and Park; while
// consulting (another call held), Complete transfer and Return instead of
// Transfer…; in an E2EE call both are there, disabled, with the reason;
// the state line says what call control does.
func TestCallScreenTransferAndPark(t *testing.T) {
	newTestApp(t)
	r := &controlRecorder{groupRecorder: groupRecorder{callRecorder: *newCallRecorder()}}
	s := NewCallScreen(r, func() {}, func() {})
	c := serviceCall()
	c.Features = app.FeaturesOf(false, true)
	s.Update(c)
	tr, park := menuItem(s, TextTransferMenu), menuItem(s, TextParkMenu)
	if tr == nil || park == nil || tr.Disabled || park.Disabled {
		t.Fatalf("More menu: transfer %v, park %v", tr, park)
	}
	tr.Action()
	park.Action()
	if r.prompted != 1 || r.parks != 1 {
		t.Fatalf("transfer prompted %d, parked %d", r.prompted, r.parks)
	}
	if mv := menuItem(s, app.FeatureCompanion.Name()); mv == nil || !mv.Disabled || !strings.Contains(mv.Label, TextMoveHint) {
		t.Fatalf("move entry %v", mv)
	}

	consult := serviceCall()
	consult.Peer = app.Contact{ID: "carol", Name: "Carol"}
	held := serviceCall()
	consult.HeldCall = &held
	s.Update(consult)
	done, back := menuItem(s, TextCompletePrefix+"Carol"), menuItem(s, TextReturnPrefix+"Bob")
	if done == nil || back == nil || menuItem(s, TextTransferMenu) != nil {
		t.Fatalf("consulting, the menu has %v", s.moreItems)
	}
	done.Action()
	back.Action()
	if r.completed != 1 || r.returned != 1 {
		t.Fatalf("completed %d, returned %d", r.completed, r.returned)
	}

	told := serviceCall()
	told.ControlText = "Bob is transferring you to Carol…"
	s.Update(told)
	if !strings.Contains(s.state.Text, told.ControlText) {
		t.Fatalf("state line %q", s.state.Text)
	}

	s.Update(e2eeCall())
	for _, name := range []string{app.FeatureTransfer.Name(), app.FeaturePark.Name()} {
		if it := menuItem(s, name); it == nil || !it.Disabled || !strings.Contains(it.Label, app.ReasonE2EE) {
			t.Errorf("%s in an E2EE call: %v", name, it)
		}
	}
}

// The Transfer dialog lists the online people but the call's peer, and
// does what the chosen way says: blind, safe, or hold and call first.
func TestTransferDialog(t *testing.T) {
	f := newFake()
	m, _ := signedIn(t, f, WindowSize)
	m.ContactsChanged(people())
	call := serviceCall()
	call.Peer = people()[0] // bob
	m.CallChanged(call)
	form := newTransferForm(m.st.Contacts, m.call)
	if slices.Contains(form.who.Options, "Bob Baker") || slices.Contains(form.who.Options, "Frank") || !slices.Contains(form.who.Options, "Carol") {
		t.Fatalf("people offered %v", form.who.Options)
	}
	if form.how.Selected != TextTransferSafe {
		t.Fatalf("default %q", form.how.Selected)
	}
	for _, how := range []string{TextTransferBlind, TextTransferSafe, TextTransferConsult} {
		form.who.SetSelected("Carol")
		form.how.SetSelected(how)
		form.submit(m)
	}
	if want := []string{"carol:blind", "carol:safe"}; !slices.Equal(f.control.transfers, want) {
		t.Fatalf("transfers %v, want %v", f.control.transfers, want)
	}
	if len(f.held) != 1 || !f.held[0] || len(f.called) != 1 || f.called[0] != "carol" {
		t.Fatalf("consult: held %v, called %v", f.held, f.called)
	}
	// Nobody chosen: nothing happens.
	empty := newTransferForm(m.st.Contacts, m.call)
	empty.submit(m)
	if len(f.control.transfers) != 2 {
		t.Fatalf("a transfer without a target: %v", f.control.transfers)
	}
	// The menu entry opens the dialog.
	m.PromptTransfer()
	if m.win.Canvas().Overlays().Top() == nil {
		t.Fatal("no transfer dialog")
	}
}

// After parking, the pickup code shows large over the page until it
// expires, is dismissed, or the call is picked up here.
func TestParkedCodeOnScreen(t *testing.T) {
	f := newFake()
	m, w := signedIn(t, f, WindowSize)
	c := serviceCall()
	m.CallChanged(c)
	if m.ctl.box.Visible() {
		t.Fatal("the control bar shows with nothing to say")
	}
	c.State, c.End = app.CallEnded, app.EndParked
	m.CallChanged(c)
	c.PickupCode, c.PickupExpires = "042917", time.Now().Add(5*time.Minute)
	m.CallChanged(c)
	if !visibleIn(t, w.Canvas().Content(), m.ctl.code) || m.ctl.code.Text != "042917" || m.ctl.code.SizeName != theme.SizeNameHeadingText {
		t.Fatalf("code shown %v %q size %v", m.ctl.code.Visible(), m.ctl.code.Text, m.ctl.code.SizeName)
	}
	picked := serviceCall() // the same call, picked up on this device
	m.CallChanged(picked)
	if m.ctl.parked.Visible() {
		t.Fatal("the code still shows after the call was picked up here")
	}
}

// Calls has "Pick up a parked call": a dialog that takes a six-digit code.
func TestPickUpParkedCall(t *testing.T) {
	f := newFake()
	m, w := signedIn(t, f, WindowSize)
	m.Navigate(PageCalls)
	var btn *widget.Button
	walk(t, m.pages[PageCalls].Object(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == TextPickUp {
			btn = b
		}
	})
	if btn == nil {
		t.Fatal("no pick up action on Calls")
	}
	test.Tap(btn)
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no pick up dialog")
	}
	var entry *widget.Entry
	var ok *widget.Button
	walk(t, top, func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Entry:
			entry = v
		case *widget.Button:
			if v.Text == "Pick up" {
				ok = v
			}
		}
	})
	if entry == nil || ok == nil {
		t.Fatal("the dialog has no code entry or button")
	}
	test.Type(entry, "12ab")
	if entry.Validate() == nil {
		t.Fatal("a code of letters accepted")
	}
	entry.SetText("042917")
	test.Tap(ok)
	if !slices.Equal(f.control.pickups, []string{"042917"}) {
		t.Fatalf("pickups %v", f.control.pickups)
	}
}

// While the user has a call on another device, the home screen offers to
// move it here or add this device.
func TestMoveToThisDevice(t *testing.T) {
	f := newFake()
	m, w := signedIn(t, f, WindowSize)
	if m.ctl.move.Visible() && visibleIn(t, w.Canvas().Content(), m.ctl.move) {
		t.Fatal("move offered without a call elsewhere")
	}
	m.CallElsewhere(true)
	if !visibleIn(t, w.Canvas().Content(), m.ctl.move) || !visibleIn(t, w.Canvas().Content(), m.ctl.add) {
		t.Fatal("move and add not offered")
	}
	test.Tap(m.ctl.move)
	test.Tap(m.ctl.add)
	if f.control.moves != 1 || f.control.adds != 1 {
		t.Fatalf("moves %d, adds %d", f.control.moves, f.control.adds)
	}
	m.CallElsewhere(false)
	if visibleIn(t, w.Canvas().Content(), m.ctl.move) {
		t.Fatal("move still offered after the call ended elsewhere")
	}
}

// A call rung by a transfer, or a ring back, says so on the incoming card.
func TestIncomingCardSaysWhyItRings(t *testing.T) {
	f := newFake()
	m, _ := signedIn(t, f, WindowSize)
	back := app.CallInfo{ID: "c1", Peer: people()[0], State: app.CallIncoming,
		ControlText: "Carol is busy — back to your call with Bob Baker"}
	m.CallChanged(back)
	if !m.card.Visible() || m.card.intent.Text != back.ControlText {
		t.Fatalf("card shows %q", m.card.intent.Text)
	}
}
