package media

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/tone"
)

// Engine owns the audio device for the life of the app and connects it to
// at most one call at a time. The device runs between Start and Stop (the
// app runs it from a call's ringing to its end, so an idle app costs no
// audio work); while it runs without a call it plays tones or silence.
type Engine struct {
	cfg Config
	log *slog.Logger

	mu      sync.Mutex // serialises Start, Attach, Detach, Close, SetDevice, device loss
	started bool
	closed  bool
	// ownsDevice: cfg.Device was opened by the engine after a loss, so the
	// engine closes it; a device the app passed in stays the app's.
	ownsDevice bool

	stream atomic.Pointer[Stream]
	tone   atomic.Pointer[tone.Generator]

	echoOn, noiseOn atomic.Bool
	echoPath        atomic.Bool   // the device may echo: see echoFreeDevice
	deviceGen       atomic.Uint64 // counts device changes: the stream wakes its echo canceller
	deviceSends     atomic.Bool   // the device calls Callbacks.AfterPeriod: see Stream.sendQueued
	capMeter        *meter
	playMeter       *meter

	// Device thread only.
	toneBuf []int16
	far     []int16 // the last frame played: the echo canceller's reference
}

// NewEngine validates cfg and returns an engine; the device starts with Start.
func NewEngine(cfg Config) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	e := &Engine{cfg: cfg, log: cfg.Logger, capMeter: newMeter(), playMeter: newMeter(),
		far: make([]int16, audio.FrameSamples*audio.Channels)}
	e.echoOn.Store(!cfg.EchoCancellationOff)
	e.useDevice(cfg.Device)
	e.noiseOn.Store(!cfg.NoiseSuppressionOff)
	return e, nil
}

// SetEchoCancellation switches acoustic echo cancellation (on by default);
// it takes effect from the next frame, in or out of a call.
func (e *Engine) SetEchoCancellation(on bool) { e.echoOn.Store(on) }

// EchoCancellation reports whether echo cancellation is on.
func (e *Engine) EchoCancellation() bool { return e.echoOn.Load() }

// SetNoiseSuppression switches noise suppression (on by default).
func (e *Engine) SetNoiseSuppression(on bool) { e.noiseOn.Store(on) }

// NoiseSuppression reports whether noise suppression is on.
func (e *Engine) NoiseSuppression() bool { return e.noiseOn.Load() }

// Levels returns the current level of each direction, for the UI's meters;
// it never blocks and may be called at any rate.
func (e *Engine) Levels() Levels {
	return Levels{Capture: e.capMeter.level(), Playback: e.playMeter.level()}
}

// DeviceStats returns the current device's glitch counters (zero for a
// device that counts none): late playback played as silence, captured
// samples dropped. They start again from zero on a device the engine
// moves to.
func (e *Engine) DeviceStats() audio.DeviceStats {
	e.mu.Lock()
	d := e.cfg.Device
	e.mu.Unlock()
	if sr, ok := d.(audio.StatsReporter); ok {
		return sr.Stats()
	}
	return audio.DeviceStats{}
}

// SetDevice moves the engine to another sound device (the user picked one
// in Settings, or the old one is gone) without dropping the call: the old
// device is stopped, the new one started with the same callbacks, and the
// attached stream carries on; the jitter buffer absorbs the gap. The old
// device is returned to the caller, who owns it (close it if it is a
// MalgoDevice), also when the engine had opened it after a loss. If the new
// device fails to start, the old one is restarted.
func (e *Engine) SetDevice(d audio.Device) (old audio.Device, err error) {
	if d == nil {
		return nil, fmt.Errorf("%w: no Device", ErrInvalidConfig)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil, ErrClosed
	}
	old = e.cfg.Device
	if !e.started {
		e.cfg.Device, e.ownsDevice = d, false
		e.useDevice(d)
		return old, nil
	}
	if err := old.Stop(); err != nil {
		e.log.Warn("media: stop old device", "err", err)
	}
	if err := d.Start(e.callbacks(d)); err != nil {
		if rerr := old.Start(e.callbacks(old)); rerr != nil {
			e.started = false
			return nil, fmt.Errorf("media: start new device: %w; restart old one: %w", err, rerr)
		}
		return nil, fmt.Errorf("media: start new device: %w", err)
	}
	e.cfg.Device, e.ownsDevice = d, false
	e.useDevice(d)
	return old, nil
}

// useDevice records what the stream's echo canceller needs to know of a
// new current device: whether it may echo, and that it changed (a sleeping
// canceller wakes: the new device may echo where the old one did not).
func (e *Engine) useDevice(d audio.Device) {
	e.echoPath.Store(mayEcho(d))
	e.deviceGen.Add(1)
}

// echoFreeDevice is implemented by devices that know whether what they play
// can come back into what they capture (synthetic devices, the null
// backend cannot); echo cancellation runs only where it can.
type echoFreeDevice interface {
	EchoFree() bool
}

func mayEcho(d audio.Device) bool {
	ef, ok := d.(echoFreeDevice)
	return !ok || !ef.EchoFree()
}

// Start starts the device (again, after Stop). Until a stream is attached,
// capture is discarded and playback is silence or the current tone. If the
// device does not start (it was unplugged while stopped), the Reopen chain
// picks another, as for a device lost mid-call, and OnDeviceEvent says so.
func (e *Engine) Start() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch {
	case e.closed:
		return ErrClosed
	case e.started:
		return ErrStarted
	}
	if err := e.cfg.Device.Start(e.callbacks(e.cfg.Device)); err != nil {
		// Unplugged while stopped, say: what the reopeners find instead.
		if len(e.cfg.Reopen) == 0 {
			return fmt.Errorf("media: start device: %w", err)
		}
		ev := e.reopenLocked(e.cfg.Device, fmt.Errorf("%w: %w", audio.ErrDeviceLost, err))
		if ev.Device == nil {
			return fmt.Errorf("media: start device: %w", ev.Err)
		}
		e.started = true
		if notify := e.cfg.OnDeviceEvent; notify != nil {
			go notify(ev)
		}
		return nil
	}
	e.started = true
	return nil
}

// Stop detaches any call and stops the device, which stays open: Start
// runs it again. Stopping a stopped engine does nothing. Between Stop and
// Start no callback runs, so the device costs neither CPU nor wake-ups.
func (e *Engine) Stop() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return ErrClosed
	}
	e.detachLocked()
	if !e.started {
		return nil
	}
	e.started = false
	if err := e.cfg.Device.Stop(); err != nil && !errors.Is(err, audio.ErrClosed) {
		return fmt.Errorf("media: stop device: %w", err)
	}
	return nil
}

// Running reports whether the device is started.
func (e *Engine) Running() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.started
}

// PlayTone starts a call-progress tone, replacing any other; it is mixed
// over the call audio if a stream is attached.
func (e *Engine) PlayTone(k tone.Kind) error {
	g, err := tone.New(k)
	if err != nil {
		return fmt.Errorf("media: play tone: %w", err)
	}
	e.tone.Store(g)
	return nil
}

// StopTone silences the current tone.
func (e *Engine) StopTone() {
	e.tone.Store(nil)
}

// Attach connects a call's transport to the device: capture → Opus → Seal →
// WriteFrame, and ReadFrame → Open → jitter buffer → Opus (PLC/FEC) →
// playback. c is nil for a call without E2EE.
func (e *Engine) Attach(t Transport, c FrameCipher) (*Stream, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil, ErrClosed
	}
	if e.stream.Load() != nil {
		return nil, ErrAttached
	}
	s, err := newStream(e.cfg, t, c, engineShared{echoOn: &e.echoOn, echoPath: &e.echoPath, deviceGen: &e.deviceGen, noiseOn: &e.noiseOn, deviceSends: &e.deviceSends, capMeter: e.capMeter})
	if err != nil {
		return nil, err
	}
	s.start()
	e.stream.Store(s)
	return s, nil
}

// Detach ends the current call's media and keeps the device running. The
// transport is left open: it belongs to the call layer.
func (e *Engine) Detach() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.detachLocked()
}

func (e *Engine) detachLocked() {
	if s := e.stream.Swap(nil); s != nil {
		s.stop()
	}
}

// Close detaches any call and stops the device.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil
	}
	e.closed = true
	e.detachLocked()
	e.tone.Store(nil)
	if !e.started {
		return nil
	}
	if err := e.cfg.Device.Stop(); err != nil && !errors.Is(err, audio.ErrClosed) {
		return fmt.Errorf("media: stop device: %w", err)
	}
	if e.ownsDevice {
		closeDevice(e.cfg.Device)
	}
	return nil
}

// capture runs on the device thread and must not block.
func (e *Engine) capture(frame []int16) {
	if s := e.stream.Load(); s != nil {
		s.capture(frame, e.far)
	} else {
		e.capMeter.update(frame)
	}
}

// afterPeriod runs on the device's goroutine after each period (for
// devices that call Callbacks.AfterPeriod): the stream encodes and sends
// what was captured in it there, with no goroutine hand-off.
func (e *Engine) afterPeriod() {
	if s := e.stream.Load(); s != nil {
		s.sendQueued()
	}
}

// playback runs on the device thread and must not block.
func (e *Engine) playback(frame []int16) {
	if s := e.stream.Load(); s != nil {
		s.playback(frame)
	} else {
		clear(frame)
	}
	if g := e.tone.Load(); g != nil {
		e.mixTone(g, frame)
	}
	e.playMeter.update(frame)
	copy(e.far, frame)
}

func (e *Engine) mixTone(g *tone.Generator, frame []int16) {
	if cap(e.toneBuf) < len(frame) {
		e.toneBuf = make([]int16, len(frame))
	}
	buf := e.toneBuf[:len(frame)]
	g.Fill(buf)
	for i, v := range buf {
		frame[i] = saturate(int32(frame[i]) + int32(v))
	}
}

func saturate(v int32) int16 {
	switch {
	case v > 32767:
		return 32767
	case v < -32768:
		return -32768
	default:
		return int16(v)
	}
}
