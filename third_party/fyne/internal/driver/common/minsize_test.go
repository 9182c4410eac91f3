package common

import (
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// sized is a rectangle of a given MinSize that counts how often it is
// asked for it.
type sized struct {
	*canvas.Rectangle
	min   fyne.Size
	calls int
}

func newSized(w, h float32) *sized {
	return &sized{Rectangle: canvas.NewRectangle(color.White), min: fyne.NewSize(w, h)}
}

func (s *sized) MinSize() fyne.Size {
	s.calls++
	return s.min
}

// bar is a widget drawing one sized rectangle, as a level meter is.
type bar struct {
	widget.BaseWidget
	rect *sized
}

func newBar() *bar {
	b := &bar{rect: newSized(40, 10)}
	b.ExtendBaseWidget(b)
	return b
}

func (b *bar) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(b.rect)
}

// sizedCanvas is the test canvas with the MinSize a driver's has.
type sizedCanvas struct{ test.WindowlessCanvas }

func (c sizedCanvas) MinSize() fyne.Size { return c.Content().MinSize() }

// callScreen is a window of rows of sized objects in a scroller-less
// box, with a bar (a meter) in one row: rows×4 objects.
type callScreen struct {
	c       *Canvas
	impl    sizedCanvas
	content *fyne.Container
	rows    []*fyne.Container
	objs    []*sized
	meter   *bar
}

func newCallScreen(t testing.TB, rows int) *callScreen {
	test.NewTempApp(t)
	s := &callScreen{meter: newBar()}
	for i := 0; i < rows; i++ {
		row := container.NewHBox()
		for j := 0; j < 4; j++ {
			o := newSized(20, 10)
			s.objs = append(s.objs, o)
			row.Add(o)
		}
		s.rows = append(s.rows, row)
	}
	s.rows[rows/2].Add(s.meter)
	objs := make([]fyne.CanvasObject, len(s.rows))
	for i, r := range s.rows {
		objs[i] = r
	}
	s.content = container.NewVBox(objs...)
	s.impl = sizedCanvas{test.NewCanvas()}
	s.impl.SetPadded(false)
	s.impl.SetContent(s.content)
	s.impl.Resize(s.content.MinSize())
	s.c = &Canvas{}
	s.c.Initialize(s.impl, func() {})
	s.c.SetContentTreeAndFocusMgr(s.content)
	s.c.EnsureMinSize()
	s.c.WalkTrees(nil, nil) // the painter's walk
	return s
}

// refresh is Canvas.Refresh without its check that it is called on Fyne's
// thread (which a test is not).
func refresh(c *Canvas, obj fyne.CanvasObject) {
	c.refreshQueue.In(obj)
	c.dirty = true
}

// frame is what a driver does for a frame: EnsureMinSize, then the paint
// walk, then FreeDirtyTextures.
func (s *callScreen) frame() bool {
	grew := s.c.EnsureMinSize()
	s.c.WalkTrees(nil, nil)
	s.c.FreeDirtyTextures()
	return grew
}

func (s *callScreen) resetCalls() {
	for _, o := range s.objs {
		o.calls = 0
	}
	s.meter.rect.calls = 0
}

// unrefreshedCalls is how often the objects other than except were asked
// for their MinSize.
func (s *callScreen) unrefreshedCalls(except *sized) int {
	n := 0
	for _, o := range s.objs {
		if o != except {
			n += o.calls
		}
	}
	return n
}

// A frame that only refreshes a meter's rectangle (same size) asks no
// other object for its MinSize: in Fyne as it was, every object of the
// tree, some many times over (each container asks its children again).
func TestEnsureMinSizeChecksOnlyTheRefreshed(t *testing.T) {
	s := newCallScreen(t, 50)
	s.resetCalls()

	refresh(s.c, s.meter.rect)
	if s.frame() {
		t.Error("EnsureMinSize says the content's MinSize changed; nothing did")
	}
	if n := s.unrefreshedCalls(nil); n != 0 {
		t.Errorf("one meter refreshed: the %d other objects were asked for their MinSize %d times, want 0", len(s.objs), n)
	}
	if s.meter.rect.calls == 0 {
		t.Error("the refreshed rectangle was not asked for its MinSize")
	}

	// A refreshed object of a row: it and nothing else.
	s.resetCalls()
	o := s.objs[7]
	refresh(s.c, o)
	s.frame()
	if n := s.unrefreshedCalls(o); n != 0 {
		t.Errorf("one object refreshed: the others were asked for their MinSize %d times, want 0", n)
	}
	if o.calls != 1 {
		t.Errorf("the refreshed object was asked for its MinSize %d times, want 1", o.calls)
	}
}

// A refreshed object whose MinSize grew still has its row laid out again,
// the rows' box too, and the window grown to the new MinSize.
func TestEnsureMinSizeRelayoutsWhenARefreshedObjectGrows(t *testing.T) {
	s := newCallScreen(t, 50)
	row := s.rows[3]
	o, next := row.Objects[1].(*sized), row.Objects[2]
	before := next.Position().X
	width := s.impl.Size().Width

	o.min = fyne.NewSize(500, 10)
	refresh(s.c, o)
	if !s.frame() {
		t.Error("EnsureMinSize says the content's MinSize did not change; it grew")
	}
	if got := o.Size().Width; got < 500 {
		t.Errorf("the grown object is %v wide, want its MinSize 500", got)
	}
	if got := next.Position().X; got <= before+400 {
		t.Errorf("the object after the grown one is at x=%v (was %v): its row was not laid out again", got, before)
	}
	if got := s.impl.Size().Width; got <= width || got < s.content.MinSize().Width {
		t.Errorf("the canvas is %v wide (was %v, content MinSize %v): not grown", got, width, s.content.MinSize().Width)
	}
	if got := s.rows[40].Size().Width; got < s.content.MinSize().Width {
		t.Errorf("another row is %v wide, want the box's new width %v: the box was not laid out again", got, s.content.MinSize().Width)
	}

	// A meter that grows: its widget is checked and its row laid out.
	m := s.meter
	s.frame()
	after := m.Position().X
	first := s.rows[len(s.rows)/2].Objects[0].(*sized)
	first.min = fyne.NewSize(200, 10)
	m.rect.min = fyne.NewSize(300, 10)
	refresh(s.c, m.rect)
	refresh(s.c, first)
	s.frame()
	if got := m.Size().Width; got < 300 {
		t.Errorf("the grown meter is %v wide, want 300", got)
	}
	if got := m.Position().X; got < after+150 {
		t.Errorf("the meter is at x=%v (was %v) after the row's first object grew by 180: not laid out", got, after)
	}
}

// An object that appears (shown, or added without its container being
// refreshed) still has its container laid out around it.
func TestEnsureMinSizeLaysOutNewObjects(t *testing.T) {
	s := newCallScreen(t, 10)
	row := s.rows[2]

	// Shown: refreshed, but the last walk had no node for it.
	hidden := newSized(30, 10)
	hidden.Hide()
	row.Objects = append(row.Objects, hidden)
	row.Refresh()
	s.frame()
	hidden.Hidden = false
	refresh(s.c, hidden)
	s.frame()
	if hidden.Size().IsZero() || hidden.Position().X == 0 {
		t.Errorf("the shown object is at %v of %v: its row was not laid out", hidden.Position(), hidden.Size())
	}

	// Added to a row, and only some other object refreshed: the painter's
	// walk meets it first, and the next frame checks everything.
	added := newSized(30, 10)
	row = s.rows[5]
	row.Objects = append(row.Objects, added)
	refresh(s.c, s.meter.rect)
	s.frame()
	refresh(s.c, s.meter.rect)
	s.frame()
	if added.Size().IsZero() || added.Position().X == 0 {
		t.Errorf("the added object is at %v of %v: its row was not laid out", added.Position(), added.Size())
	}
}

// An object removed from a container without a refresh (its other objects
// need not move, so nothing marks the canvas): the paint walk drops its
// node, and the next pass checks every object, as Fyne's did.
func TestEnsureMinSizeChecksAllAfterAnObjectLeftUnrefreshed(t *testing.T) {
	s := newCallScreen(t, 10)
	row := s.rows[4]
	row.Objects = row.Objects[:len(row.Objects)-1]
	refresh(s.c, s.meter.rect)
	s.frame() // the walk drops the removed object's node
	s.resetCalls()
	refresh(s.c, s.meter.rect)
	s.frame()
	if n := s.unrefreshedCalls(nil); n == 0 {
		t.Error("the pass after an object was dropped did not check the other objects")
	}
}

// A theme override still applies to a refreshed object's MinSize: it and
// its ancestors are measured under the theme of the overrides above them.
func TestEnsureMinSizeOfARefreshedObjectUnderAThemeOverride(t *testing.T) {
	test.NewTempApp(t)
	th := &sizeTheme{Theme: test.Theme(), text: 40}
	label := widget.NewLabel("00:00")
	content := container.NewVBox(container.NewThemeOverride(container.NewHBox(label), th))
	impl := sizedCanvas{test.NewCanvas()}
	impl.SetContent(content)
	c := &Canvas{}
	c.Initialize(impl, func() {})
	c.SetContentTreeAndFocusMgr(content)
	c.EnsureMinSize()
	c.WalkTrees(nil, nil)
	h := label.Size().Height

	label.Text = "00:00\n00:01"
	label.Refresh()
	refresh(c, label)
	c.EnsureMinSize()
	got := label.Size().Height
	if got <= h {
		t.Fatalf("a two-line label is %v high, one line was %v: not laid out again", got, h)
	}
	c.SetDirty() // the next pass checks everything, as Fyne did in each
	c.EnsureMinSize()
	if all := label.Size().Height; all != got {
		t.Errorf("the two-line label is %v high, %v when every object is checked: not measured in the override's theme", got, all)
	}
}

type sizeTheme struct {
	fyne.Theme
	text float32
}

func (t *sizeTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == "text" {
		return t.text
	}
	return t.Theme.Size(n)
}

// BenchmarkEnsureMinSizeOneMeter: a frame of a window of 400 objects in
// 100 rows whose only change is a meter refreshed at the same size.
func BenchmarkEnsureMinSizeOneMeter(b *testing.B) {
	s := newCallScreen(b, 100)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		refresh(s.c, s.meter.rect)
		s.c.EnsureMinSize()
		s.c.FreeDirtyTextures()
	}
}
