//go:build linux && !wayland && !wasm && !test_web_driver

package glfw

/*
#cgo LDFLAGS: -lX11
#include <X11/Xlib.h>

// xQueued flushes the display's output, reads what input its connection
// has and says how many events Xlib holds that GLFW has not handled.
static int xQueued(Display *dpy) { return XEventsQueued(dpy, QueuedAfterFlush); }

static int xConnection(Display *dpy) { return ConnectionNumber(dpy); }
*/
import "C"

import (
	"errors"
	"os"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"fyne.io/fyne/v2"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// framePeriod is the shortest time between two frames: windows are
// repainted, and animations tick, at most 60 times a second.
const framePeriod = time.Second / 60

var (
	// goWait is set while runLoop waits in Go (not tickLoop).
	goWait atomic.Bool
	// wakeCh is how wakeMain wakes runLoop.
	wakeCh = make(chan struct{}, 1)
)

// wakeLoop wakes runLoop from its select, or tickLoop from waitEvents.
func wakeLoop() {
	if !goWait.Load() {
		postEmptyEvent()
		return
	}
	select {
	case wakeCh <- struct{}{}:
	default:
	}
}

// runLoop is the main loop on X11. Between pieces of work the main
// goroutine waits in Go, in one select, for: a queued function; input on
// the X connection (xInput); wakeMain (an animation started); the next
// frame, only while one is due (something happened since the last frame, or
// an animation runs); the driver's end. A frame is due after any of these;
// it runs at once if the last was at least framePeriod ago, otherwise when
// the frame timer fires, so that repaints are coalesced to 60 a second and
// nothing ticks while nothing happens. Before it waits, Xlib's queue must be
// empty and its output flushed (xQueued): an event Xlib has already read
// would not make the connection readable.
func (d *gLDriver) runLoop() {
	dpy := (*C.Display)(unsafe.Pointer(glfw.GetX11Display()))
	if dpy == nil {
		d.tickLoop()
		return
	}
	in, err := watchInput(int(C.xConnection(dpy)))
	if err != nil {
		fyne.LogError("cannot wait for the X connection's input; the main loop ticks", err)
		d.tickLoop()
		return
	}
	goWait.Store(true)

	frameTimer := time.NewTimer(framePeriod)
	frameTimer.Stop()
	var next time.Time // the earliest time of the next frame
	due := true        // a frame is due
	for {
		if due && !time.Now().Before(next) {
			for len(funcQueue.Out()) > 0 { // the rest of a burst, painted in this frame
				(<-funcQueue.Out()).run()
			}
			d.frame()
			next = time.Now().Add(framePeriod)
			due = d.animation.Running() || d.windowsPending()
		}
		if C.xQueued(dpy) > 0 {
			d.pollEvents()
			due = true
			continue
		}

		// What to wait for. idle is set before animations are looked at:
		// one started after it makes wakeMain wake the select.
		idle.Store(true)
		due = due || d.animation.Running()
		var frameC <-chan time.Time
		if due {
			frameTimer.Reset(time.Until(next))
			frameC = frameTimer.C
		}
		select {
		case <-d.done:
			frameTimer.Stop()
			in.close()
			d.stop()
			return
		case f := <-funcQueue.Out():
			f.run()
		case <-in.ready:
			d.pollEvents()
			in.rearm()
		case <-wakeCh:
		case <-frameC:
		}
		idle.Store(false)
		frameTimer.Stop()
		due = true
	}
}

// windowsPending says whether a frame left work for the next: a window
// whose content asked for more room, or a visible window made dirty while
// it was painted.
func (d *gLDriver) windowsPending() bool {
	for _, win := range d.windows {
		w := win.(*window)
		if w.closing {
			continue
		}
		if w.shouldExpand {
			return true
		}
		if w.visible && !w.minimised && w.canvas.IsDirty() {
			return true
		}
	}
	return false
}

// xInput tells when the X connection has input, waiting in the Go
// netpoller on a duplicate of its (non-blocking) descriptor: ready receives
// once the connection is readable, and the watcher waits again only after
// rearm, once the loop has read the input (pollEvents).
type xInput struct {
	file  *os.File
	conn  syscall.RawConn
	ready chan struct{}
	arm   chan struct{}
}

func watchInput(fd int) (*xInput, error) {
	flags, _, errno := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_GETFL, 0)
	if errno != 0 {
		return nil, errno
	}
	if flags&syscall.O_NONBLOCK == 0 {
		return nil, errors.New("the X connection is not non-blocking")
	}
	dup, err := syscall.Dup(fd)
	if err != nil {
		return nil, err
	}
	syscall.CloseOnExec(dup)
	f := os.NewFile(uintptr(dup), "X connection")
	if err := f.SetReadDeadline(time.Time{}); err != nil { // os.ErrNoDeadline: not in the netpoller
		f.Close()
		return nil, err
	}
	conn, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	in := &xInput{file: f, conn: conn, ready: make(chan struct{}, 1), arm: make(chan struct{}, 1)}
	in.arm <- struct{}{}
	go in.watch()
	return in, nil
}

// watch waits for the connection to be readable each time it is armed.
func (in *xInput) watch() {
	var b [1]byte
	readable := func(fd uintptr) bool {
		_, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		return err != syscall.EAGAIN
	}
	for range in.arm {
		err := in.conn.Read(readable) // false: waits for readability, then asks again
		select {
		case in.ready <- struct{}{}:
		default:
		}
		if err != nil { // closed
			return
		}
	}
}

func (in *xInput) rearm() {
	select {
	case in.arm <- struct{}{}:
	default:
	}
}

func (in *xInput) close() {
	in.file.Close()
	close(in.arm)
}
