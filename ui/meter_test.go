package ui

import (
	"image/color"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/parley-voip/parley/app"
)

// TestLevelMetersRedrawOnlyChanges: a level that moves less than a step
// redraws nothing, one that moves a step redraws that meter only, and
// hidden meters (no call up) are not touched.
func TestLevelMetersRedrawOnlyChanges(t *testing.T) {
	s, _ := render(t, e2eeCall())
	s.SetLevels(app.Levels{Mic: 0.5, Speaker: 0.25})
	mic, spk := s.mic.redraws, s.speaker.redraws
	for _, v := range []float64{0.51, 0.49, 0.52, 0.5} {
		s.SetLevels(app.Levels{Mic: v, Speaker: 0.25})
	}
	if s.mic.redraws != mic || s.speaker.redraws != spk {
		t.Fatalf("sub-step changes redrew the meters %d/%d times", s.mic.redraws-mic, s.speaker.redraws-spk)
	}
	s.SetLevels(app.Levels{Mic: 0.6, Speaker: 0.25})
	if s.mic.redraws != mic+1 || s.speaker.redraws != spk {
		t.Fatalf("a step on the mic redrew mic %d, speaker %d times; want 1, 0", s.mic.redraws-mic, s.speaker.redraws-spk)
	}
	if s.mic.Value != 0.6 {
		t.Fatalf("mic meter at %v, want 0.6", s.mic.Value)
	}

	s.Update(app.CallInfo{ID: "c4", Peer: bob, State: app.CallIncoming})
	if s.meters.Visible() {
		t.Fatal("meters visible while ringing")
	}
	mic = s.mic.redraws
	s.SetLevels(app.Levels{Mic: 0.9})
	if s.mic.redraws != mic {
		t.Fatal("hidden meters were redrawn")
	}
}

// TestCallTimerRedrawsOnlyWhenItChanges: the timer is ticked with the
// meters (meterInterval), but redraws once a second, when the time shown
// changes.
func TestCallTimerRedrawsOnlyWhenItChanges(t *testing.T) {
	c := e2eeCall()
	c.Started = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	s, _ := render(t, c)
	now := c.Started.Add(5 * time.Second)
	s.Tick(now)
	n := s.timerRedraws
	for i := 1; i < 5; i++ {
		s.Tick(now.Add(time.Duration(i) * meterInterval / 2))
	}
	if s.timerRedraws != n {
		t.Fatalf("ticks within one second redrew the timer %d times", s.timerRedraws-n)
	}
	s.Tick(now.Add(time.Second))
	if s.timerRedraws != n+1 || s.state.Text != "0:06" {
		t.Fatalf("the next second redrew %d times, shows %q; want 1, 0:06", s.timerRedraws-n, s.state.Text)
	}
}

// TestMetersTickOnlyWhileTheCallIsOnShow: the meters' and timer's ticker
// runs while the call screen is what the window shows, and stops while the
// user looks at another page or the call has ended.
func TestMetersTickOnlyWhileTheCallIsOnShow(t *testing.T) {
	m, _ := signedIn(t, newFake(), WindowSize)
	running := func() bool { return m.meterStop != nil }
	if running() {
		t.Fatal("meters tick with no call")
	}
	c := app.CallInfo{ID: "c1", Peer: bob, State: app.CallRinging, Outgoing: true}
	m.CallChanged(c)
	if running() {
		t.Fatal("meters tick while ringing")
	}
	c.State, c.Started = app.CallActive, time.Now()
	m.CallChanged(c)
	if !running() {
		t.Fatal("meters do not tick in a call on show")
	}
	m.Navigate(PagePeople)
	if running() {
		t.Fatal("meters tick while another page covers the call")
	}
	m.ReturnToCall()
	if !running() {
		t.Fatal("meters do not tick after returning to the call")
	}
	c.State, c.End = app.CallEnded, app.EndHangup
	m.CallChanged(c)
	if running() {
		t.Fatal("meters tick after the call ended")
	}
}

// TestLevelMeterIsPlainRectangles: a meter paints two square-cornered
// rectangles and no text (the cheapest objects in software GL), the bar
// as wide as the level's share of the track, in the theme's primary
// colour over the same at half alpha.
func TestLevelMeterIsPlainRectangles(t *testing.T) {
	m := newLevelMeter()
	w := test.NewWindow(m)
	defer w.Close()
	w.Resize(fyne.NewSize(200, 40))
	m.SetLevel(0.26) // a step is 1/20: shows 0.25
	objs := test.WidgetRenderer(m).Objects()
	if len(objs) != 2 {
		t.Fatalf("a meter paints %d objects, want 2 (track and bar)", len(objs))
	}
	var rects [2]*canvas.Rectangle
	for i, o := range objs {
		r, ok := o.(*canvas.Rectangle)
		if !ok {
			t.Fatalf("object %d is a %T, want a rectangle", i, o)
		}
		if r.CornerRadius != 0 || r.TopLeftCornerRadius != 0 || r.TopRightCornerRadius != 0 ||
			r.BottomLeftCornerRadius != 0 || r.BottomRightCornerRadius != 0 {
			t.Fatalf("rectangle %d has rounded corners", i)
		}
		rects[i] = r
	}
	track, bar := rects[0], rects[1]
	if got, want := bar.Size().Width, track.Size().Width/4; got != want {
		t.Fatalf("bar %v wide over a track of %v at level 0.25, want %v", got, track.Size().Width, want)
	}
	primary := color.NRGBAModel.Convert(theme.Color(theme.ColorNamePrimary)).(color.NRGBA)
	half := primary
	half.A /= 2
	if bar.FillColor != theme.Color(theme.ColorNamePrimary) || track.FillColor != half {
		t.Fatalf("bar %v over track %v, want %v over %v", bar.FillColor, track.FillColor, primary, half)
	}
	m.SetLevel(0)
	if !bar.Hidden || track.Hidden {
		t.Fatal("at level 0 the bar should be hidden and the track shown")
	}
}
