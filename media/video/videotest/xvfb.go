package videotest

import (
	"bufio"
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-voip/parley/media/video"
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
	path := filepath.Join(t.TempDir(), "root.png")
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
	cmd := exec.Command(bin, "-window", "root", path)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	_ = cmd.Run()
}

// ScreenContent is what a test shows on a virtual screen (PaintRoot): the
// pattern's frame n as RGB, and the I420 picture a lossless capture of it
// gives.
func ScreenContent(p *video.Pattern, n uint32) (*image.RGBA, *image.YCbCr) {
	src := p.Render(n)
	rgb := image.NewRGBA(src.Rect)
	draw.Draw(rgb, rgb.Rect, src, image.Point{}, draw.Src)
	want := video.NewI420(src.Rect.Dx(), src.Rect.Dy())
	video.RGBToI420(want, rgb.Pix, rgb.Stride, video.RGBX)
	return rgb, want
}
