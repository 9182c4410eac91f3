package media

import (
	"time"

	"github.com/parley-voip/parley/media/rtc"
)

// Transport carries encoded frames between the two ends of a call.
// *rtc.Peer implements it; tests wrap it to tamper with or drop frames.
type Transport interface {
	WriteFrame(frame []byte, d time.Duration) error
	ReadFrame() (rtc.Frame, error)
}

// readDeadliner is implemented by transports whose blocking ReadFrame can be
// interrupted (rtc.Peer). Detach uses it to stop the receive loop without
// closing the transport, which belongs to the call layer.
type readDeadliner interface {
	SetReadDeadline(t time.Time) error
}

// frameSkipper is implemented by transports that can leave a frame out
// while keeping the RTP timeline (rtc.Peer.SkipFrame): Opus DTX's silent
// frames are skipped, not sent. Over other transports they are sent.
type frameSkipper interface {
	SkipFrame(d time.Duration) error
}
