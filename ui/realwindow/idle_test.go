// Package realwindow_test runs Fyne's GLFW driver, as the app builds it
// (third_party/fyne with its patch: the main loop, the software renderer,
// the fonts, frames that walk only what was refreshed), in a real window
// under Xvfb.
package realwindow_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"

	"github.com/parley-voip/parley/media/video/videotest"
)

// childEnv, when set, makes the test binary run the windowed app (runChild)
// instead of the tests: Fyne's GLFW driver must run on the main goroutine,
// which TestMain has and a test does not.
const childEnv = "PARLEY_REALWINDOW_CHILD"

func TestMain(m *testing.M) {
	switch v := os.Getenv(childEnv); {
	case v == "idle":
		os.Exit(runChild())
	case v == "quit":
		os.Exit(runQuit())
	case v == "software":
		os.Exit(runSoftware())
	case v == "video":
		os.Exit(runVideo())
	case v == "wakes":
		os.Exit(runWakes())
	case v == "meterstep":
		os.Exit(runMeterStep())
	case strings.HasPrefix(v, "meters="):
		os.Exit(runMeters(strings.TrimPrefix(v, "meters=")))
	}
	os.Exit(m.Run())
}

// startChild runs this test binary as the windowed app named by mode (the
// value of childEnv) on a fresh Xvfb of w×h, and returns its output when it
// exits; the test fails if it fails. Xvfb, ImageMagick's import, xdotool
// and python3 come from scripts/setup.sh test: without them the test is
// skipped, except under CI, where it fails. env is more of the app's
// environment (NAME=value).
func startChild(t testing.TB, mode string, w, h int, env ...string) []byte {
	t.Helper()
	for _, tool := range []string{"Xvfb", "import", "xdotool", "python3"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s not installed (scripts/setup.sh test installs it)", tool)
			}
			t.Skipf("%s not installed", tool)
		}
	}
	display := videotest.Xvfb(t, w, h)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$", "-test.bench=^$")
	// Fyne keeps its settings and preferences under XDG_CONFIG_HOME.
	cmd.Env = append(os.Environ(), "DISPLAY="+display, "FYNE_SCALE=1", "XDG_CONFIG_HOME="+t.TempDir(),
		childEnv+"="+mode)
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("app: %v; its output:\n%s", err, out)
	}
	return out
}

// TestIdleLoopWakes: once the app has nothing to do its main thread stops
// waking (on X11 Fyne's loop waits in Go for input or work), and from there a fyne.Do
// from another goroutine runs and is painted, an animation started from
// another goroutine or from fyne.Do ticks to its end or for as long as it
// runs, a resize from outside is repainted, a minimised window is not
// repainted until it is restored, and closing the window quits.
// Each step waits under a deadline far beyond what it needs; a missed
// wake-up leaves the app blocked, so the step never completes. It runs
// with each renderer: software (the default) and GL (FYNE_RENDERER=gl).
func TestIdleLoopWakes(t *testing.T) {
	withEachRenderer(t, "idle", "ok: window closed, app quit")
}

// withEachRenderer runs the windowed app mode on a screenW×screenH screen
// with each renderer, software and GL (FYNE_RENDERER=gl), as a subtest
// each; the app must print "ok: renderer <name>" and end.
func withEachRenderer(t *testing.T, mode, end string) {
	for _, r := range []string{"software", "gl"} {
		t.Run(r, func(t *testing.T) {
			out := startChild(t, mode, screenW, screenH, "FYNE_RENDERER="+r)
			t.Logf("app's output:\n%s", out)
			if !bytes.Contains(out, []byte("ok: renderer "+r+"\n")) {
				t.Errorf("the app did not paint with the %s renderer", r)
			}
			if !bytes.Contains(out, []byte(end)) {
				t.Fatalf("the app did not get to %q", end)
			}
		})
	}
}

// TestQuitFromAnotherGoroutineWhileIdle: the driver's Quit called off the
// main goroutine while the loop is blocked ends the app. (app.Quit closes
// the windows first, through the main loop's queue, which wakes it
// anyway; the driver's Quit alone has only its own wake-up.)
func TestQuitFromAnotherGoroutineWhileIdle(t *testing.T) {
	for _, r := range []string{"software", "gl"} {
		t.Run(r, func(t *testing.T) {
			out := startChild(t, "quit", screenW, screenH, "FYNE_RENDERER="+r)
			if !bytes.Contains(out, []byte("ok: quit")) {
				t.Fatalf("the app exited without quitting:\n%s", out)
			}
		})
	}
}

// runQuit shows a window, waits until the loop is idle and quits from
// another goroutine.
func runQuit() int {
	a := app.NewWithID("dev.parley.realwindow")
	w := a.NewWindow("realwindow")
	w.SetContent(canvas.NewRectangle(red))
	w.Resize(fyne.NewSize(startW, startH))
	w.Show()
	go func() {
		if err := waitIdle(); err != nil {
			fmt.Println("FAIL:", err)
			os.Exit(1)
		}
		fmt.Println("ok: main thread idle; quitting from another goroutine")
		a.Driver().Quit()
	}()
	a.Run()
	fmt.Println("ok: quit")
	return 0
}

const (
	screenW, screenH = 240, 160
	// The window starts smaller than the screen, at its top left corner
	// (there is no window manager to place it), and is grown to the whole
	// screen from outside.
	startW, startH = 160, 100
	// How long each step may take: a missed wake-up never completes it.
	stepDeadline = 30 * time.Second
)

var (
	red   = color.NRGBA{R: 0xff, A: 0xff}
	green = color.NRGBA{G: 0xff, A: 0xff}
	blue  = color.NRGBA{B: 0xff, A: 0xff}
)

// runChild is the windowed app: one window filled by a rectangle, and the
// steps of TestIdleLoopWakes on another goroutine. It prints each step and
// exits non-zero on the first that fails.
func runChild() int {
	a := app.NewWithID("dev.parley.realwindow")
	w := a.NewWindow("realwindow")
	rect := canvas.NewRectangle(red)
	// A raster's generator runs each time it is painted after a refresh:
	// it counts paints.
	var paints atomic.Int64
	raster := canvas.NewRaster(func(w, h int) image.Image {
		paints.Add(1)
		return image.NewUniform(blue)
	})
	raster.Resize(fyne.NewSize(2, 2))
	w.SetPadded(false)
	w.SetContent(container.NewStack(rect, container.NewWithoutLayout(raster)))
	w.Resize(fyne.NewSize(startW, startH))
	w.Show()
	go func() {
		if err := steps(w, rect, raster, &paints); err != nil {
			fmt.Println("FAIL:", err)
			os.Exit(1)
		}
	}()
	a.Run()
	fmt.Println("ok: window closed, app quit")
	return 0
}

func steps(w fyne.Window, rect *canvas.Rectangle, raster *canvas.Raster, paints *atomic.Int64) error {
	mid := image.Pt(startW/2, startH/2)
	step := func(name string, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		fmt.Println("ok:", name)
		return nil
	}
	if err := step("first frame painted", waitPixel(mid, red)); err != nil {
		return err
	}
	fmt.Println("ok: renderer", renderer())
	if err := step("main thread idle", waitIdle()); err != nil {
		return err
	}

	ran := make(chan struct{})
	fyne.Do(func() {
		rect.FillColor = green
		rect.Refresh()
		close(ran)
	})
	if err := step("fyne.Do from another goroutine ran while idle", waitChan(ran)); err != nil {
		return err
	}
	if err := step("its change painted", waitPixel(mid, green)); err != nil {
		return err
	}
	if err := step("main thread idle again", waitIdle()); err != nil {
		return err
	}

	// An animation started from this goroutine (the runner allows it).
	var ticks atomic.Int64
	finished := make(chan struct{})
	anim := fyne.NewAnimation(300*time.Millisecond, func(f float32) {
		ticks.Add(1)
		if f == 1 {
			rect.FillColor = blue
			rect.Refresh()
			close(finished)
		}
	})
	anim.Start()
	if err := step("animation started from another goroutine ran to its end", waitChan(finished)); err != nil {
		return err
	}
	if n := ticks.Load(); n < 3 {
		return fmt.Errorf("the 300 ms animation ticked %d times", n)
	}
	if err := step("its end painted", waitPixel(mid, blue)); err != nil {
		return err
	}
	if err := step("main thread idle after the animation", waitIdle()); err != nil {
		return err
	}

	// One that runs until stopped, started on the main goroutine as a
	// widget's (a progress bar's, an entry's cursor) would be.
	var forever atomic.Int64
	endless := fyne.NewAnimation(time.Second, func(float32) { forever.Add(1) })
	endless.RepeatCount = fyne.AnimationRepeatForever
	fyne.Do(endless.Start)
	err := waitUntil(func() bool { return forever.Load() >= 120 }, "120 ticks of an endless animation")
	if err := step("endless animation keeps ticking", err); err != nil {
		return err
	}
	fyne.Do(endless.Stop)
	if err := step("main thread idle after it stopped", waitIdle()); err != nil {
		return err
	}

	// A resize from outside (an X event, no fyne call) is repainted.
	corner := image.Pt(screenW-10, screenH-10)
	if c, err := pixel(corner); err != nil || c == blue {
		return fmt.Errorf("before the resize the screen's corner is %v (%v), not outside the window", c, err)
	}
	if out, err := exec.Command("xdotool", "search", "--name", "^realwindow$", "windowsize", "%@",
		strconv.Itoa(screenW), strconv.Itoa(screenH)).CombinedOutput(); err != nil {
		return fmt.Errorf("xdotool windowsize: %v: %s", err, out)
	}
	if err := step("resize while idle repainted", waitPixel(corner, blue)); err != nil {
		return err
	}
	if err := step("main thread idle after the resize", waitIdle()); err != nil {
		return err
	}

	// Minimised, as a window manager does it (WM_STATE Iconic; none runs
	// here), the window is not painted however often it changes; restored,
	// it is painted at once.
	if err := setWMState(iconicState); err != nil {
		return err
	}
	before := paints.Load()
	for range 5 {
		fyne.DoAndWait(raster.Refresh)
	}
	if err := waitIdle(); err != nil {
		return err
	}
	if n := paints.Load() - before; n != 0 {
		return fmt.Errorf("the minimised window was painted %d times", n)
	}
	fmt.Println("ok: minimised window not painted")
	if err := setWMState(normalState); err != nil {
		return err
	}
	err = waitUntil(func() bool { return paints.Load() > before }, "paint after restoring")
	if err := step("restored window painted", err); err != nil {
		return err
	}
	if err := step("main thread idle after restoring", waitIdle()); err != nil {
		return err
	}

	fmt.Println("closing the window from another goroutine")
	fyne.Do(w.Close)
	return nil
}

// ICCCM window states.
const (
	normalState = 1
	iconicState = 3
)

// setWMState sets the window's WM_STATE property as a window manager does
// when it minimises or restores it (libX11 through python3's ctypes: xprop
// cannot give the property its own type), which GLFW reports as iconify.
func setWMState(state int) error {
	id, err := exec.Command("xdotool", "search", "--name", "^realwindow$").Output()
	if err != nil {
		return fmt.Errorf("xdotool search: %w", err)
	}
	out, err := exec.Command("python3", "-c", setWMStatePy, strings.TrimSpace(string(id)), strconv.Itoa(state)).CombinedOutput()
	if err != nil {
		return fmt.Errorf("setting WM_STATE: %v: %s", err, out)
	}
	return nil
}

const setWMStatePy = `
import ctypes, sys
x = ctypes.CDLL("libX11.so.6")
x.XOpenDisplay.restype = ctypes.c_void_p
x.XInternAtom.restype = ctypes.c_ulong
d = ctypes.c_void_p(x.XOpenDisplay(None))
if not d.value:
    sys.exit("cannot open display")
atom = ctypes.c_ulong(x.XInternAtom(d, b"WM_STATE", 0))
data = (ctypes.c_long * 2)(int(sys.argv[2]), 0)
x.XChangeProperty(d, ctypes.c_ulong(int(sys.argv[1])), atom, atom, 32, 0, data, 2)
x.XCloseDisplay(d)
`

// waitIdle waits until the main thread (Fyne's loop; its id is the
// process's) has switched out at most twice in half a second: a 60 Hz loop
// switches about 30 times.
func waitIdle() error {
	before, err := mainThreadSwitches()
	if err != nil {
		return err
	}
	var last int64
	deadline := time.Now().Add(stepDeadline)
	for time.Now().Before(deadline) {
		time.Sleep(500 * time.Millisecond)
		now, err := mainThreadSwitches()
		if err != nil {
			return err
		}
		if last = now - before; last <= 2 {
			return nil
		}
		before = now
	}
	return fmt.Errorf("the main thread still switched %d times in the last half second after %v", last, stepDeadline)
}

// mainThreadSwitches is the main thread's voluntary and involuntary
// context switches so far.
func mainThreadSwitches() (int64, error) {
	v, nv, err := mainThreadCounts()
	return v + nv, err
}

// mainThreadCounts is the main thread's voluntary and involuntary context
// switches so far (from /proc/self/task/<pid>/status: the main thread's id
// is the process's).
func mainThreadCounts() (voluntary, involuntary int64, err error) {
	pid := strconv.Itoa(os.Getpid())
	f, err := os.Open("/proc/" + pid + "/task/" + pid + "/status")
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	found := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || (k != "voluntary_ctxt_switches" && k != "nonvoluntary_ctxt_switches") {
			continue
		}
		x, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return 0, 0, err
		}
		if k == "voluntary_ctxt_switches" {
			voluntary = x
		} else {
			involuntary = x
		}
		found++
	}
	if found != 2 {
		return 0, 0, errors.New("no context switch counts in /proc/self/task/<pid>/status")
	}
	return voluntary, involuntary, sc.Err()
}

func waitChan(c <-chan struct{}) error {
	select {
	case <-c:
		return nil
	case <-time.After(stepDeadline):
		return fmt.Errorf("not after %v", stepDeadline)
	}
}

func waitUntil(cond func() bool, what string) error {
	deadline := time.Now().Add(stepDeadline)
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("no %s after %v", what, stepDeadline)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}

// waitPixel waits until the screen shows want at p.
func waitPixel(p image.Point, want color.NRGBA) error {
	var got color.NRGBA
	var err error
	if waitUntil(func() bool {
		got, err = pixel(p)
		return err == nil && got == want
	}, "") != nil {
		return fmt.Errorf("the screen at %v shows %v (%v), not %v, after %v", p, got, err, want, stepDeadline)
	}
	return nil
}

// pixel is the screen's colour at p, captured from the X server
// (ImageMagick's import): what was painted and swapped, not Fyne's model.
func pixel(p image.Point) (color.NRGBA, error) {
	img, err := screen()
	if err != nil {
		return color.NRGBA{}, err
	}
	return color.NRGBAModel.Convert(img.At(p.X, p.Y)).(color.NRGBA), nil
}

// screen is the whole screen, captured from the X server.
func screen() (image.Image, error) {
	out, err := exec.Command("import", "-window", "root", "png:-").Output()
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	return png.Decode(bytes.NewReader(out))
}
