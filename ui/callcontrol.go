package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

// Call control in the window: Transfer… and Park in the call screen's
// More menu (featureItem, callfeatures.go), the consult's "Complete
// transfer" and "Return to", the pickup code of a parked call large over
// the page, and on the home screen "Pick up a parked call" and, while the
// user has a call on another device, "Move to this device" and "Add this
// device".

// ControlActions are the call-control controls of the call screen; Main
// implements them. The call screen uses them when its CallActions
// implement them too.
type ControlActions interface {
	// PromptTransfer asks whom to transfer to, and how (blind, safe, or
	// consult first).
	PromptTransfer()
	CompleteConsult()
	ReturnToHeld()
	Park()
}

// Texts of call control; tests look for them.
const (
	TextTransferMenu    = "Transfer…"
	TextTransferBlind   = "Transfer now"
	TextTransferSafe    = "Transfer, ring me back if they do not answer"
	TextTransferConsult = "Talk to them first"
	TextCompletePrefix  = "Complete transfer to "
	TextReturnPrefix    = "Return to "
	TextParkMenu        = "Park"
	TextMoveHint        = "Use “Move to this device” on your other device"
	TextPickUp          = "Pick up a parked call"
	TextMoveHere        = "Move to this device"
	TextAddDevice       = "Add this device"
	TextCallElsewhere   = "You are in a call on another device"
	TextPickupCodeHint  = "6-digit pickup code"
	TextParkedCaption   = "Parked — pickup code"
)

// controlItems are the More menu's entries for transfer and park; it
// replaces the one entry featureItem made for f. Nil keeps that entry.
func (s *CallScreen) controlItems(f app.FeatureState, c app.CallInfo, it *fyne.MenuItem) []*fyne.MenuItem {
	switch f.Feature {
	case app.FeatureTransfer, app.FeaturePark, app.FeatureCompanion:
	default:
		return nil
	}
	if f.Feature == app.FeatureCompanion {
		if f.Available { // done from the other device
			it.Label = f.Feature.Name() + " — " + TextMoveHint
		}
		it.Disabled = true
		return []*fyne.MenuItem{it}
	}
	a, ok := s.act.(ControlActions)
	if !f.Available || !ok {
		it.Disabled = true
		return []*fyne.MenuItem{it}
	}
	it.Disabled = false // featureItem knows no action for these
	if f.Feature == app.FeaturePark {
		it.Label, it.Action = TextParkMenu, a.Park
		return []*fyne.MenuItem{it}
	}
	if c.HeldCall != nil { // consulting: complete, or go back
		return []*fyne.MenuItem{
			fyne.NewMenuItem(TextCompletePrefix+c.Peer.Label(), a.CompleteConsult),
			fyne.NewMenuItem(TextReturnPrefix+c.HeldCall.Peer.Label(), a.ReturnToHeld),
		}
	}
	it.Label, it.Action = TextTransferMenu, a.PromptTransfer
	return []*fyne.MenuItem{it}
}

// controlLine is what call control says of c on the state line.
func controlLine(c app.CallInfo) string {
	if c.Ended() {
		return ""
	}
	return c.ControlText
}

// controller is a Controller that has call control (app.Softphone does).
type controller interface {
	Transfer(target string, mode app.TransferMode)
	CompleteConsult()
	ReturnToHeld()
	Park()
	PickUp(code string)
	MoveHere()
	AddThisDevice()
}

func (m *Main) control(f func(controller)) {
	if c, ok := m.Controller.(controller); ok {
		f(c)
	}
}

// transferForm is the Transfer dialog's content: whom (the directory's
// people who are online, except this call's) and how.
type transferForm struct {
	who  *widget.Select
	how  *widget.RadioGroup
	ids  map[string]string // label → id
	form []*widget.FormItem
}

func newTransferForm(contacts []app.Contact, call app.CallInfo) *transferForm {
	f := &transferForm{ids: map[string]string{}}
	var labels []string
	for _, ct := range contacts {
		if ct.ID == call.Peer.ID || ct.Presence == app.PresenceOffline {
			continue
		}
		l := ct.Label()
		if _, dup := f.ids[l]; dup {
			l += " (" + ct.ID + ")"
		}
		f.ids[l] = ct.ID
		labels = append(labels, l)
	}
	f.who = widget.NewSelect(labels, nil)
	f.who.PlaceHolder = "Choose a person"
	f.how = widget.NewRadioGroup([]string{TextTransferBlind, TextTransferSafe, TextTransferConsult}, nil)
	f.how.SetSelected(TextTransferSafe)
	f.form = []*widget.FormItem{widget.NewFormItem("To", f.who), widget.NewFormItem("How", f.how)}
	return f
}

// submit does what the form says: a blind or safe transfer, or holding
// this call and calling the person (the consult; Complete transfer in
// the More menu then finishes it).
func (f *transferForm) submit(m *Main) {
	id := f.ids[f.who.Selected]
	if id == "" {
		return
	}
	switch f.how.Selected {
	case TextTransferConsult:
		m.SetHeld(true)
		m.Call(id)
	case TextTransferBlind:
		m.control(func(c controller) { c.Transfer(id, app.TransferBlind) })
	default:
		m.control(func(c controller) { c.Transfer(id, app.TransferSafe) })
	}
}

// PromptTransfer implements ControlActions.
func (m *Main) PromptTransfer() {
	f := newTransferForm(m.st.Contacts, m.call)
	dialog.ShowForm("Transfer the call", "Transfer", "Cancel", f.form, func(ok bool) {
		if ok {
			f.submit(m)
		}
	}, m.win)
}

// CompleteConsult implements ControlActions.
func (m *Main) CompleteConsult() { m.control(controller.CompleteConsult) }

// ReturnToHeld implements ControlActions.
func (m *Main) ReturnToHeld() { m.control(controller.ReturnToHeld) }

// Park implements ControlActions.
func (m *Main) Park() { m.control(controller.Park) }

// PromptPickUp asks for a pickup code and picks the call up.
func (m *Main) PromptPickUp() {
	entry := pickupEntry()
	dialog.ShowForm(TextPickUp, "Pick up", "Cancel", []*widget.FormItem{widget.NewFormItem("Code", entry)}, func(ok bool) {
		if ok && entry.Validate() == nil {
			m.pickUp(entry.Text)
		}
	}, m.win)
}

func (m *Main) pickUp(code string) {
	m.control(func(c controller) { c.PickUp(strings.TrimSpace(code)) })
}

// pickupEntry takes app.PickupCodeLen digits.
func pickupEntry() *widget.Entry {
	e := widget.NewEntry()
	e.SetPlaceHolder(TextPickupCodeHint)
	e.Validator = func(s string) error {
		s = strings.TrimSpace(s)
		if len(s) != app.PickupCodeLen || strings.Trim(s, "0123456789") != "" {
			return errPickupCode
		}
		return nil
	}
	return e
}

type pickupCodeError struct{}

func (pickupCodeError) Error() string { return "a pickup code is 6 digits" }

var errPickupCode error = pickupCodeError{}

// controlBar is the home screen's call-control strip under the bars: the
// pickup code of a call this user parked (large), "Pick up a parked
// call", and while the user has a call on another device, "Move to this
// device" and "Add this device".
type controlBar struct {
	box       *fyne.Container
	parked    *fyne.Container
	code      *widget.Label
	until     *widget.Label
	elsewhere *fyne.Container
	move, add *widget.Button
	parkedID  string
}

func newControlBar(m *Main) *controlBar {
	b := &controlBar{}
	// A label, not canvas text: it follows the theme as the rest does.
	b.code = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Monospace: true, Bold: true})
	b.code.SizeName = theme.SizeNameHeadingText
	b.until = widget.NewLabel("")
	dismiss := widget.NewButtonWithIcon("", theme.CancelIcon(), func() {
		b.showParked(app.CallInfo{})
		b.relay()
		m.relayTop()
	})
	dismiss.Importance = widget.LowImportance
	b.parked = container.NewBorder(nil, nil, nil, dismiss,
		container.NewVBox(widget.NewLabelWithStyle(TextParkedCaption, fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
			container.NewCenter(b.code), b.until))
	b.parked.Hide()
	b.move = widget.NewButtonWithIcon(TextMoveHere, iconPhone, func() { m.control(controller.MoveHere) })
	b.move.Importance = widget.SuccessImportance
	b.add = widget.NewButton(TextAddDevice, func() { m.control(controller.AddThisDevice) })
	b.elsewhere = container.NewHBox(widget.NewLabelWithStyle(TextCallElsewhere, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), b.move, b.add)
	b.elsewhere.Hide()
	b.box = container.NewVBox(b.parked, b.elsewhere)
	b.box.Hide()
	return b
}

// relay shows the bar when one of its parts shows.
func (b *controlBar) relay() { setVisible(b.box, b.parked.Visible() || b.elsewhere.Visible()) }

// PickUpActions is a Calls screen that can pick up a parked call.
type PickUpActions interface{ PromptPickUp() }

// pickUpButton is the Calls screen's "Pick up a parked call" (nil when
// act cannot).
func pickUpButton(act any) fyne.CanvasObject {
	a, ok := act.(PickUpActions)
	if !ok {
		return nil
	}
	b := widget.NewButtonWithIcon(TextPickUp, iconPhone, a.PromptPickUp)
	b.Importance = widget.LowImportance
	return container.NewCenter(b)
}

// showParked shows the code of c, a call this user parked; a call
// without one hides it.
func (b *controlBar) showParked(c app.CallInfo) {
	if c.PickupCode == "" {
		b.parkedID = ""
		b.parked.Hide()
		return
	}
	b.parkedID = c.ID
	b.code.SetText(c.PickupCode)
	b.until.SetText("Anyone can pick it up with this code until " + c.PickupExpires.Format("15:04"))
	b.parked.Show()
}

var _ app.CallElsewhereListener = (*Main)(nil)

// CallElsewhere implements app.CallElsewhereListener: the user has a call
// on another device (on) or not any more.
func (m *Main) CallElsewhere(on bool) {
	onUI(func() {
		setVisible(m.ctl.elsewhere, on)
		m.ctl.relay()
		m.relayTop()
	})
}

// noteControl follows call control in c for the home screen: the code of
// a call this user parked, until it expires or another call comes; a
// call taken on this device hides it.
func (m *Main) noteControl(c app.CallInfo) {
	switch {
	case c.End == app.EndParked && c.PickupCode != "":
		m.ctl.showParked(c)
		id := c.ID
		if wait := time.Until(c.PickupExpires); wait > 0 {
			m.later(wait, func() {
				onUI(func() {
					if m.ctl.parkedID == id {
						m.ctl.showParked(app.CallInfo{})
						m.ctl.relay()
						m.relayTop()
					}
				})
			})
		}
	case !c.Ended() && c.ID == m.ctl.parkedID:
		m.ctl.showParked(app.CallInfo{}) // picked up here
	}
	m.ctl.relay()
	m.relayTop()
}
