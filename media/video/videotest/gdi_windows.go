//go:build windows && cgo

package videotest

/*
#cgo LDFLAGS: -lgdi32 -luser32
#include <windows.h>

// parley_paint_screen draws width×height top-down BGRX rows at the screen's
// top left, straight onto the desktop's DC. 0 on failure.
static int parley_paint_screen(int width, int height, const void *pix) {
	HDC dc = GetDC(NULL);
	if (dc == NULL) return 0;
	BITMAPINFO bi;
	ZeroMemory(&bi, sizeof bi);
	bi.bmiHeader.biSize = sizeof bi.bmiHeader;
	bi.bmiHeader.biWidth = width;
	bi.bmiHeader.biHeight = -height;
	bi.bmiHeader.biPlanes = 1;
	bi.bmiHeader.biBitCount = 32;
	bi.bmiHeader.biCompression = BI_RGB;
	int n = SetDIBitsToDevice(dc, 0, 0, width, height, 0, 0, 0, height, pix, &bi, DIB_RGB_COLORS);
	GdiFlush();
	ReleaseDC(NULL, dc);
	return n == height;
}
*/
import "C"

import (
	"image"
	"testing"
	"unsafe"
)

// PaintScreen draws img at the top left of the Windows screen through GDI
// (under Wine: of the X display Wine draws on). Whatever repaints the
// desktop may paint over it: callers check what a capture shows.
func PaintScreen(t testing.TB, img *image.RGBA) {
	t.Helper()
	w, h := img.Rect.Dx(), img.Rect.Dy()
	pix := make([]byte, w*h*4)
	for y := range h {
		row := img.Pix[y*img.Stride:]
		for x := range w {
			px, out := row[4*x:], pix[4*(y*w+x):]
			out[0], out[1], out[2], out[3] = px[2], px[1], px[0], 0
		}
	}
	if C.parley_paint_screen(C.int(w), C.int(h), unsafe.Pointer(&pix[0])) == 0 {
		t.Fatal("SetDIBitsToDevice on the screen failed")
	}
}
