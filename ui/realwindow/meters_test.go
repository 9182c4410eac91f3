package realwindow_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	parley "github.com/parley-voip/parley/app"
	"github.com/parley-voip/parley/internal/cputime"
	"github.com/parley-voip/parley/ui"
)

// BenchmarkCallScreenMeters: what the call screen costs the app (its
// process: the GUI's goroutines, Fyne's main thread, Mesa's software GL)
// in a real window under Xvfb, with the level meters and timer moved at a
// given interval with levels that change a step every time (speech), and
// with nothing moving ("still"). Reported as %core over 20 s after 5 s.
// It runs for about 30 s a case whatever -benchtime says.
//
//	go test -run '^$' -bench CallScreenMeters -benchtime 1x ./ui/realwindow
func BenchmarkCallScreenMeters(b *testing.B) {
	for _, every := range []string{"still", "200ms", "100ms"} {
		b.Run(every, func(b *testing.B) {
			benchChild(b, "meters="+every, int(ui.WindowSize.Width), int(ui.WindowSize.Height))
		})
	}
}

// benchChild runs the windowed app mode b.N times and reports the figures
// of its last run (reportCPU's).
func benchChild(b *testing.B, mode string, w, h int) {
	var pct, rss float64
	var groups [3]float64
	for range b.N {
		out := startChild(b, mode, w, h)
		m := regexp.MustCompile(`cpu_pct=([0-9.]+)`).FindSubmatch(out)
		if m == nil {
			b.Fatalf("no figure in the app's output:\n%s", out)
		}
		pct, _ = strconv.ParseFloat(string(m[1]), 64)
		if m := regexp.MustCompile(`rss_mib=([0-9.]+)`).FindSubmatch(out); m != nil {
			rss, _ = strconv.ParseFloat(string(m[1]), 64)
		}
		for i, g := range threadGroups {
			m := regexp.MustCompile(g + `_pct=([0-9.]+)`).FindSubmatch(out)
			if m == nil {
				b.Fatalf("no %s figure in the app's output:\n%s", g, out)
			}
			groups[i], _ = strconv.ParseFloat(string(m[1]), 64)
		}
		if m := regexp.MustCompile(`renderer=\S+ .*`).Find(out); m != nil {
			b.Logf("%s", m)
		}
	}
	b.ReportMetric(pct, "%core")
	b.ReportMetric(rss, "MiB")
	for i, g := range threadGroups {
		b.ReportMetric(groups[i], "%"+g)
	}
	b.ReportMetric(0, "ns/op")
}

// reportCPU prints the process's CPU, by thread group, over span after
// warm, its RSS and what the renderer presented, then closes w.
func reportCPU(w fyne.Window, warm, span time.Duration) {
	time.Sleep(warm)
	c0, th0, t0, p0 := cputime.Process(), threadTimes(), time.Now(), stats()
	time.Sleep(span)
	c1, th1, d := cputime.Process(), threadTimes(), time.Since(t0).Seconds()
	fmt.Printf("cpu_pct=%.2f", 100*(c1-c0).Seconds()/d)
	for _, g := range threadGroups {
		fmt.Printf(" %s_pct=%.2f", g, 100*(th1[g]-th0[g]).Seconds()/d)
	}
	p := stats().Since(p0)
	fmt.Printf(" rss_mib=%.1f renderer=%s frames=%d px_per_frame=%d\n", float64(cputime.RSS())/(1<<20),
		renderer(), p.Frames, p.Pixels/max(p.Frames, 1))
	fyne.Do(w.Close)
}

// callActions is the little a call screen asks of the app here.
type callActions struct{}

func (callActions) Hangup()                           {}
func (callActions) SetMuted(bool)                     {}
func (callActions) SetHeld(bool)                      {}
func (callActions) MarkVerified()                     {}
func (callActions) AudioOptions() parley.AudioOptions { return parley.AudioOptions{} }
func (callActions) SetAudioDevices(_, _ string) error { return nil }

// runMeters shows an E2EE call's screen at the app's window size and moves
// its meters and timer every interval (or never, for "still"), as the app
// does in a call, then prints the process's CPU over the measuring window.
func runMeters(interval string) int {
	ui.TuneMalloc() // as the app's main does
	a := app.NewWithID("dev.parley.realwindow")
	w, s := showCallScreen(a)
	if interval != "still" {
		every, err := time.ParseDuration(interval)
		if err != nil {
			fmt.Println("FAIL:", err)
			return 1
		}
		go func() {
			rng := rand.New(rand.NewPCG(1, 2))
			for now := range time.Tick(every) {
				// Speech: a level that moves by more than a meter step.
				l := parley.Levels{Mic: 0.2 + 0.7*rng.Float64(), Speaker: 0.2 + 0.7*rng.Float64()}
				fyne.Do(func() {
					s.SetLevels(l)
					s.Tick(now)
				})
			}
		}()
	}
	go reportCPU(w, 5*time.Second, 20*time.Second)
	a.Run()
	return 0
}

// threadGroups are the process's threads as threadTimes counts them:
// Fyne's main thread (GL calls, the object tree, Mesa's binning and
// presenting), Mesa's llvmpipe rasterizer threads, and the rest (the Go
// runtime's other threads: goroutines, sysmon, GC).
var threadGroups = []string{"main", "llvmpipe", "other"}

// threadTimes is the user and system time so far of each of threadGroups
// (from /proc/self/task, in clock ticks: 10 ms steps).
func threadTimes() map[string]time.Duration {
	out := map[string]time.Duration{}
	pid := strconv.Itoa(os.Getpid())
	tasks, _ := os.ReadDir("/proc/self/task")
	for _, t := range tasks {
		b, err := os.ReadFile("/proc/self/task/" + t.Name() + "/stat")
		if err != nil {
			continue // the thread ended
		}
		// pid (comm) state ...: comm may hold spaces, so split after ')'.
		st := string(b)
		i := strings.LastIndexByte(st, ')')
		if i < 0 {
			continue
		}
		comm := st[strings.IndexByte(st, '(')+1 : i]
		f := strings.Fields(st[i+1:])
		if len(f) < 13 {
			continue
		}
		ut, _ := strconv.ParseInt(f[11], 10, 64) // utime, field 14
		stt, _ := strconv.ParseInt(f[12], 10, 64)
		g := "other"
		switch {
		case t.Name() == pid:
			g = "main"
		case strings.HasPrefix(comm, "llvmpipe"):
			g = "llvmpipe"
		}
		out[g] += time.Duration(ut+stt) * time.Second / 100 // USER_HZ
	}
	return out
}

// TestMeterStepPresentsLittle: with the software renderer, a step of the
// call screen's level meters presents a few small rectangles, not the
// window.
func TestMeterStepPresentsLittle(t *testing.T) {
	out := startChild(t, "meterstep", int(ui.WindowSize.Width), int(ui.WindowSize.Height))
	t.Logf("app's output:\n%s", out)
	if !bytes.Contains(out, []byte("ok: meter steps presented little")) {
		t.Fatal("the app did not get to the end")
	}
}

// showCallScreen shows an E2EE call's screen at the app's window size.
func showCallScreen(a fyne.App) (fyne.Window, *ui.CallScreen) {
	w := a.NewWindow("meters")
	s := ui.NewCallScreen(callActions{}, func() {}, func() {})
	s.Update(parley.CallInfo{ID: "c1", Peer: parley.Contact{ID: "bob", Name: "Bob"}, Outgoing: true,
		State: parley.CallActive, Started: time.Now(), E2EE: true, E2EENegotiated: true,
		Code: "0123 4567 8901 2345 6789", CodeGroups: [5]string{"0123", "4567", "8901", "2345", "6789"},
		Features: parley.Features(true)})
	w.SetContent(s.Object())
	w.Resize(ui.WindowSize)
	w.Show()
	return w, s
}

// runMeterStep moves the meters a step at a time and prints what each
// step presented.
func runMeterStep() int {
	a := app.NewWithID("dev.parley.realwindow")
	w, s := showCallScreen(a)
	go func() {
		fail := func(err error) {
			fmt.Println("FAIL:", err)
			os.Exit(1)
		}
		if err := waitIdle(); err != nil {
			fail(err)
		}
		if renderer() != "software" {
			fail(errors.New("the window does not paint in software"))
		}
		window := int64(ui.WindowSize.Width * ui.WindowSize.Height)
		for i, l := range []parley.Levels{{Mic: 0.5, Speaker: 0.7}, {Mic: 0.8, Speaker: 0.3}, {Mic: 0.2, Speaker: 0.9}} {
			before := stats()
			fyne.DoAndWait(func() { s.SetLevels(l) })
			if err := waitIdle(); err != nil {
				fail(err)
			}
			p := stats().Since(before)
			fmt.Printf("step %d: %d frames, %d rectangles, %d pixels of the window's %d\n", i, p.Frames, p.Rects, p.Pixels, window)
			if p.Frames == 0 || p.Rects > 4*p.Frames || p.Pixels > window/20 {
				fail(fmt.Errorf("a meter step presented %d rectangles, %d pixels, in %d frames", p.Rects, p.Pixels, p.Frames))
			}
		}
		fmt.Println("ok: meter steps presented little")
		fyne.Do(w.Close)
	}()
	a.Run()
	return 0
}
