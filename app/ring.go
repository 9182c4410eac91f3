package app

import (
	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/tone"
)

// ring plays the ringtone of an incoming call: on the ringer output chosen
// in Settings (a second playback device, opened only while it rings), or
// on the call's speaker when none is chosen or it cannot be opened.
func (c *Client) ring() {
	if id := c.cfg.Settings.RingerDevice(); id != "" && c.cfg.OpenRinger != nil {
		open := func() (audio.Device, error) { return c.cfg.OpenRinger(id) }
		err := c.ringer.Start(open, tone.Ringtone)
		if err == nil {
			return
		}
		c.log.Warn("ringer output; ringing on the speaker", "err", err)
	}
	c.playTone(tone.Ringtone)
}

// stopTones silences the ringtone (closing the ringer's device) and any
// call-progress tone.
func (c *Client) stopTones() {
	c.ringer.Stop()
	c.engine.StopTone()
}
