package app

import (
	"time"

	"github.com/parley-voip/parley/media"
	"github.com/parley-voip/parley/media/rtc"
)

// The media watchdog. An active call whose path is up still carries
// frames both ways when nobody speaks: a muted or holding sender encodes
// silence, which DTX sends as a comfort-noise update every 400 ms, and the
// media service plays music in place of a participant who holds
// (docs/media.md). So an active call that had audio and has received
// none for noAudioAfter has lost its media, even when ICE has not noticed
// (its consent checks may still pass): the call screen says so
// (CallInfo.NoAudio) and the call is recovered as after a lost connection
// (icerestart.go). Audio is not expected while this user holds the call
// (the media service sends a holder nothing), nor through the media
// service while nobody else is in the call.
//
// The watchdog has no timer of its own: it reads the counters the media
// report logs, on the report's tick (mediareport.go), so it notices a
// stall between noAudioAfter and noAudioAfter plus one report interval
// after the last frame.
const noAudioAfter = 2 * time.Second

// mediaWatch is the watchdog's view of the call's current stream.
type mediaWatch struct {
	opened   uint64    // frames received and opened, at the last report
	heard    time.Time // the last report at which frames had arrived, or audio became expected
	expected bool      // audio was expected at the last report
}

// opened is the frames that reached this side: received from the
// transport and, with E2EE, opened by the call's keys.
func opened(st media.Stats) uint64 { return st.FramesReceived - st.DecryptFailed }

// expectsAudio reports whether k should be receiving frames now.
func (k *call) expectsAudio() bool {
	if k.state != CallActive || k.info.Held || k.watch.opened == 0 {
		return false
	}
	if k.service {
		for _, p := range k.info.Participants {
			if !p.Me {
				return true
			}
		}
		return false
	}
	return true
}

// watchMedia is the watchdog's step at a media report of stream s, with
// its counters st taken at now; on the Run goroutine.
func (c *Client) watchMedia(k *call, s *media.Stream, st media.Stats, now time.Time) {
	if c.call != k || k.ended() || k.stream != s {
		return
	}
	w := &k.watch
	n := opened(st)
	arrived := n != w.opened
	w.opened = n
	expect := k.expectsAudio()
	if arrived || !expect || !w.expected {
		w.heard = now
	}
	w.expected = expect
	switch {
	case arrived && k.info.NoAudio:
		c.log.Info("audio is back", "call", k.info.ID)
		k.info.NoAudio = false
		if k.link == rtc.StateConnected {
			c.recovered(k) // a recovery the watchdog started, with ICE up all along
		}
		c.notifyCall()
	case expect && !arrived && !k.info.NoAudio && now.Sub(w.heard) >= noAudioAfter:
		c.log.Warn("no audio is reaching this side", "call", k.info.ID, "for", now.Sub(w.heard).Round(time.Millisecond), "path", k.peer.Path().String())
		k.info.NoAudio = true
		if k.recovery == nil {
			c.recover(k) // its snapshot shows both: no audio, reconnecting
		} else {
			c.notifyCall()
		}
	}
}
