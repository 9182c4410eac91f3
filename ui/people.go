package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

// PeopleActions are what the People screen can ask for.
type PeopleActions interface {
	Call(contactID string)
	OpenChat(contactID string)
	SearchDirectory(query string)
}

// PeoplePage lists the organization's people: avatar with presence dot,
// name, status (and a verified or changed key), unread badge, and chat and
// call icon buttons. Offline people are listed (one can write to them) and
// cannot be called.
type PeoplePage struct {
	act      PeopleActions
	search   *widget.Entry
	warning  *widget.Label // e.g. the guard blocks every call
	empty    *widget.Label
	list     *widget.List
	contacts []app.Contact
	root     fyne.CanvasObject
}

// NewPeoplePage builds the People screen.
func NewPeoplePage(act PeopleActions) *PeoplePage {
	p := &PeoplePage{act: act, empty: widget.NewLabel("Nobody else is here yet.")}
	p.warning = wrapped(widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	p.warning.Importance = widget.DangerImportance
	p.warning.Hide()
	p.search = widget.NewEntry()
	p.search.SetPlaceHolder("Search people")
	p.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	p.search.OnChanged = act.SearchDirectory
	p.list = widget.NewList(
		func() int { return len(p.contacts) },
		func() fyne.CanvasObject {
			name := truncated("name", fyne.TextStyle{Bold: true})
			status := truncated("status", fyne.TextStyle{})
			status.SizeName = theme.SizeNameCaptionText
			chat := NewIconButton(theme.MailComposeIcon(), "Chat", nil)
			chat.Importance = widget.LowImportance
			call := NewIconButton(iconPhone, "Call", nil)
			call.Importance = widget.LowImportance
			right := container.NewHBox(container.NewCenter(NewBadge(0)), chat, call)
			return container.NewBorder(nil, nil, NewAvatar(app.Contact{}, 36, true), right,
				container.New(compactRows(), name, status))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { p.fill(p.contacts[i], o.(*fyne.Container)) },
	)
	top := container.NewVBox(pageTitle("People"), p.warning, p.search)
	p.root = container.NewBorder(top, nil, nil, nil, container.NewStack(p.list, container.NewCenter(p.empty)))
	return p
}

// statusText is the line under a person's name.
func statusText(c app.Contact) string {
	s := c.Presence.String()
	switch c.Trust {
	case app.TrustVerified:
		s += " · " + TextVerified
	case app.TrustChanged:
		s += " · " + app.KeyChangedWarning(c.Label())
	}
	return s
}

func (p *PeoplePage) fill(c app.Contact, row *fyne.Container) {
	texts := row.Objects[0].(*fyne.Container)
	name, status := texts.Objects[0].(*widget.Label), texts.Objects[1].(*widget.Label)
	name.SetText(c.Label())
	status.SetText(statusText(c))
	imp := widget.MediumImportance
	if c.Presence == app.PresenceOffline {
		imp = widget.LowImportance
	}
	name.Importance, status.Importance = imp, imp
	if c.Trust == app.TrustChanged {
		status.Importance = widget.DangerImportance
	}
	name.Refresh()
	status.Refresh()
	row.Objects[1].(*Avatar).SetContact(c)
	right := row.Objects[2].(*fyne.Container)
	right.Objects[0].(*fyne.Container).Objects[0].(*Badge).SetCount(c.Unread)
	chat := right.Objects[1].(*IconButton)
	chat.Tooltip = "Chat with " + c.Label()
	chat.OnTapped = func() { p.act.OpenChat(c.ID) }
	call := right.Objects[2].(*IconButton)
	call.Tooltip = "Call " + c.Label()
	call.OnTapped = func() { p.act.Call(c.ID) }
	// Busy and away still ring, as in Teams; the status says so.
	if c.Presence.Reachable() {
		call.Enable()
	} else {
		call.Disable()
	}
	right.Refresh()
}

// Object is the screen.
func (p *PeoplePage) Object() fyne.CanvasObject { return p.root }

// Query is the search field's text.
func (p *PeoplePage) Query() string { return p.search.Text }

// Update shows st's people and warning.
func (p *PeoplePage) Update(st *State) {
	p.contacts = append(p.contacts[:0], st.Contacts...)
	setVisible(p.empty, len(p.contacts) == 0)
	p.list.Refresh()
	p.warning.SetText(st.Warning)
	setVisible(p.warning, st.Warning != "")
}
