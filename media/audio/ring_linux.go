package audio

// #include "ring_linux.h"
import "C"

import (
	"errors"
	"os"
	"sync/atomic"
	"syscall"
	"unsafe"

	"github.com/gen2brain/malgo"
)

// The device callback stays in C. malgo calls into Go once per audio
// period, from miniaudio's own thread; on return that thread keeps its P
// in the syscall state for the 20 ms until the next period, and the Go
// runtime's sysmon thread, retaking it each time, never sleeps longer than
// 20 µs (about 1,800 wake-ups a second in a call, 3.5 % of a core under
// make bench-peer). Instead, parley_ring_data (ring_linux.c) copies
// captured samples into a ring and wakes a goroutine through an eventfd,
// which the Go netpoller waits on like a socket; the goroutine runs the
// Callbacks and writes the playback frames into the other ring.
//
// Latency stays as it was: when a period needs playback that is not
// there, the audio thread wakes the goroutine and waits for it (at most
// ringTimeout, then it plays silence), so the frame played is pulled when
// the period needs it, exactly as a Go callback on the audio thread did.
// A captured frame waits for the next playback pull, whose wake-up takes it
// too, when that pull is the next request; otherwise (the ring still holds
// a request's worth of playback, so no pull falls due while Go encodes it
// unless the next request is larger, or playback is not pulling in step:
// PARLEY_CAPTURE_WAKE) it wakes Go at once: once or twice a frame. Go
// makes no cgo call in steady state: the rings' counters are read and
// written with atomics on the C memory.

// ringSamples is each ring's capacity (C's PARLEY_RING_SAMPLES).
const ringSamples = C.PARLEY_RING_SAMPLES

// ring is one device's pair of rings and the goroutine that serves them.
type ring struct {
	c          *C.parley_ring
	wake, done *os.File
	stop       atomic.Bool
	exited     chan struct{}
	capFrame   [FrameSamples]int16
	playFrame  [FrameSamples]int16
}

// newRing allocates the C side, whose audio thread waits timeout ms for
// Go's playback frame (ringTimeout on a device); userData is what the
// device config's pUserData must be for install to recognise the device.
func newRing(timeout int) (*ring, error) {
	c := C.parley_ring_new(C.int(timeout))
	if c == nil {
		return nil, errors.New("audio: allocate the device ring")
	}
	return &ring{c: c}, nil
}

func (r *ring) userData() *byte { return (*byte)(unsafe.Pointer(r.c)) }

// install replaces malgo's Go data callback on dev with the C one; false
// when dev's layout is not the one ring_linux.c expects (then malgo's
// callback stays, and nothing else changes).
func (r *ring) install(dev *malgo.Device) bool {
	// malgo.Device is struct{ ptr *unsafe.Pointer }, *ptr the ma_device.
	p := *(**unsafe.Pointer)(unsafe.Pointer(dev))
	if p == nil || *p == nil {
		return false
	}
	return C.parley_ring_install(*p, r.c) == 1
}

// start empties the rings and starts the goroutine that serves them, with
// the Callbacks current at each wake-up (cb).
func (r *ring) start(cb *atomic.Pointer[Callbacks]) {
	C.parley_ring_reset(r.c)
	r.stop.Store(false)
	r.exited = make(chan struct{})
	// Fresh *os.File each start: closing one on stop is what interrupts a
	// pending read in the netpoller.
	r.wake = os.NewFile(uintptr(dup(int(r.c.wake_fd))), "audio-wake")
	r.done = os.NewFile(uintptr(dup(int(r.c.done_fd))), "audio-done")
	go r.serve(cb)
}

// halt stops the goroutine, after the device has stopped calling back.
func (r *ring) halt() {
	if r.exited == nil {
		return
	}
	r.stop.Store(true)
	_ = r.wake.Close() // interrupts the read
	<-r.exited
	_ = r.done.Close()
	r.exited = nil
}

// free releases the C side; the device must be uninitialised first.
func (r *ring) free() {
	r.halt()
	C.parley_ring_free(r.c)
	r.c = nil
}

func (r *ring) serve(cb *atomic.Pointer[Callbacks]) {
	defer close(r.exited)
	var buf [8]byte
	for !r.stop.Load() {
		if _, err := r.wake.Read(buf[:]); err != nil {
			return
		}
		r.service(cb.Load())
	}
}

func (r *ring) counter(p *C.uint64_t) *uint64 { return (*uint64)(unsafe.Pointer(p)) }

// service takes every whole captured frame, then writes playback frames
// until the audio thread's request is met.
func (r *ring) service(cb *Callbacks) {
	capBuf := unsafe.Slice((*int16)(unsafe.Pointer(&r.c.cap[0])), ringSamples)
	playBuf := unsafe.Slice((*int16)(unsafe.Pointer(&r.c.play[0])), ringSamples)
	capW, capR := r.counter(&r.c.cap_w), r.counter(&r.c.cap_r)
	for rd := atomic.LoadUint64(capR); atomic.LoadUint64(capW)-rd >= FrameSamples; rd += FrameSamples {
		ringCopy(r.capFrame[:], capBuf, rd)
		atomic.StoreUint64(capR, rd+FrameSamples)
		if cb != nil && cb.Capture != nil {
			cb.Capture(r.capFrame[:])
		}
	}
	playW, playR, req := r.counter(&r.c.play_w), r.counter(&r.c.play_r), r.counter(&r.c.play_req)
	wrote := false
	for w := atomic.LoadUint64(playW); w < atomic.LoadUint64(req) && w+FrameSamples-atomic.LoadUint64(playR) <= ringSamples; w += FrameSamples {
		clear(r.playFrame[:])
		if cb != nil && cb.Playback != nil {
			cb.Playback(r.playFrame[:])
		}
		ringPut(playBuf, w, r.playFrame[:])
		atomic.StoreUint64(playW, w+FrameSamples)
		wrote = true
	}
	if wrote {
		one := [8]byte{1}
		_, _ = r.done.Write(one[:])
	}
	// The audio thread has its frames: what is left of this wake-up (the
	// captured frames' encoding) no longer delays playback.
	if cb != nil && cb.AfterPeriod != nil {
		cb.AfterPeriod()
	}
}

// ringCopy copies len(dst) samples from ring at position pos.
func ringCopy(dst, ring []int16, pos uint64) {
	at := int(pos % uint64(len(ring)))
	n := copy(dst, ring[at:])
	copy(dst[n:], ring)
}

// ringPut copies src into ring at position pos.
func ringPut(ring []int16, pos uint64, src []int16) {
	at := int(pos % uint64(len(ring)))
	n := copy(ring[at:], src)
	copy(ring, src[n:])
}

func (r *ring) stats() ringStats {
	return ringStats{
		CaptureDropped: atomic.LoadUint64(r.counter(&r.c.cap_dropped)),
		PlaybackShort:  atomic.LoadUint64(r.counter(&r.c.play_short)),
		Wakes:          atomic.LoadUint64(r.counter(&r.c.wakes)),
	}
}

// dup duplicates fd, close-on-exec; the copy shares the eventfd's
// non-blocking mode, so os.NewFile makes it pollable.
func dup(fd int) int {
	nfd, _, errno := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_DUPFD_CLOEXEC, 0)
	if errno != 0 {
		return -1
	}
	return int(nfd)
}

// call runs the C device callback on the calling thread with in and out
// (either may be nil; equal lengths otherwise), as miniaudio would.
func (r *ring) call(out, in []int16) {
	n := max(len(out), len(in))
	var po, pi *C.int16_t
	if out != nil {
		po = (*C.int16_t)(unsafe.Pointer(unsafe.SliceData(out)))
	}
	if in != nil {
		pi = (*C.int16_t)(unsafe.Pointer(unsafe.SliceData(in)))
	}
	C.parley_ring_call(r.c, po, pi, C.uint32_t(n))
}
