// Package fonts_test holds the tests of how the app's text gets its fonts
// from Fyne (third_party/fyne.patch, the font part; docs/media.md): each
// font parsed once, system fonts only for the runes the bundled fonts lack.
// A package of its own, so that no other test allocates while the heap is
// measured.
package fonts_test

import (
	"fmt"
	"image"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/parley-voip/parley/ui"
)

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestTextStylesShareParsedFonts: a text style Fyne has not drawn before
// (here a tab width of its own, which Fyne caches faces by, as it does an
// underline) costs a face over the fonts already parsed, not a parse of
// its own. Stock Fyne parses the theme's font again for each style, and
// the emoji font (test binaries are built with it): 6 MiB a style; the
// six styles here grew its heap by 36 MiB, against 0.6 MiB with the patch.
func TestTextStylesShareParsedFonts(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(ui.Theme())
	fyne.MeasureText("Parley", 14, fyne.TextStyle{})
	fyne.MeasureText("Parley", 14, fyne.TextStyle{Bold: true})

	before := heapInUse()
	for _, tab := range []int{7, 9, 11} {
		fyne.MeasureText("Parley\tcall", 14, fyne.TextStyle{TabWidth: tab})
		fyne.MeasureText("Parley\tcall", 14, fyne.TextStyle{Bold: true, TabWidth: tab})
	}
	grew := int64(heapInUse()) - int64(before)
	t.Logf("six new text styles: heap %+.2f MiB", float64(grew)/(1<<20))
	if grew > 2<<20 {
		t.Errorf("six new text styles grew the heap by %.1f MiB; want under 2 MiB (faces over fonts parsed once)", float64(grew)/(1<<20))
	}
}

// TestLatinTextLoadsNoSystemFont: text in runes the bundled Noto Sans
// has (as the app's screens are) costs the parse of that font, not a
// system font as well: stock Fyne looked up and parsed the locale's
// system font (DejaVu Sans here, 1.8 MiB) for each style up front. It
// measures the first bold text after a regular one, in a child process
// (this test binary again) whose font caches are empty: 1.5 MiB with the
// patch (Noto Sans Bold, and a face over the emoji font the regular text
// parsed: test binaries are built with it), 8.5 MiB with stock Fyne, and
// 4.0 MiB with the fonts shared but the system font looked up up front.
func TestLatinTextLoadsNoSystemFont(t *testing.T) {
	if os.Getenv("FONTS_TEST_CHILD") == "latin" {
		a := test.NewTempApp(t)
		a.Settings().SetTheme(ui.Theme())
		const text = "Parley — Alice · 12:34 … Ünïcödé"
		fyne.MeasureText(text, 14, fyne.TextStyle{})
		before := heapInUse()
		fyne.MeasureText(text, 14, fyne.TextStyle{Bold: true})
		fmt.Printf("grew=%d\n", int64(heapInUse())-int64(before))
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestLatinTextLoadsNoSystemFont$")
	cmd.Env = append(os.Environ(), "FONTS_TEST_CHILD=latin")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`grew=(-?[0-9]+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no figure in the child's output:\n%s", out)
	}
	grew, _ := strconv.ParseInt(string(m[1]), 10, 64)
	t.Logf("the first bold text: heap %+.2f MiB", float64(grew)/(1<<20))
	if grew > 3<<20 {
		t.Errorf("the first bold Latin text grew the heap by %.1f MiB; want under 3 MiB (Noto Sans Bold parsed, no system font)", float64(grew)/(1<<20))
	}
}

// ink is the number of pixels of img that differ from its top-left one
// (the background).
func ink(img image.Image) int {
	b := img.Bounds()
	bg := img.At(b.Min.X, b.Min.Y)
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if img.At(x, y) != bg {
				n++
			}
		}
	}
	return n
}

// same reports whether two images are pixel for pixel the same.
func same(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

// TestScriptsTheBundledFontLacksUseASystemFont: names in Hebrew, Armenian
// and Georgian, which the bundled Noto Sans does not cover, are drawn with
// a system font that does (DejaVu Sans on Debian), in each style, and not
// as the replacement glyphs a rune no font has gets.
func TestScriptsTheBundledFontLacksUseASystemFont(t *testing.T) {
	const system = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
	if _, err := os.Stat(system); err != nil {
		t.Skipf("no %s here (fonts-dejavu-core): %v", system, err)
	}
	a := test.NewTempApp(t)
	a.Settings().SetTheme(ui.Theme())

	draw := func(s string, style fyne.TextStyle) image.Image {
		text := canvas.NewText(s, ui.Brand)
		text.TextStyle = style
		w := test.NewTempWindow(t, container.NewWithoutLayout(text))
		text.Resize(text.MinSize())
		w.Resize(fyne.NewSize(200, 40))
		return w.Canvas().Capture()
	}
	for _, style := range []fyne.TextStyle{{}, {Bold: true}, {Monospace: true}} {
		// U+E000.. are private use: no font here has them.
		none := draw("\ue000\ue001\ue002\ue003", style)
		for _, name := range []string{"שלום", "Արամ", "ნინო"} {
			got := draw(name, style)
			if ink(got) == 0 {
				t.Errorf("%q in %+v: nothing drawn", name, style)
			}
			if same(got, none) {
				t.Errorf("%q in %+v is drawn as runes no font has (no system font found for it)", name, style)
			}
		}
	}
}
