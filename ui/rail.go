package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

// RailActions are what the rail can ask for.
type RailActions interface {
	Navigate(page string)
	SetStatus(p app.Presence)
	OpenSettings()
	SignOut()
}

// Rail is the left navigation: my avatar (presence, status menu,
// Settings, Sign out), one entry per screen on the rail with its badge,
// and the organization's initials at the bottom (its name in the tooltip
// and the window title).
type Rail struct {
	act    RailActions
	avatar *Avatar
	me     *widget.Button
	items  map[string]*widget.Button
	badges map[string]*Badge
	org    *widget.Label
	menu   *fyne.Menu
	root   fyne.CanvasObject
}

// NewRail builds the rail from the screens table.
func NewRail(act RailActions) *Rail {
	r := &Rail{act: act, avatar: NewAvatar(app.Contact{}, 40, true),
		items: map[string]*widget.Button{}, badges: map[string]*Badge{}}
	r.me = widget.NewButton("", r.ShowMenu)
	r.me.Importance = widget.LowImportance
	col := []fyne.CanvasObject{container.NewStack(r.me, container.NewCenter(r.avatar)), widget.NewSeparator()}
	for _, s := range screens {
		if !s.OnRail {
			continue
		}
		id := s.ID
		b := widget.NewButtonWithIcon("", theme.Icon(s.Icon), func() { act.Navigate(id) })
		b.Importance = widget.LowImportance
		badge := NewBadge(0)
		badge.Hide()
		r.items[id], r.badges[id] = b, badge
		label := widget.NewLabelWithStyle(s.Title, fyne.TextAlignCenter, fyne.TextStyle{})
		label.SizeName = theme.SizeNameCaptionText
		col = append(col, container.New(badgeLayout{}, container.NewVBox(b, label), badge))
	}
	r.org = truncated("", fyne.TextStyle{Bold: true})
	r.org.SizeName = theme.SizeNameCaptionText
	r.org.Alignment = fyne.TextAlignCenter
	col = append(col, layout.NewSpacer(), widget.NewIcon(theme.HomeIcon()), r.org)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameHeaderBackground))
	r.root = container.NewStack(bg, container.NewPadded(container.New(&railLayout{}, col...)))
	return r
}

// badgeLayout puts objs[1] (a badge) over the top right corner of
// objs[0].
type badgeLayout struct{}

func (badgeLayout) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[0].MinSize() }

func (badgeLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	objs[0].Resize(size)
	b := objs[1].MinSize()
	objs[1].Move(fyne.NewPos(size.Width-b.Width, 0))
	objs[1].Resize(b)
}

// railLayout is a VBox of fixed width.
type railLayout struct{}

const railWidth = 64

func (railLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		if o.Visible() {
			h += o.MinSize().Height + theme.Padding()
		}
	}
	return fyne.NewSize(railWidth, h)
}

func (railLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	layout.NewVBoxLayout().Layout(objs, size)
}

// Object is the rail.
func (r *Rail) Object() fyne.CanvasObject { return r.root }

// Update shows me, the current page and the badges.
func (r *Rail) Update(st *State, current string, missed, unread int) {
	me := st.Me
	me.Presence = st.Status
	r.avatar.SetContact(me)
	for id, b := range r.items {
		imp := widget.LowImportance
		if id == current {
			imp = widget.HighImportance
		}
		if b.Importance != imp {
			b.Importance = imp
			b.Refresh()
		}
	}
	r.badges[PageCalls].SetCount(missed)
	r.badges[PageChat].SetCount(unread)
	r.org.SetText(st.Org)
	r.menu = r.buildMenu(st)
}

func (r *Rail) buildMenu(st *State) *fyne.Menu {
	var items []*fyne.MenuItem
	head := fyne.NewMenuItem(st.Me.Label()+" · "+st.Org, nil)
	head.Disabled = true
	items = append(items, head, fyne.NewMenuItemSeparator())
	for _, p := range app.SettablePresences {
		p := p
		it := fyne.NewMenuItem(p.String(), func() { r.act.SetStatus(p) })
		it.Checked = st.Status == p
		items = append(items, it)
	}
	items = append(items, fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Settings", r.act.OpenSettings),
		fyne.NewMenuItem("Sign out", r.act.SignOut))
	return fyne.NewMenu("", items...)
}

// Menu is the avatar menu (tests).
func (r *Rail) Menu() *fyne.Menu { return r.menu }

// ShowMenu opens the avatar menu.
func (r *Rail) ShowMenu() {
	if r.menu != nil {
		showMenuBelow(r.me, r.menu)
	}
}
