package captions

import (
	"time"

	"github.com/pion/rtp"

	"github.com/parley-voip/parley/server/captions/wire"
	"github.com/parley-voip/parley/server/sfu"
	"github.com/parley-voip/parley/signaling"
)

// tap is one call's sfu.Tap. Its methods run on the media service's
// goroutines, some under the room's lock: they take s.mu briefly, queue
// frames without blocking, and never call back into the media service.
type tap struct {
	s  *Service
	se *session
}

func (t *tap) Joined(p sfu.Participant) {
	s, se := t.s, t.se
	s.mu.Lock()
	if se.ending {
		s.mu.Unlock()
		return
	}
	sp := se.bySSRC[p.SSRC]
	if sp == nil || sp.left {
		s.nextID++
		sp = &speaker{id: s.nextID, sess: se, p: p}
		se.bySSRC[p.SSRC] = sp
		s.speakers[sp.id] = sp
	}
	se.present[p.UserID]++
	se.joined[p.UserID] = struct{}{}
	if se.on && s.up {
		s.sup.send(&wire.Join{Speaker: sp.id})
	}
	on, up := se.on, s.up
	s.mu.Unlock()
	if on {
		// Whoever joins later learns that captions run (off the media
		// service's goroutine, which must not wait for signaling).
		go s.tell(se, p.UserID, on, up)
	}
}

// tell sends userID the captions state of se.
func (s *Service) tell(se *session, userID string, on, up bool) {
	info := &signaling.CaptionsInfo{State: signaling.CaptionsOn, By: se.by}
	if on && !up {
		info = &signaling.CaptionsInfo{State: signaling.CaptionsPaused, By: se.by, Reason: ReasonPaused}
	}
	s.cfg.Notifier.Notify(userID, &signaling.Message{Type: signaling.TypeCaptions, CallID: se.callID, Captions: info})
}

func (t *tap) Packet(p sfu.Participant, pkt *rtp.Packet) {
	s, se := t.s, t.se
	s.mu.Lock()
	sp := se.bySSRC[p.SSRC]
	ok := sp != nil && !sp.left && se.on // while the worker is down, send drops and counts
	s.mu.Unlock()
	if !ok || len(pkt.Payload) == 0 || len(pkt.Payload) > wire.MaxPayload-10 {
		return
	}
	ms := uint32(s.cfg.Now().Sub(se.t0) / time.Millisecond)
	s.sup.send(&wire.Packet{Speaker: sp.id, Seq: pkt.SequenceNumber, TimeMS: ms, Opus: append([]byte(nil), pkt.Payload...)})
}

func (t *tap) Left(p sfu.Participant) {
	s, se := t.s, t.se
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := se.bySSRC[p.SSRC]
	if sp == nil || sp.left {
		return
	}
	sp.left = true
	if se.on && s.up && s.sup.send(&wire.Leave{Speaker: sp.id}) {
		se.pending++
	} else {
		sp.flushed = true
		delete(s.speakers, sp.id)
	}
	if se.present[p.UserID]--; se.present[p.UserID] <= 0 {
		delete(se.present, p.UserID)
	}
	if len(se.present) > 0 || se.ending {
		return
	}
	// Nobody sends audio any more: the call may be over (the room's lock
	// is held here, so ask the media service from another goroutine).
	go s.watchEnd(se)
}

// endPoll is how often a call whose senders all left is checked for its end.
const endPoll = 250 * time.Millisecond

// watchEnd ends se once its call has left the media service (or has
// nobody in it), unless someone sends audio again first. The transcript is
// stored once the worker has flushed the last words, or after FlushWait.
func (s *Service) watchEnd(se *session) {
	for {
		roster, err := s.cfg.Media.Roster(se.callID)
		s.mu.Lock()
		if len(se.present) > 0 || se.ending || s.sessions[se.callID] != se {
			s.mu.Unlock()
			return
		}
		if err == nil && len(roster) > 0 {
			s.mu.Unlock()
			select {
			case <-se.done:
				return
			case <-time.After(endPoll):
			}
			continue
		}
		se.ending = true
		pending := se.pending
		s.mu.Unlock()
		if pending <= 0 {
			s.finish(se)
			return
		}
		time.AfterFunc(s.cfg.FlushWait, func() { s.finish(se) })
		return
	}
}
