package videotest

import (
	"bufio"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Xvfb starts a virtual X server of w×h at 24 bits on a free display and
// returns its name (":N"); it stops when the test ends. The test is skipped
// where Xvfb is not installed (scripts/setup.sh test installs it).
func Xvfb(t testing.TB, w, h int) string {
	t.Helper()
	bin, err := exec.LookPath("Xvfb")
	if err != nil {
		t.Skip("Xvfb not installed")
	}
	r, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-displayfd", "3", "-nolisten", "tcp", "-screen", "0", strconv.Itoa(w)+"x"+strconv.Itoa(h)+"x24")
	cmd.ExtraFiles = []*os.File{wr}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	wr.Close()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	// Xvfb writes the display number once it accepts clients.
	line, err := bufio.NewReader(r).ReadString('\n')
	r.Close()
	if err != nil {
		t.Fatalf("Xvfb did not start: %v", err)
	}
	return ":" + strings.TrimSpace(line)
}

// PaintRoot shows img as the root window of display (ImageMagick's
// display -window root). Callers check what the screen shows by capturing
// it: display's exit status says nothing useful here.
func PaintRoot(t testing.TB, display string, img image.Image) {
	t.Helper()
	bin, err := exec.LookPath("display")
	if err != nil {
		t.Skip("ImageMagick display not installed")
	}
	path := writePNG(t, img, "root.png")
	cmd := exec.Command(bin, "-window", "root", path)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	_ = cmd.Run()
}

// ShowWindow shows img in a window of its own at (x, y) on display
// (ImageMagick's display, titled title) and returns the window's id, found
// the way a user's picker would find it, by its title (xdotool search).
// The window closes when the test ends. The test is skipped where display
// or xdotool is not installed.
func ShowWindow(t testing.TB, display string, img image.Image, title string, x, y int) uint64 {
	t.Helper()
	bin, err := exec.LookPath("display")
	if err != nil {
		t.Skip("ImageMagick display not installed")
	}
	xdotool, err := exec.LookPath("xdotool")
	if err != nil {
		t.Skip("xdotool not installed")
	}
	path := writePNG(t, img, "window.png")
	env := append(os.Environ(), "DISPLAY="+display)
	cmd := exec.Command(bin, "-title", title, "-geometry", "+"+strconv.Itoa(x)+"+"+strconv.Itoa(y), path)
	cmd.Env = env
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	search := exec.CommandContext(ctx, xdotool, "search", "--sync", "--onlyvisible", "--name", "^"+title+"$")
	search.Env = env
	out, err := search.Output()
	if err != nil {
		t.Fatalf("window %q not found: %v", title, err)
	}
	id, err := strconv.ParseUint(strings.Fields(string(out))[0], 10, 64)
	if err != nil {
		t.Fatalf("xdotool: %q: %v", out, err)
	}
	return id
}

// writePNG writes img as name in the test's temporary directory.
func writePNG(t testing.TB, img image.Image, name string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}
