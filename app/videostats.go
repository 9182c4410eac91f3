package app

import "github.com/parley-voip/parley/media/video"

// VideoStats are a call's video counters for its media reports
// (mediareport.go): frames this user encoded and sent on all its tracks,
// and of the others' tracks the frames received, those that failed to
// open (SFrame in an E2EE call) and the pictures decoded. They count the
// whole call: senders turned off and receivers closed keep their share.
type VideoStats struct {
	Sent, Received, OpenFailed, Decoded uint64
}

func (v *VideoStats) addSender(st video.SenderStats) { v.Sent += st.Frames }

func (v *VideoStats) addReceiver(st video.ReceiverStats) {
	v.Received += st.Frames
	v.OpenFailed += st.OpenFailed
	v.Decoded += st.Decoded
}

// videoStats are k's video counters now; on the client's loop.
func (c *Client) videoStats(k *call) VideoStats {
	st := k.video.closed
	for _, lv := range k.video.local {
		if lv != nil && lv.sender != nil {
			st.addSender(lv.sender.Stats())
		}
	}
	for _, r := range k.video.remote {
		st.addReceiver(r.recv.Stats())
	}
	return st
}
