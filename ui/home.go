package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

// HomeActions are what the contacts screen can ask for.
type HomeActions interface {
	Call(contactID string)
	OpenSettings()
}

// Home is the signed-in screen: who I am, the organization's people with
// their presence, and a call button for each.
type Home struct {
	act      HomeActions
	me       *widget.Label
	status   *widget.Label
	empty    *widget.Label
	list     *widget.List
	contacts []app.Contact
	root     fyne.CanvasObject
}

// NewHome builds the contacts screen.
func NewHome(act HomeActions) *Home {
	h := &Home{
		act:    act,
		me:     widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		status: wrapped(widget.NewLabel("")),
		empty:  widget.NewLabel("Nobody else is signed in yet."),
	}
	h.list = widget.NewList(
		func() int { return len(h.contacts) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil,
				widget.NewButtonWithIcon("Call", theme.MediaPlayIcon(), nil),
				container.NewVBox(widget.NewLabel("name"), widget.NewLabel("presence")))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := h.contacts[i]
			row := o.(*fyne.Container)
			labels := row.Objects[0].(*fyne.Container)
			labels.Objects[0].(*widget.Label).SetText(c.Label())
			labels.Objects[1].(*widget.Label).SetText(c.Presence.String())
			btn := row.Objects[1].(*widget.Button)
			btn.OnTapped = func() { h.act.Call(c.ID) }
			if c.Presence == app.PresenceOnline {
				btn.Enable()
			} else {
				btn.Disable()
			}
		},
	)
	settings := widget.NewButtonWithIcon("Settings", theme.SettingsIcon(), act.OpenSettings)
	top := container.NewBorder(nil, nil, nil, settings, container.NewVBox(h.me, h.status))
	h.root = container.NewBorder(top, nil, nil, nil, container.NewStack(h.list, container.NewCenter(h.empty)))
	return h
}

// Object is the screen's canvas object.
func (h *Home) Object() fyne.CanvasObject { return h.root }

// SetMe shows who is signed in, and the link state.
func (h *Home) SetMe(me app.Contact, status string) {
	h.me.SetText(me.Label())
	h.status.SetText(status)
}

// SetContacts replaces the contact list.
func (h *Home) SetContacts(cs []app.Contact) {
	h.contacts = append(h.contacts[:0], cs...)
	if len(cs) == 0 {
		h.empty.Show()
	} else {
		h.empty.Hide()
	}
	h.list.Refresh()
}

func wrapped(l *widget.Label) *widget.Label {
	l.Wrapping = fyne.TextWrapWord
	return l
}
