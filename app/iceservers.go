package app

import (
	"github.com/parley-voip/parley/media/rtc"
	"github.com/parley-voip/parley/signaling"
	"github.com/pion/webrtc/v4"
)

// setICEServers keeps the STUN/TURN servers the server handed out (at
// sign-in, and fresh credentials before the old ones expire). They replace
// the previous list and are used by every call set up from now on; a call
// in progress keeps its allocations, which TURN refreshes on its own.
func (c *Client) setICEServers(servers []signaling.ICEServer) {
	c.iceServers = servers
}

// peerConfig is the configured peer connection plus the servers handed
// out: those configured come first.
func (c *Client) peerConfig() rtc.Config {
	cfg := *c.cfg.RTC
	// Every call can carry video: a call starts audio only and turns it
	// on by renegotiating (callvideo.go), so the codec is there from the
	// first offer, also in a build that cannot encode or decode it.
	cfg.Video = true
	if len(c.iceServers) > 0 {
		cfg.ICEServers = append([]webrtc.ICEServer(nil), cfg.ICEServers...)
		for _, s := range c.iceServers {
			cfg.ICEServers = append(cfg.ICEServers, webrtc.ICEServer{URLs: s.URLs, Username: s.Username, Credential: s.Credential})
		}
	}
	return cfg
}
