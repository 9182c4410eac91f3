//go:build (linux || freebsd || openbsd || netbsd) && !wayland && !wasm && !test_web_driver

package glfw

/*
#cgo LDFLAGS: -lX11
#include <stdint.h>
#include <stdlib.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

// softPresenter is one window's target: its display, visual and a GC, and
// a buffer for the BGRX pixels of the rectangle being put.
typedef struct {
	Display *dpy;
	Window win;
	Visual *visual;
	int depth;
	GC gc;
	char *buf;
	size_t cap;
} softPresenter;

// softInit fills p for win; 0 if its visual is not 24/32-bit TrueColor
// with red, green and blue in bytes 2, 1, 0 of a 32-bit pixel.
static int softInit(softPresenter *p, Display *dpy, Window win) {
	XWindowAttributes attr;
	if (!XGetWindowAttributes(dpy, win, &attr)) return 0;
	Visual *v = attr.visual;
	if ((attr.depth != 24 && attr.depth != 32) || v->class != TrueColor ||
		v->red_mask != 0xff0000 || v->green_mask != 0xff00 || v->blue_mask != 0xff) return 0;
	XImage *probe = XCreateImage(dpy, v, attr.depth, ZPixmap, 0, NULL, 1, 1, 32, 0);
	if (!probe) return 0;
	int ok = probe->bits_per_pixel == 32 && probe->byte_order == LSBFirst;
	probe->data = NULL;
	XDestroyImage(probe);
	if (!ok) return 0;
	p->dpy = dpy;
	p->win = win;
	p->visual = v;
	p->depth = attr.depth;
	p->gc = XCreateGC(dpy, win, 0, NULL);
	p->buf = NULL;
	p->cap = 0;
	return 1;
}

// softPut converts the rectangle x, y, w, h of the RGBA frame pix (stride
// bytes a row) to BGRX and puts it in the window at the same place.
static void softPut(softPresenter *p, const uint8_t *pix, int stride, int x, int y, int w, int h) {
	size_t need = (size_t)w * h * 4;
	if (need > p->cap) {
		free(p->buf);
		p->buf = malloc(need);
		p->cap = p->buf ? need : 0;
		if (!p->buf) return;
	}
	for (int row = 0; row < h; row++) {
		const uint8_t *s = pix + (size_t)(y + row) * stride + (size_t)x * 4;
		uint8_t *d = (uint8_t *)p->buf + (size_t)row * w * 4;
		for (int i = 0; i < w; i++, s += 4, d += 4) {
			d[0] = s[2];
			d[1] = s[1];
			d[2] = s[0];
			d[3] = 0xff;
		}
	}
	XImage *img = XCreateImage(p->dpy, p->visual, p->depth, ZPixmap, 0, p->buf, w, h, 32, w * 4);
	if (!img) return;
	XPutImage(p->dpy, p->win, p->gc, img, 0, 0, x, y, w, h);
	img->data = NULL; // the buffer is p's
	XDestroyImage(img);
}

static void softFlush(softPresenter *p) { XFlush(p->dpy); }

static void softDestroy(softPresenter *p) {
	XFreeGC(p->dpy, p->gc);
	free(p->buf);
	p->buf = NULL;
	p->cap = 0;
}
*/
import "C"

import (
	"errors"
	"image"
	"unsafe"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// x11Presenter puts frames into a window with XPutImage, on the display
// connection GLFW has (from the main thread, as GLFW uses it).
type x11Presenter struct {
	p *C.softPresenter
}

// hasSoftwarePresenter: windows here try the software renderer first.
const hasSoftwarePresenter = true

func newSoftwarePresenter(w *glfw.Window) (softwarePresenter, error) {
	dpy := (*C.Display)(unsafe.Pointer(glfw.GetX11Display()))
	win := C.Window(w.GetX11Window())
	if dpy == nil || win == 0 {
		return nil, errors.New("no X11 display or window")
	}
	p := (*C.softPresenter)(C.calloc(1, C.sizeof_softPresenter))
	if C.softInit(p, dpy, win) == 0 {
		C.free(unsafe.Pointer(p))
		return nil, errors.New("the window's X11 visual is not 24/32-bit BGRX TrueColor")
	}
	return &x11Presenter{p: p}, nil
}

func (x *x11Presenter) present(frame *image.NRGBA, rects []image.Rectangle) {
	if len(frame.Pix) == 0 {
		return
	}
	pix := (*C.uint8_t)(unsafe.Pointer(&frame.Pix[0]))
	for _, r := range rects {
		r = r.Intersect(frame.Rect)
		if r.Empty() {
			continue
		}
		r = r.Sub(frame.Rect.Min)
		C.softPut(x.p, pix, C.int(frame.Stride), C.int(r.Min.X), C.int(r.Min.Y), C.int(r.Dx()), C.int(r.Dy()))
	}
	C.softFlush(x.p)
}

func (x *x11Presenter) destroy() {
	if x.p == nil {
		return
	}
	C.softDestroy(x.p)
	C.free(unsafe.Pointer(x.p))
	x.p = nil
}
