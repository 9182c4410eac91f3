package app

import (
	"time"

	"github.com/parley-voip/parley/media/tone"
)

// testSoundLength is how long Settings → Devices' test sound plays.
const testSoundLength = 2 * time.Second

// PlayTestSound plays the ringback tone on the chosen speaker for two
// seconds, so the user hears which device it is; not during a call.
func (c *Client) PlayTestSound() {
	idle := func() bool { return c.call == nil || c.call.ended() }
	c.post(func() {
		if !idle() {
			return
		}
		c.playTone(tone.Ringback)
		time.AfterFunc(testSoundLength, func() {
			c.post(func() {
				if idle() {
					c.engine.StopTone()
				}
			})
		})
	})
}

// PlayTestSound plays the test sound (nothing when signed out).
func (s *Softphone) PlayTestSound() { s.withClient((*Client).PlayTestSound) }

// prefNotificationsOff turns desktop notifications off (on by default).
const prefNotificationsOff = "notifications.off"

// Notifications reports Settings → Notifications (on by default).
func (s *Softphone) Notifications() bool { return !s.cfg.Prefs.Bool(prefNotificationsOff) }

// SetNotifications turns desktop notifications on or off.
func (s *Softphone) SetNotifications(on bool) { s.cfg.Prefs.SetBool(prefNotificationsOff, !on) }
