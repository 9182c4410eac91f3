package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

// HomeActions are what the contacts screen can ask for.
type HomeActions interface {
	Call(contactID string)
	OpenChat(contactID string)
	OpenSettings()
	SetStatus(p app.Presence)
	Search(query string)
}

// Home is the signed-in screen: who I am and my status, the
// organization's people with their presence (offline ones greyed), unread
// chat badges, a search field, and Chat and Call buttons for each.
type Home struct {
	act       HomeActions
	me        *widget.Label
	status    *widget.Label
	warning   *widget.Label // e.g. the guard blocks every call (SetWarning)
	myStatus  *widget.Select
	search    *widget.Entry
	empty     *widget.Label
	list      *widget.List
	contacts  []app.Contact
	root      fyne.CanvasObject
	statusSet bool // myStatus changed by SetMyStatus, not by the user
}

// NewHome builds the contacts screen.
func NewHome(act HomeActions) *Home {
	h := &Home{
		act:    act,
		me:     widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		status: wrapped(widget.NewLabel("")),
		empty:  widget.NewLabel("Nobody else is signed in yet."),
	}
	h.warning = wrapped(widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	h.warning.Importance = widget.DangerImportance
	h.warning.Hide()
	var labels []string
	for _, p := range app.SettablePresences {
		labels = append(labels, p.String())
	}
	h.myStatus = widget.NewSelect(labels, func(s string) {
		if h.statusSet {
			return
		}
		for _, p := range app.SettablePresences {
			if p.String() == s {
				act.SetStatus(p)
			}
		}
	})
	h.search = widget.NewEntry()
	h.search.SetPlaceHolder("Search people")
	h.search.OnChanged = act.Search
	h.list = widget.NewList(
		func() int { return len(h.contacts) },
		func() fyne.CanvasObject {
			unread := widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
			unread.Importance = widget.HighImportance
			buttons := container.NewHBox(unread,
				widget.NewButtonWithIcon("Chat", theme.MailComposeIcon(), nil),
				widget.NewButtonWithIcon("Call", theme.MediaPlayIcon(), nil))
			trust := wrapped(widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
			trust.Hide()
			return container.NewBorder(nil, nil, nil, buttons,
				container.NewVBox(widget.NewLabel("name"), widget.NewLabel("presence"), trust))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { h.fillRow(h.contacts[i], o.(*fyne.Container)) },
	)
	settings := widget.NewButtonWithIcon("Settings", theme.SettingsIcon(), act.OpenSettings)
	right := container.NewHBox(h.myStatus, settings)
	top := container.NewVBox(container.NewBorder(nil, nil, nil, right, container.NewVBox(h.me, h.status)), h.warning, h.search)
	h.root = container.NewBorder(top, nil, nil, nil, container.NewStack(h.list, container.NewCenter(h.empty)))
	return h
}

func (h *Home) fillRow(c app.Contact, row *fyne.Container) {
	labels := row.Objects[0].(*fyne.Container)
	name := labels.Objects[0].(*widget.Label)
	presence := labels.Objects[1].(*widget.Label)
	name.SetText(c.Label())
	presence.SetText(c.Presence.String())
	// Offline people are listed (one can chat with them) but greyed.
	imp := widget.MediumImportance
	if c.Presence == app.PresenceOffline {
		imp = widget.LowImportance
	}
	name.Importance, presence.Importance = imp, imp
	name.Refresh()
	presence.Refresh()
	trust := labels.Objects[2].(*widget.Label)
	switch c.Trust {
	case app.TrustChanged:
		trust.SetText(app.KeyChangedWarning(c.Label()))
		trust.Importance = widget.DangerImportance
	case app.TrustVerified:
		trust.SetText(TextVerified)
		trust.Importance = widget.SuccessImportance
	}
	trust.Refresh()
	setVisible(trust, c.Trust != app.TrustUnverified)
	labels.Refresh()

	buttons := row.Objects[1].(*fyne.Container)
	unread := buttons.Objects[0].(*widget.Label)
	unread.SetText(fmt.Sprint(c.Unread))
	setVisible(unread, c.Unread > 0)
	buttons.Refresh() // re-lay the row: the badge may have come or gone
	chat := buttons.Objects[1].(*widget.Button)
	chat.OnTapped = func() { h.act.OpenChat(c.ID) }
	call := buttons.Objects[2].(*widget.Button)
	call.OnTapped = func() { h.act.Call(c.ID) }
	// Busy and away still ring, as in Teams; the list says so.
	if c.Presence.Reachable() {
		call.Enable()
	} else {
		call.Disable()
	}
}

// Object is the screen's canvas object.
func (h *Home) Object() fyne.CanvasObject { return h.root }

// SetMe shows who is signed in, and the link state.
func (h *Home) SetMe(me app.Contact, status string) {
	h.me.SetText(me.Label())
	h.status.SetText(status)
}

// SetMyStatus shows the status I chose, without sending it again.
func (h *Home) SetMyStatus(p app.Presence) {
	h.statusSet = true
	h.myStatus.SetSelected(p.String())
	h.statusSet = false
}

// SetWarning shows text above the contacts, or hides it when "".
func (h *Home) SetWarning(text string) {
	h.warning.SetText(text)
	setVisible(h.warning, text != "")
}

// Query is the search field's text.
func (h *Home) Query() string { return h.search.Text }

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

// Contact returns the listed contact with id, or one with just the id.
func (h *Home) Contact(id string) app.Contact {
	for _, c := range h.contacts {
		if c.ID == id {
			return c
		}
	}
	return app.Contact{ID: id}
}

func wrapped(l *widget.Label) *widget.Label {
	l.Wrapping = fyne.TextWrapWord
	return l
}
