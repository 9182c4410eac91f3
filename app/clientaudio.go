package app

import (
	"errors"

	"github.com/parley-voip/parley/media"
	"github.com/parley-voip/parley/media/audio"
)

// ApplyAudioSettings makes the running engine follow Settings → Audio's
// switches, in a call or not.
func (c *Client) ApplyAudioSettings() {
	c.post(func() {
		c.engine.SetEchoCancellation(c.cfg.Settings.EchoCancellation())
		c.engine.SetNoiseSuppression(c.cfg.Settings.NoiseSuppression())
	})
}

// audioOn starts the sound device for a call that starts ringing (either
// way); audioOff stops it when the call ends. A device that fails to start
// is reported, and the call goes on without sound.
func (c *Client) audioOn() {
	if err := c.engine.Start(); err != nil && !errors.Is(err, media.ErrStarted) {
		c.log.Warn("start the sound device", "err", err)
		c.cfg.Listener.Notice("The sound device could not be started: " + err.Error())
	}
}

func (c *Client) audioOff() {
	if err := c.engine.Stop(); err != nil && !errors.Is(err, media.ErrClosed) {
		c.log.Warn("stop the sound device", "err", err)
	}
}

// SwitchDevice moves capture and playback to dev, during a call too, and
// returns the device it replaced (for the caller to close).
func (c *Client) SwitchDevice(dev audio.Device) (old audio.Device, err error) {
	done := make(chan struct{})
	ok := c.post(func() {
		defer close(done)
		old, err = c.engine.SetDevice(dev)
		if err == nil {
			c.cfg.Device = dev // a reconnect keeps it
		}
	})
	if !ok {
		return nil, ErrClosed
	}
	<-done
	return old, err
}

// Levels reads the microphone and loudspeaker level meters, scaled for a
// bar: 0 at -60 dBFS or below, 1 at full scale. Safe from any goroutine.
func (c *Client) Levels() Levels {
	e := c.meters.Load()
	if e == nil {
		return Levels{}
	}
	l := e.Levels()
	return Levels{Mic: barOf(l.Capture.RMS), Speaker: barOf(l.Playback.RMS)}
}

// deviceEvent hears from the engine that the sound device stopped by itself
// (unplugged, sound server restarted) and what it switched to; the call,
// if any, goes on. It runs on the engine's goroutine.
func (c *Client) deviceEvent(ev media.DeviceEvent) {
	text := "The sound device stopped; Parley switched to another one."
	if ev.Device == nil {
		text = "The sound device stopped and no other could be opened."
	}
	c.log.Warn("sound device lost", "reason", ev.Reason, "step", ev.Step, "err", ev.Err)
	c.post(func() { c.cfg.Listener.Notice(text) })
}
