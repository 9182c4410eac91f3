package app

import "github.com/parley-voip/parley/signaling"

// SetStatus sets the presence others see: PresenceOnline (available),
// PresenceBusy or PresenceAway; others are ignored (in a call is the
// server's to say). It is sent again after every reconnect.
func (c *Client) SetStatus(p Presence) {
	if !p.Settable() {
		return
	}
	c.book.setStatus(p)
	c.post(func() {
		if c.conn != nil {
			c.send(&signaling.Message{Type: signaling.TypeStatus, Status: p.status()})
		}
	})
}
