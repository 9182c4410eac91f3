package realwindow_test

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// maxMeterWakes is, by renderer, the most voluntary context switches a
// second the main thread may make while a rectangle is refreshed every
// 200 ms from another goroutine. The loop waking for each refresh and for
// the frame that paints it is 5 to 10; with GL, Mesa's swap waits for its
// rasterizer threads a few times a frame on top of that. A loop ticking at
// 60 Hz while anything happens switches 60 or more.
var maxMeterWakes = map[string]float64{"software": 20, "gl": 45}

// TestMeterRefreshWakesLittle: with something refreshed every 200 ms from
// another goroutine (as the call screen's level meters are), Fyne's main
// thread wakes a few times a second, not at a 60 Hz tick; and X input
// still reaches widgets, when idle and right after a refresh: a click on a
// button and a key typed into a focused widget. Each input is awaited with
// no refresh after it, so only the input itself can wake the loop to
// deliver it. It runs with each renderer.
func TestMeterRefreshWakesLittle(t *testing.T) {
	withEachRenderer(t, "wakes", "ok: done")
}

// inputWidgets is the window of runWakes: a button at the top, a key
// target below it, and a bar that the meters goroutine moves.
type inputWidgets struct {
	w      fyne.Window
	tapped chan struct{}
	typed  chan string
	entry  *keyTarget
	bar    *canvas.Rectangle
}

// keyTarget is a focusable widget that sends what is typed into it so far
// on typed. (An entry would do, but its cursor blinks, an animation that
// keeps the loop at 60 frames a second while it is focused.)
type keyTarget struct {
	widget.BaseWidget
	text  string
	typed chan<- string
}

func newKeyTarget(typed chan<- string) *keyTarget {
	k := &keyTarget{typed: typed}
	k.ExtendBaseWidget(k)
	return k
}

func (k *keyTarget) CreateRenderer() fyne.WidgetRenderer {
	r := canvas.NewRectangle(blue)
	r.SetMinSize(fyne.NewSize(20, 20))
	return widget.NewSimpleRenderer(r)
}

func (k *keyTarget) FocusGained()            {}
func (k *keyTarget) FocusLost()              {}
func (k *keyTarget) TypedKey(*fyne.KeyEvent) {}
func (k *keyTarget) TypedRune(r rune) {
	k.text += string(r)
	k.typed <- k.text
}

func runWakes() int {
	a := app.NewWithID("dev.parley.realwindow")
	w := a.NewWindow("realwindow")
	iw := &inputWidgets{w: w, tapped: make(chan struct{}, 1), typed: make(chan string, 8)}
	button := widget.NewButton("tap", func() {
		select {
		case iw.tapped <- struct{}{}:
		default:
		}
	})
	iw.entry = newKeyTarget(iw.typed)
	iw.bar = canvas.NewRectangle(green)
	iw.bar.Resize(fyne.NewSize(10, 8))
	w.SetPadded(false)
	w.SetContent(container.NewVBox(button, iw.entry, container.NewWithoutLayout(iw.bar)))
	w.Resize(fyne.NewSize(startW, startH))
	w.Show()
	go func() {
		if err := wakeSteps(iw, button); err != nil {
			fmt.Println("FAIL:", err)
			os.Exit(1)
		}
		fmt.Println("ok: done")
		fyne.Do(w.Close)
	}()
	a.Run()
	return 0
}

func wakeSteps(iw *inputWidgets, button *widget.Button) error {
	if err := waitIdle(); err != nil {
		return fmt.Errorf("first idle: %w", err)
	}
	fmt.Println("ok: renderer", renderer())
	var buttonAt fyne.Position
	fyne.DoAndWait(func() {
		buttonAt = fyne.CurrentApp().Driver().AbsolutePositionForObject(button).Add(fyne.NewPos(button.Size().Width/2, button.Size().Height/2))
		iw.w.Canvas().Focus(iw.entry)
	})
	if err := waitIdle(); err != nil {
		return err
	}
	typed := ""
	input := func(when string) error {
		if err := xdotool("mousemove", strconv.Itoa(int(buttonAt.X)), strconv.Itoa(int(buttonAt.Y)), "click", "1"); err != nil {
			return err
		}
		sent := time.Now()
		if err := waitChan(iw.tapped); err != nil {
			return fmt.Errorf("click %s: the button was not tapped: %w", when, err)
		}
		fmt.Printf("ok: click %s tapped the button after %v\n", when, time.Since(sent).Round(100*time.Microsecond))
		if err := xdotool("key", "a"); err != nil {
			return err
		}
		sent = time.Now()
		typed += "a"
		select {
		case s := <-iw.typed:
			if s != typed {
				return fmt.Errorf("key %s: the widget has %q, not %q", when, s, typed)
			}
		case <-time.After(stepDeadline):
			return fmt.Errorf("key %s: the widget got nothing after %v", when, stepDeadline)
		}
		fmt.Printf("ok: key %s reached the focused widget after %v\n", when, time.Since(sent).Round(100*time.Microsecond))
		return nil
	}
	if err := input("while idle"); err != nil {
		return err
	}

	// The meters: the bar changes width every 200 ms, from this goroutine's
	// ticker through fyne.Do; hold stops it between two refreshes.
	var hold sync.Mutex
	refreshed := make(chan struct{}, 1)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for n := 0; ; n++ {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			hold.Lock()
			fyne.Do(func() {
				iw.bar.Resize(fyne.NewSize(float32(10+n%50), 8))
				iw.bar.Refresh()
				select {
				case refreshed <- struct{}{}:
				default:
				}
			})
			hold.Unlock()
		}
	}()
	time.Sleep(time.Second)
	const span = 5 * time.Second
	v0, _, err := mainThreadCounts()
	if err != nil {
		return err
	}
	p0 := stats()
	time.Sleep(span)
	v1, _, err := mainThreadCounts()
	if err != nil {
		return err
	}
	p := stats().Since(p0)
	rate := float64(v1-v0) / span.Seconds()
	fmt.Printf("main thread: %.1f voluntary switches a second while the bar moved every 200 ms (%d software frames)\n", rate, p.Frames)
	if limit := maxMeterWakes[renderer()]; rate > limit {
		return fmt.Errorf("the main thread switched %.1f times a second, more than %v, while the bar moved every 200 ms", rate, limit)
	}
	if p.SoftwareWindows > 0 && p.Frames < int64(span/(200*time.Millisecond))/2 {
		return fmt.Errorf("the moving bar was presented %d times in %v", p.Frames, span)
	}

	// Input right after a refresh (its frame being painted, or due), with
	// the meters held until the input arrived.
	for i := range 3 {
		select {
		case <-refreshed: // an earlier one
		default:
		}
		<-refreshed
		hold.Lock()
		err := input(fmt.Sprintf("right after refresh %d", i))
		hold.Unlock()
		if err != nil {
			return err
		}
	}
	return nil
}

// xdotool runs xdotool with args.
func xdotool(args ...string) error {
	if out, err := exec.Command("xdotool", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("xdotool %v: %v: %s", args, err, out)
	}
	return nil
}
