package ui

import (
	"context"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

// The call history is the server's (app.CallRecord, newest first): the
// same list on every device of the user.
type (
	CallRecord  = app.CallRecord
	CallOutcome = app.CallOutcome
)

const (
	OutcomeAnswered          = app.OutcomeAnswered
	OutcomeMissed            = app.OutcomeMissed
	OutcomeDeclined          = app.OutcomeDeclined
	OutcomeAnsweredElsewhere = app.OutcomeAnsweredElsewhere
	OutcomeFailed            = app.OutcomeFailed
)

// outcomeText is how an outcome reads in the history.
func outcomeText(o CallOutcome) string {
	switch o {
	case OutcomeMissed:
		return "Missed"
	case OutcomeDeclined:
		return "Declined"
	case OutcomeAnsweredElsewhere:
		return "Answered on another device"
	case OutcomeFailed:
		return "Did not connect"
	}
	return "Answered"
}

// CallHistory pages the signed-in user's calls, newest first, before a
// time (zero: the newest).
type CallHistory interface {
	CallHistory(ctx context.Context, before time.Time, limit int) ([]CallRecord, error)
}

// CallsActions are what the Calls screen can ask for.
type CallsActions interface {
	Call(contactID string)
	OpenChat(contactID string)
	// ShowTranscript shows the live captions' transcript of a call whose
	// entry has one (r.Transcript).
	ShowTranscript(r CallRecord)
}

// CallsPage lists the call history: direction, peer, time, duration,
// outcome (missed in red), the lock for E2EE calls, the transcript of a
// call that had live captions, and call back.
type CallsPage struct {
	act   CallsActions
	recs  []CallRecord
	list  *widget.List
	empty *widget.Label
	root  fyne.CanvasObject
}

// NewCallsPage builds the Calls screen.
func NewCallsPage(act CallsActions) *CallsPage {
	p := &CallsPage{act: act, empty: widget.NewLabel("No calls yet.")}
	p.list = widget.NewList(
		func() int { return len(p.recs) },
		func() fyne.CanvasObject {
			name := truncated("name", fyne.TextStyle{Bold: true})
			detail := truncated("detail", fyne.TextStyle{})
			detail.SizeName = theme.SizeNameCaptionText
			lock := widget.NewIcon(lockShieldResource)
			transcript := NewIconButton(theme.DocumentIcon(), TextTranscript, nil)
			transcript.Hide() // fill shows it for a call with a transcript
			back := NewIconButton(iconPhone, "Call back", nil)
			right := container.NewHBox(lock, transcript, back)
			return container.NewBorder(nil, nil, NewAvatar(app.Contact{}, 36, false), right,
				container.New(compactRows(), name, detail))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { p.fill(p.recs[i], o.(*fyne.Container)) },
	)
	p.root = container.NewBorder(container.NewBorder(nil, nil, nil, pickUpButton(act), pageTitle("Calls")), nil, nil, nil,
		container.NewStack(p.list, container.NewCenter(p.empty)))
	return p
}

func (p *CallsPage) fill(r CallRecord, row *fyne.Container) {
	texts := row.Objects[0].(*fyne.Container)
	name, detail := texts.Objects[0].(*widget.Label), texts.Objects[1].(*widget.Label)
	name.SetText(r.Peer.Label())
	dir := "Incoming"
	if r.Outgoing {
		dir = "Outgoing"
	}
	d := dir + " · " + whenText(r.Start, time.Now())
	switch r.Outcome {
	case OutcomeAnswered:
		d += " · " + durationText(r.Duration)
	default:
		d += " · " + outcomeText(r.Outcome)
	}
	detail.SetText(d)
	detail.Importance = widget.MediumImportance
	name.Importance = widget.MediumImportance
	if r.Outcome == OutcomeMissed {
		detail.Importance, name.Importance = widget.DangerImportance, widget.DangerImportance
	}
	name.Refresh()
	detail.Refresh()
	row.Objects[1].(*Avatar).SetContact(r.Peer)
	right := row.Objects[2].(*fyne.Container)
	setVisible(right.Objects[0], r.E2EE)
	transcript := right.Objects[1].(*IconButton)
	setVisible(transcript, r.Transcript)
	transcript.OnTapped = func() { p.act.ShowTranscript(r) }
	back := right.Objects[2].(*IconButton)
	back.Tooltip = "Call " + r.Peer.Label() + " back"
	back.OnTapped = func() { p.act.Call(r.Peer.ID) }
}

// Object is the screen.
func (p *CallsPage) Object() fyne.CanvasObject { return p.root }

// Update shows the history in st.
func (p *CallsPage) Update(st *State) {
	p.recs = st.History
	setVisible(p.empty, len(p.recs) == 0)
	p.list.Refresh()
}

// whenText is a start time in a list: the time today, the weekday this
// week, the date before.
func whenText(t, now time.Time) string {
	t = t.Local()
	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.Local)
	switch {
	case !t.Before(today):
		return t.Format(TimeFormat)
	case !t.Before(today.AddDate(0, 0, -6)):
		return t.Format("Mon " + TimeFormat)
	}
	return t.Format("2 Jan 2006")
}

func pageTitle(text string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

func itoa(n int) string { return strconv.Itoa(n) }
