package realwindow_test

import (
	"image"
	"image/color"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"

	"github.com/parley-voip/parley/ui"
)

// BenchmarkVideoTile: what a video call's picture costs the app's GUI: a
// window at the app's size filled by one tile as ui/video.go makes it (a
// canvas.Image, ImageFillContain, ImageScaleFastest, over black) whose
// 640×360 YCbCr picture is replaced and refreshed 30 times a second.
// Reported as reportCPU's figures over 10 s after 3 s. Compare the
// renderers with FYNE_RENDERER=gl:
//
//	go test -run '^$' -bench VideoTile -benchtime 1x ./ui/realwindow
func BenchmarkVideoTile(b *testing.B) {
	benchChild(b, "video", int(ui.WindowSize.Width), int(ui.WindowSize.Height))
}

// videoPicture is a 640×360 YCbCr 4:2:0 picture (as the decoder makes),
// a gradient that shifts with n.
func videoPicture(n int) *image.YCbCr {
	p := image.NewYCbCr(image.Rect(0, 0, 640, 360), image.YCbCrSubsampleRatio420)
	for y := range 360 {
		for x := range 640 {
			p.Y[y*p.YStride+x] = uint8(x + y + n)
		}
	}
	for i := range p.Cb {
		p.Cb[i], p.Cr[i] = uint8(i+n), uint8(128-i)
	}
	return p
}

// runVideo shows the tile and replaces its picture at 30 fps.
func runVideo() int {
	a := app.NewWithID("dev.parley.realwindow")
	w := a.NewWindow("video")
	img := canvas.NewImageFromImage(videoPicture(0))
	img.FillMode = canvas.ImageFillContain
	img.ScaleMode = canvas.ImageScaleFastest
	w.SetContent(container.NewStack(canvas.NewRectangle(color.Black), img))
	w.Resize(ui.WindowSize)
	w.Show()
	pictures := []*image.YCbCr{videoPicture(0), videoPicture(40)}
	go func() {
		i := 0
		for range time.Tick(time.Second / 30) {
			i++
			p := pictures[i%2]
			fyne.Do(func() {
				img.Image = p
				img.Refresh()
			})
		}
	}()
	go reportCPU(w, 3*time.Second, 10*time.Second)
	a.Run()
	return 0
}
