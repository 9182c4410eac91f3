package sfu

import (
	"fmt"
	"slices"

	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v4"
)

// SetVideo says which video the participant sends: its camera, its
// screen, both or neither (media-video). The first time a kind is turned
// on, the service offers the participant a receive-only video section to
// attach that track to (by its track id, kind.trackID) and gives every
// other participant a down track for it; later changes only start and
// stop the forwarding, and each start re-bases the down tracks and waits
// for a key frame. The roster shows the flags.
func (m *Member) SetVideo(camera, screen bool) error {
	r := m.room.Load()
	if r == nil || m.left() {
		return ErrClosed
	}
	var on [numKinds]bool
	on[kindCamera], on[kindScreen] = camera, screen
	return r.setVideo(m, on)
}

func (r *room) setVideo(m *Member, on [numKinds]bool) error {
	r.mu.Lock()
	if !slices.Contains(r.members, m) {
		r.mu.Unlock()
		return ErrNotParticipant
	}
	changed, added, linked := false, false, false
	for _, k := range videoKinds {
		if m.video[k].Load() == on[k] {
			continue
		}
		changed = true
		if on[k] {
			if m.vrecv[k] == nil {
				tr, err := m.pc.AddTransceiverFromKind(webrtc.RTPCodecTypeVideo, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly})
				if err != nil {
					r.mu.Unlock()
					return fmt.Errorf("sfu: add video transceiver: %w", err)
				}
				m.vrecv[k], added = tr, true
			}
			m.vgen[k].Add(1)
			if !m.vslot[k] {
				m.vslot[k], linked = true, true
				for _, x := range r.members {
					if x == m {
						continue
					}
					if err := r.linkKind(m, x, k); err != nil {
						r.mu.Unlock()
						return err
					}
				}
			}
		}
		m.video[k].Store(on[k])
	}
	others := slices.DeleteFunc(slices.Clone(r.members), func(x *Member) bool { return x == m })
	r.mu.Unlock()
	if !changed {
		return nil
	}
	if added { // later, its track is on that section already: nothing to offer
		m.negotiate()
	}
	if linked {
		for _, x := range others {
			x.negotiate()
		}
	}
	r.pushRoster()
	return nil
}

// sendPLI asks the participant for a key frame of its video of kind.
func (m *Member) sendPLI(k trackKind) {
	ssrc := m.vssrc[k].Load()
	if ssrc == 0 || m.left() {
		return
	}
	if err := m.pc.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: ssrc}}); err != nil {
		m.svc.log.Debug("sfu: pli", "user", m.user, "err", err)
		return
	}
	m.keyframeRequests.Add(1)
	m.svc.c.keyframeRequests.Add(1)
}
