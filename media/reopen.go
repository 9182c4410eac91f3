package media

import (
	"errors"
	"fmt"
	"io"

	"github.com/parley-voip/parley/media/audio"
)

// Reopener opens a device to replace one that was lost (unplugged, its
// sound server restarted). The engine tries Config.Reopen's reopeners in
// order, starts the first device one returns, and keeps the call on it.
type Reopener func(lost audio.Device) (audio.Device, error)

// DefaultReopeners is the fallback chain used when Config.Reopen is nil:
// the same endpoints again (the headset is back, or PulseAudio restarted),
// then the system's default devices, then the null backend, so the call
// stays up (the UI says "no audio device") until the user picks one.
func DefaultReopeners() []Reopener {
	return []Reopener{ReopenSame, ReopenDefault, ReopenNull}
}

// ReopenSame reopens the endpoints of a lost audio.MalgoDevice.
func ReopenSame(lost audio.Device) (audio.Device, error) {
	m, ok := lost.(*audio.MalgoDevice)
	if !ok {
		return nil, fmt.Errorf("%w: %T cannot be reopened", ErrNoReopen, lost)
	}
	return m.Reopen()
}

// ReopenDefault opens the system's default devices; it fails instead of
// falling back to the null backend, which is ReopenNull's step.
func ReopenDefault(audio.Device) (audio.Device, error) {
	d, err := audio.OpenDefault()
	if err != nil {
		return nil, err
	}
	if d.Info().NoDevice {
		_ = d.Close()
		return nil, d.Info().Fallback
	}
	return d, nil
}

// ReopenNull opens the null backend: no sound, but a real-time clock that
// keeps the call's media flowing.
func ReopenNull(audio.Device) (audio.Device, error) {
	return audio.OpenDefault(audio.WithBackend(audio.BackendNull))
}

// DeviceEvent tells the app that the engine lost its device and what it
// did about it; Config.OnDeviceEvent receives it.
type DeviceEvent struct {
	// Reason is why the old device stopped; it wraps audio.ErrDeviceLost.
	Reason error
	// Lost is the device that stopped. The engine closes it if the engine
	// opened it (an earlier replacement); otherwise it is still the app's
	// to close, as the device it passed in Config or SetDevice.
	Lost audio.Device
	// Device is what the engine runs on now (opened by the engine, which
	// closes it when it is replaced or at Close), nil if no reopener
	// produced a device that started; Step is the index in the reopener
	// chain that produced it.
	Device audio.Device
	Step   int
	// Err joins each reopener's failure, when Device is nil.
	Err error
}

// callbacks are the device callbacks for d: its loss is reported against
// d, so a late report from a device already replaced is ignored.
func (e *Engine) callbacks(d audio.Device) audio.Callbacks {
	// Set before d starts: its first capture already sees it.
	e.deviceSends.Store(audio.CallsAfterPeriod(d))
	return audio.Callbacks{
		Capture:     e.capture,
		Playback:    e.playback,
		Lost:        func(err error) { e.deviceLost(d, err) },
		AfterPeriod: e.afterPeriod,
	}
}

// deviceLost moves the engine, and the attached call with it, to the first
// device the reopener chain can open and start. The stream never notices
// beyond a gap: its jitter buffer conceals, then rebuffers, and the far
// end's does the same.
func (e *Engine) deviceLost(d audio.Device, reason error) {
	e.mu.Lock()
	if e.closed || !e.started || e.cfg.Device != d {
		e.mu.Unlock()
		return
	}
	e.log.Warn("media: audio device lost, reopening", "err", reason)
	_ = d.Stop()
	ev := e.reopenLocked(d, reason)
	notify := e.cfg.OnDeviceEvent
	e.mu.Unlock()
	if notify != nil {
		notify(ev)
	}
}

// reopenLocked walks the reopener chain after d was lost or failed to
// start, and makes the first device that starts current. Called with mu.
func (e *Engine) reopenLocked(d audio.Device, reason error) DeviceEvent {
	ev := DeviceEvent{Reason: reason, Lost: d, Step: -1}
	var errs []error
	for i, reopen := range e.cfg.Reopen {
		nd, err := reopen(d)
		if err == nil && nd == nil {
			err = ErrNoReopen
		}
		if err == nil {
			if err = nd.Start(e.callbacks(nd)); err != nil {
				closeDevice(nd)
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("step %d: %w", i, err))
			continue
		}
		ev.Device, ev.Step = nd, i
		break
	}
	if ev.Device == nil {
		// The lost device stays current (stopped): SetDevice replaces it
		// when the user picks another, and Close still closes it.
		ev.Err = fmt.Errorf("%w: %w", ErrNoReopen, errors.Join(errs...))
		e.log.Error("media: no audio device could replace the lost one", "err", ev.Err)
		return ev
	}
	if e.ownsDevice {
		closeDevice(d)
	}
	e.cfg.Device, e.ownsDevice = ev.Device, true
	e.useDevice(ev.Device)
	e.log.Info("media: audio device replaced", "step", ev.Step)
	return ev
}

func closeDevice(d audio.Device) {
	if c, ok := d.(io.Closer); ok {
		_ = c.Close()
	} else {
		_ = d.Stop()
	}
}
