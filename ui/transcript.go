package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// TextTranscript labels the Calls entry's transcript button and dialog.
const TextTranscript = "Transcript"

// TranscriptSource downloads a call's transcript as text (app.Softphone
// does). Main offers transcripts when its Controller is one.
type TranscriptSource interface {
	Transcript(ctx context.Context, callID string) (string, error)
}

// ShowTranscript implements CallsActions: it downloads r's transcript in
// the background, then shows it with a button to save it as a file.
func (m *Main) ShowTranscript(r CallRecord) {
	src, ok := m.Controller.(TranscriptSource)
	if !ok || !r.Transcript {
		return
	}
	m.bg.Add(1)
	m.background(func() {
		defer m.bg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		text, err := src.Transcript(ctx, r.CallID)
		onUI(func() {
			if err != nil {
				dialog.ShowError(err, m.win)
				return
			}
			m.showTranscript(r, text)
		})
	})
}

// showTranscript is the transcript dialog: the lines, and Save….
func (m *Main) showTranscript(r CallRecord, text string) {
	lines := widget.NewLabel(text)
	lines.Wrapping = fyne.TextWrapWord
	lines.Selectable = true
	scroll := container.NewVScroll(lines)
	scroll.SetMinSize(fyne.NewSize(480, 320))
	title := TextTranscript + " — " + r.Peer.Label() + ", " + r.Start.Format("2 Jan 2006 15:04")
	save := widget.NewButton("Save…", func() {
		fs := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
			if err != nil || w == nil {
				return
			}
			defer w.Close()
			if _, err := w.Write([]byte(text)); err != nil {
				dialog.ShowError(err, m.win)
			}
		}, m.win)
		fs.SetFileName("transcript-" + r.Start.Format("2006-01-02-1504") + ".txt")
		fs.Show()
	})
	dialog.ShowCustom(title, "Close", container.NewBorder(nil, container.NewHBox(save), nil, nil, scroll), m.win)
}
