package media

import (
	"fmt"
	"sync"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/tone"
)

// Ringer plays the ringtone on an output of its own (Settings → Devices →
// Ringer), apart from the call's speaker: a second playback-only device,
// opened when a call starts ringing and closed when it stops, so nothing
// is held open between calls. The zero value is ready to use.
type Ringer struct {
	mu  sync.Mutex
	dev audio.Device
}

// Start opens a device with open and plays k on it, replacing what was
// ringing. On error nothing is left open.
func (r *Ringer) Start(open func() (audio.Device, error), k tone.Kind) error {
	g, err := tone.New(k)
	if err != nil {
		return fmt.Errorf("media: ringer: %w", err)
	}
	r.Stop()
	dev, err := open()
	if err != nil {
		return fmt.Errorf("media: ringer device: %w", err)
	}
	// g is used on the device's thread only.
	if err := dev.Start(audio.Callbacks{Playback: g.Fill}); err != nil {
		closeDevice(dev)
		return fmt.Errorf("media: start ringer device: %w", err)
	}
	r.mu.Lock()
	r.dev = dev
	r.mu.Unlock()
	return nil
}

// Stop silences the ringer and closes its device; it does nothing when
// nothing rings.
func (r *Ringer) Stop() {
	r.mu.Lock()
	dev := r.dev
	r.dev = nil
	r.mu.Unlock()
	if dev == nil {
		return
	}
	_ = dev.Stop()
	closeDevice(dev)
}

// Ringing reports whether the ringer's device is open.
func (r *Ringer) Ringing() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.dev != nil
}
