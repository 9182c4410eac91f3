package audio

import (
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/gen2brain/malgo"
)

// Backend selects the sound system a MalgoDevice opens.
type Backend int

const (
	// BackendDefault tries the OS's sound systems in miniaudio's priority
	// order (WASAPI, Core Audio, PulseAudio, ALSA, …) and falls back to the
	// null backend when none can open a device.
	BackendDefault Backend = iota
	// BackendNull is miniaudio's null backend: no sound, but its own thread
	// calls back in real time, so a call runs exactly as with a sound card.
	BackendNull
	// BackendPulseAudio opens PulseAudio (or PipeWire's PulseAudio server)
	// only, with no fallback: for choosing among its sinks and sources by
	// ID, and for the tests that run a private PulseAudio server.
	BackendPulseAudio
)

// maBackendPulseAudio is miniaudio's ma_backend_pulseaudio.
const maBackendPulseAudio = malgo.Backend(7)

// malgo v0.11.24 declares its Backend constants with iota and skips
// miniaudio's ma_backend_custom (miniaudio.h: wasapi = 0 … webaudio = 12,
// custom = 13, null = 14). So the Go constant malgo.BackendNull is 13, which
// miniaudio reads as the *custom* backend ("callbacks defined by the context
// config"; with none defined it opens nothing), and the real null backend is
// malgo.Backend(14). TestMalgoBackendNullIsCustom pins this down.
const (
	maBackendCustom = malgo.Backend(13)
	maBackendNull   = malgo.Backend(14)
)

// maBackendNames are miniaudio's backends in priority order (ma_backend).
var maBackendNames = [...]string{
	"wasapi", "dsound", "winmm", "coreaudio", "sndio", "audio4", "oss",
	"pulseaudio", "alsa", "jack", "aaudio", "opensl", "webaudio",
}

// Option configures OpenDefault and Devices.
type Option func(*malgoOptions)

type malgoOptions struct {
	backend  Backend
	capture  *malgo.DeviceID
	playback *malgo.DeviceID
	// playbackOnly opens no capture side (the ringer's device).
	playbackOnly bool
	err          error
}

// WithBackend chooses the sound system (default BackendDefault).
func WithBackend(b Backend) Option { return func(o *malgoOptions) { o.backend = b } }

// WithCaptureDevice opens the capture device with this Endpoint.ID instead
// of the system default.
func WithCaptureDevice(id string) Option {
	return func(o *malgoOptions) { o.capture = o.parseID(id) }
}

// WithPlaybackDevice opens the playback device with this Endpoint.ID
// instead of the system default.
func WithPlaybackDevice(id string) Option {
	return func(o *malgoOptions) { o.playback = o.parseID(id) }
}

// PlaybackOnly opens only the playback side: no microphone is opened, and
// Callbacks.Capture is never called. The ringer uses it for a second
// output, open only while a call rings.
func PlaybackOnly() Option { return func(o *malgoOptions) { o.playbackOnly = true } }

func (o *malgoOptions) parseID(id string) *malgo.DeviceID {
	b, err := hex.DecodeString(id)
	var dev malgo.DeviceID
	if err != nil || len(b) > len(dev) {
		o.err = fmt.Errorf("%w: %q", ErrDeviceID, id)
		return nil
	}
	copy(dev[:], b) // Endpoint.ID drops trailing zero bytes; the array restores them
	return &dev
}

func newMalgoOptions(opts []Option) (malgoOptions, error) {
	var o malgoOptions
	for _, opt := range opts {
		opt(&o)
	}
	if o.backend < BackendDefault || o.backend > BackendPulseAudio {
		return o, fmt.Errorf("%w: %d", ErrBackend, int(o.backend))
	}
	return o, o.err
}

// candidates lists the backends to try, best first.
func (o malgoOptions) candidates() []malgo.Backend {
	switch o.backend {
	case BackendNull:
		return []malgo.Backend{maBackendNull}
	case BackendPulseAudio:
		return []malgo.Backend{maBackendPulseAudio}
	}
	list := make([]malgo.Backend, len(maBackendNames))
	for i := range list {
		list[i] = malgo.Backend(i)
	}
	return list
}

func backendName(b malgo.Backend) string {
	switch {
	case int(b) < len(maBackendNames):
		return maBackendNames[b]
	case b == maBackendCustom:
		return "custom"
	case b == maBackendNull:
		return "null"
	}
	return "unknown"
}

// Info says which sound system a MalgoDevice ended up on.
type Info struct {
	Backend string // miniaudio's name: "pulseaudio", "wasapi", "null", …
	// NoDevice is true on the null backend: the call works but nothing is
	// heard or captured, and the UI should say "no audio device".
	NoDevice bool
	// Fallback is why no real device could be opened, when OpenDefault
	// fell back to the null backend; nil otherwise.
	Fallback error
}

// MalgoDevice is a full-duplex sound card through miniaudio (malgo), at
// 48 kHz mono 16-bit, delivering exact 20 ms frames whatever chunk size the
// driver uses. Close it when done: it owns a native audio thread.
type MalgoDevice struct {
	info    Info
	backend malgo.Backend // the one it opened on
	opts    malgoOptions  // what it was opened with, for Reopen

	mu      sync.Mutex
	ctx     *malgo.AllocatedContext
	dev     *malgo.Device
	started bool
	// stopping is set while Stop runs: miniaudio reports an explicit stop
	// through the same notification as a lost device.
	stopping atomic.Bool

	cb       atomic.Pointer[Callbacks]
	assemble frameAssembler // used only on the audio thread
	split    frameSplitter  // used only on the audio thread
	// ring keeps the audio thread out of Go (ring_linux.go); nil where
	// it is not available, and then malgo's Go callback, data, runs.
	ring *ring
}

// OpenDefault opens the default capture and playback devices (or those
// chosen by options). With BackendDefault, when no sound system can open a
// device, it opens the null backend instead and reports that in Info.
func OpenDefault(opts ...Option) (*MalgoDevice, error) {
	o, err := newMalgoOptions(opts)
	if err != nil {
		return nil, err
	}
	d := &MalgoDevice{split: newFrameSplitter()}
	var errs []error
	for _, b := range o.candidates() {
		err := d.open(b, o)
		if err == nil {
			d.info = Info{Backend: backendName(b), NoDevice: b == maBackendNull}
			d.backend, d.opts = b, o
			return d, nil
		}
		if !errors.Is(err, malgo.ErrNoBackend) { // not built for this OS: not worth reporting
			errs = append(errs, fmt.Errorf("%s: %w", backendName(b), err))
		}
	}
	if o.backend != BackendDefault {
		return nil, fmt.Errorf("audio: open %s backend: %w", backendName(o.candidates()[0]), errors.Join(errs...))
	}
	fallback := ErrNoDevice
	if len(errs) > 0 {
		fallback = fmt.Errorf("%w: %w", ErrNoDevice, errors.Join(errs...))
	}
	if err := d.open(maBackendNull, malgoOptions{playbackOnly: o.playbackOnly}); err != nil {
		return nil, fmt.Errorf("audio: open null backend after %w: %w", fallback, err)
	}
	d.info = Info{Backend: "null", NoDevice: true, Fallback: fallback}
	d.backend = maBackendNull
	return d, nil
}

// Reopen opens a new device on the same sound system and endpoints as d,
// without falling back: after d was lost, it succeeds if the endpoints are
// back (a headset replugged, a sound server restarted). d is unaffected.
func (d *MalgoDevice) Reopen() (*MalgoDevice, error) {
	nd := &MalgoDevice{split: newFrameSplitter(), backend: d.backend, opts: d.opts,
		info: Info{Backend: d.info.Backend, NoDevice: d.info.NoDevice}}
	if err := nd.open(d.backend, d.opts); err != nil {
		return nil, fmt.Errorf("audio: reopen %s device: %w", d.info.Backend, err)
	}
	return nd, nil
}

// open initialises a context on one backend and a duplex (or playback)
// device on it.
func (d *MalgoDevice) open(b malgo.Backend, o malgoOptions) error {
	ctx, err := malgo.InitContext([]malgo.Backend{b}, malgo.ContextConfig{}, nil)
	if err != nil {
		return fmt.Errorf("init context: %w", err)
	}
	kind := malgo.Duplex
	if o.playbackOnly {
		kind = malgo.Playback
	}
	cfg := malgo.DefaultDeviceConfig(kind)
	cfg.SampleRate = SampleRate
	// Asking for 20 ms periods makes most drivers call back with whole
	// frames, so the re-framers usually just pass data through (PulseAudio
	// playback asks in half periods: the ring re-frames).
	cfg.PeriodSizeInFrames = FrameSamples
	cfg.Capture.Format, cfg.Capture.Channels = malgo.FormatS16, Channels
	cfg.Playback.Format, cfg.Playback.Channels = malgo.FormatS16, Channels
	// miniaudio reads the device IDs during init only; pinning lets the
	// config carry Go pointers across the cgo call.
	var pin runtime.Pinner
	defer pin.Unpin()
	if o.capture != nil && !o.playbackOnly {
		pin.Pin(o.capture)
		cfg.Capture.DeviceID = unsafe.Pointer(o.capture)
	}
	if o.playback != nil {
		pin.Pin(o.playback)
		cfg.Playback.DeviceID = unsafe.Pointer(o.playback)
	}
	r, rerr := newRing(ringTimeout)
	if rerr == nil {
		cfg.PUserData = r.userData()
		// The ring takes any chunk size, in C, so miniaudio need not
		// re-chunk; on PulseAudio this also makes a duplex device deliver
		// capture and playback in separate calls, as each stream's data
		// comes, instead of through miniaudio's duplex buffer, which held
		// captured audio back 30-35 ms, and asks for playback in half
		// periods rather than the server's quarter periods, half as many
		// wake-ups of the client thread (third_party/malgo.patch). Without
		// the ring (other OSes) the Go callback keeps whole periods: any
		// smaller chunk would be one more C→Go call.
		cfg.NoFixedSizedCallback = 1
	}
	dev, err := malgo.InitDevice(ctx.Context, cfg, malgo.DeviceCallbacks{Data: d.data, Stop: d.onStop})
	if err != nil {
		if r != nil {
			r.free()
		}
		_ = ctx.Uninit()
		ctx.Free()
		return fmt.Errorf("init device: %w", err)
	}
	if r != nil && !r.install(dev) {
		r.free()
		r = nil
	}
	d.ctx, d.dev, d.ring = ctx, dev, r
	return nil
}

// EchoFree reports whether the device cannot echo: true on the null
// backend, which neither plays nor captures anything.
func (d *MalgoDevice) EchoFree() bool { return d.info.NoDevice }

// CallsAfterPeriod reports whether the device calls Callbacks.AfterPeriod:
// it does when its callbacks run on the goroutine that serves the device
// ring (Linux), not when malgo calls them on miniaudio's audio thread.
func (d *MalgoDevice) CallsAfterPeriod() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.ring != nil
}

// Stats returns the device ring's glitch counters (Linux; zero where
// malgo's Go callback runs, which counts none).
func (d *MalgoDevice) Stats() DeviceStats {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ring == nil {
		return DeviceStats{}
	}
	st := d.ring.stats()
	return DeviceStats{PlaybackLate: st.PlaybackShort, CaptureDropped: st.CaptureDropped}
}

// Info reports the backend in use and whether it is a fallback.
func (d *MalgoDevice) Info() Info { return d.info }

// Start begins calling cb once per frame (see Callbacks for the thread).
func (d *MalgoDevice) Start(cb Callbacks) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dev == nil {
		return ErrClosed
	}
	if d.started {
		return ErrStarted
	}
	// The audio thread is idle until dev.Start, so the framers can be reset.
	d.assemble = frameAssembler{}
	d.split = newFrameSplitter()
	d.cb.Store(&cb)
	d.stopping.Store(false)
	if d.ring != nil {
		d.ring.start(&d.cb)
	}
	if err := d.dev.Start(); err != nil {
		d.cb.Store(nil)
		if d.ring != nil {
			d.ring.halt()
		}
		return fmt.Errorf("audio: start %s device: %w", d.info.Backend, err)
	}
	d.started = true
	return nil
}

// Stop halts the device; it returns after the last callback has finished.
func (d *MalgoDevice) Stop() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dev == nil || !d.started {
		return nil
	}
	d.started = false
	d.stopping.Store(true)
	err := d.dev.Stop()
	if d.ring != nil {
		d.ring.halt()
	}
	d.cb.Store(nil)
	if err != nil {
		return fmt.Errorf("audio: stop %s device: %w", d.info.Backend, err)
	}
	return nil
}

// Close stops the device and frees the native context. It is idempotent.
func (d *MalgoDevice) Close() error {
	if err := d.Stop(); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dev == nil {
		return nil
	}
	d.dev.Uninit()
	if d.ring != nil {
		d.ring.free()
		d.ring = nil
	}
	err := d.ctx.Uninit()
	d.ctx.Free()
	d.dev, d.ctx = nil, nil
	if err != nil {
		return fmt.Errorf("audio: close context: %w", err)
	}
	return nil
}

// onStop is miniaudio's stop notification, on its worker thread, both for
// Stop (which holds mu and waits for that thread: no locking here) and for
// a device the system stopped. Only the latter is reported, from a new
// goroutine, as miniaudio forbids stopping a device from its own thread.
func (d *MalgoDevice) onStop() {
	if d.stopping.Load() {
		return
	}
	go d.lost(d.cb.Load())
}

// lost marks the device stopped, unless Stop or a restart got there first,
// and tells the callbacks that were running.
func (d *MalgoDevice) lost(cb *Callbacks) {
	d.mu.Lock()
	if !d.started || d.stopping.Load() || d.cb.Load() != cb || cb == nil {
		d.mu.Unlock()
		return
	}
	d.started = false
	d.stopping.Store(true)
	if d.ring != nil {
		d.ring.halt() // the device has stopped: no callback waits for it
	}
	d.cb.Store(nil)
	d.mu.Unlock()
	if cb.Lost != nil {
		cb.Lost(fmt.Errorf("%w: %s", ErrDeviceLost, d.info.Backend))
	}
}

// data is malgo's callback, on miniaudio's real-time thread, where the
// device ring is not in use: it must neither block nor allocate.
func (d *MalgoDevice) data(out, in []byte, _ uint32) {
	cb := d.cb.Load()
	if cb == nil {
		clear(out)
		return
	}
	if len(in) > 0 && cb.Capture != nil {
		d.assemble.write(s16(in), cb.Capture)
	}
	if len(out) > 0 {
		if cb.Playback == nil {
			clear(out)
			return
		}
		d.split.read(s16(out), cb.Playback)
	}
}

// s16 views a native-endian S16 buffer from miniaudio as samples.
func s16(b []byte) []int16 {
	return unsafe.Slice((*int16)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/2)
}

// Endpoint is a capture or playback device as the sound system names it.
type Endpoint struct {
	ID      string // pass to WithCaptureDevice / WithPlaybackDevice
	Name    string
	Default bool
}

// DeviceList is what Devices found on one sound system.
type DeviceList struct {
	Backend  string
	Capture  []Endpoint
	Playback []Endpoint
}

// Devices lists the capture and playback devices of the first sound system
// that has any (the null backend's single pseudo-device if none has).
func Devices(opts ...Option) (DeviceList, error) {
	o, err := newMalgoOptions(opts)
	if err != nil {
		return DeviceList{}, err
	}
	candidates := o.candidates()
	if o.backend == BackendDefault {
		candidates = append(candidates, maBackendNull)
	}
	var errs []error
	for _, b := range candidates {
		list, err := listDevices(b)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", backendName(b), err))
			continue
		}
		if len(list.Capture)+len(list.Playback) > 0 {
			return list, nil
		}
	}
	return DeviceList{}, fmt.Errorf("audio: list devices: %w", errors.Join(errs...))
}

func listDevices(b malgo.Backend) (DeviceList, error) {
	ctx, err := malgo.InitContext([]malgo.Backend{b}, malgo.ContextConfig{}, nil)
	if err != nil {
		return DeviceList{}, err
	}
	defer func() {
		_ = ctx.Uninit()
		ctx.Free()
	}()
	list := DeviceList{Backend: backendName(b)}
	for _, kind := range []malgo.DeviceType{malgo.Capture, malgo.Playback} {
		infos, err := ctx.Devices(kind)
		if err != nil {
			return DeviceList{}, err
		}
		eps := make([]Endpoint, 0, len(infos))
		for _, in := range infos {
			eps = append(eps, Endpoint{ID: in.ID.String(), Name: in.Name(), Default: in.IsDefault != 0})
		}
		if kind == malgo.Capture {
			list.Capture = eps
		} else {
			list.Playback = eps
		}
	}
	return list, nil
}
