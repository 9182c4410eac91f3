package sfu

import (
	"fmt"
	"slices"
)

// Call control (transfer, park, move to another device) changes who is in
// a room without renegotiating the connections of those who stay: a
// participant who leaves for a successor leaves a vacancy, their down
// tracks on the others' connections, which play the hold music until the
// successor takes them over (Join with Replaces) or Release drops them.
// The others' tracks keep their ids (the first occupant's name): the
// roster says who is on them now. Only the audio is kept this way: the
// leaver's video tracks go (an offer to those who had them), and the
// successor's video is linked as any newcomer's.

// vacancy is a participant's place kept after they left.
type vacancy struct {
	outs []*downTrack // the leaver's audio track to each other participant, now music
	stop chan struct{}
}

// Vacate takes userID out of callID, closing their connection, and keeps
// their place: the others hear the hold music on the same tracks until a
// successor joins with Replaces: userID, or Release.
func (s *Service) Vacate(callID, userID string) error {
	r, err := s.room(callID)
	if err != nil {
		return err
	}
	m := r.member(userID)
	if m == nil {
		return ErrNotParticipant
	}
	changed := r.vacate(m)
	m.Leave()
	for _, x := range changed {
		x.negotiate()
	}
	r.pushRoster()
	r.svc.dropIfEmpty(r) // nobody left to keep a place for
	return nil
}

// Release drops the place Vacate kept for userID: the others' tracks for
// it are removed (their connections are renegotiated).
func (s *Service) Release(callID, userID string) error {
	r, err := s.room(callID)
	if err != nil {
		return err
	}
	r.mu.Lock()
	v := r.vacant[userID]
	delete(r.vacant, userID)
	r.mu.Unlock()
	if v == nil {
		return ErrNotParticipant
	}
	close(v.stop)
	for _, d := range v.outs {
		d.dst.removeDownTrack(d)
		d.dst.negotiate()
	}
	return nil
}

// Vacant reports whether callID keeps a place for userID.
func (s *Service) Vacant(callID, userID string) bool {
	r, err := s.room(callID)
	if err != nil {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.vacant[userID] != nil
}

// vacate removes m from the room's members and its down tracks from its
// own connection, and turns its audio to the others into hold music. It
// returns those whose connections lost a video track of m's (to offer).
func (r *room) vacate(m *Member) (changed []*Member) {
	r.mu.Lock()
	defer r.mu.Unlock()
	i := slices.Index(r.members, m)
	if i < 0 {
		return nil
	}
	r.members = slices.Delete(r.members, i, i+1)
	if m.hasTrack {
		for _, t := range *r.taps.Load() {
			t.Left(m.part)
		}
	}
	m.stopMusic()
	v := &vacancy{outs: *m.outs[kindAudio].Load(), stop: make(chan struct{})}
	for k := range m.outs {
		if trackKind(k) != kindAudio {
			for _, d := range *m.outs[k].Load() {
				d.dst.removeDownTrack(d)
				if !slices.Contains(changed, d.dst) {
					changed = append(changed, d.dst)
				}
			}
		}
		m.outs[k].Store(&[]*downTrack{})
		for _, x := range r.members {
			outs := slices.DeleteFunc(slices.Clone(*x.outs[k].Load()), func(d *downTrack) bool { return d.dst == m })
			x.outs[k].Store(&outs)
		}
	}
	m.removeAllDownTracks()
	for _, d := range v.outs {
		go r.svc.playMusicTo(v.stop, d)
	}
	if r.vacant == nil {
		r.vacant = make(map[string]*vacancy)
	}
	if old := r.vacant[m.user]; old != nil {
		close(old.stop) // a second vacancy of one user: the newer wins
	}
	r.vacant[m.user] = v
	return changed
}

// takeVacancy gives m the place of replaces: the tracks that played music
// carry m's audio from now on. It returns those of the members whose
// tracks were reused. Called with r.mu held.
func (r *room) takeVacancy(m *Member, replaces string) []*Member {
	v := r.vacant[replaces]
	if v == nil {
		return nil
	}
	delete(r.vacant, replaces)
	close(v.stop)
	var reused []*Member
	outs := slices.Clone(*m.outs[kindAudio].Load())
	for _, d := range v.outs {
		if !slices.Contains(r.members, d.dst) {
			continue
		}
		d.src = m
		outs = append(outs, d)
		reused = append(reused, d.dst)
	}
	m.outs[kindAudio].Store(&outs)
	return reused
}

// size is how many members the room has, companions included.
func (r *room) size() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.members)
}

// forgetVacancies drops m's tracks from every vacancy (m is leaving).
// Called with r.mu held.
func (r *room) forgetVacancies(m *Member) {
	for _, v := range r.vacant {
		v.outs = slices.DeleteFunc(v.outs, func(d *downTrack) bool { return d.dst == m })
	}
}

// Splice completes a consult transfer: userID is in both calls, each with
// one other participant; userID leaves both and the other participant of
// fromCall moves into intoCall in userID's place. Nobody's connection is
// renegotiated: the track that carried userID to each of the two now
// carries the other one. fromCall ends.
func (s *Service) Splice(userID, intoCall, fromCall string) error {
	if intoCall == fromCall {
		return fmt.Errorf("%w: splice a call with itself", ErrBadSignal)
	}
	ir, err := s.room(intoCall)
	if err != nil {
		return err
	}
	fr, err := s.room(fromCall)
	if err != nil {
		return err
	}
	im, fm := ir.member(userID), fr.member(userID)
	if im == nil || fm == nil {
		return ErrNotParticipant
	}
	if ir.size() != 2 || fr.size() != 2 {
		return ErrNotOneToOne
	}
	changed := ir.vacate(im)
	im.Leave()
	changed = append(changed, fr.vacate(fm)...)
	fm.Leave()

	fr.mu.Lock()
	movers := slices.Clone(fr.members)
	fv := fr.vacant[userID]
	delete(fr.vacant, userID)
	fr.members = nil
	fr.ended = true
	fr.mu.Unlock()
	s.mu.Lock()
	if s.rooms[fr.id] == fr {
		delete(s.rooms, fr.id)
	}
	s.mu.Unlock()
	if fv != nil {
		close(fv.stop)
	}
	if len(movers) != 1 || fv == nil {
		for _, x := range movers {
			x.Leave()
		}
		return ErrNotOneToOne
	}
	c := movers[0]
	if c.hasTrack {
		for _, t := range *fr.taps.Load() {
			t.Left(c.part)
		}
	}

	ir.mu.Lock()
	if len(ir.members) != 1 || ir.ended {
		ir.mu.Unlock()
		c.Leave()
		return ErrNotOneToOne
	}
	a := ir.members[0]
	// The track on c's connection that carried userID carries a now.
	for _, d := range fv.outs {
		if d.dst == c {
			d.src = a
			outs := append(slices.Clone(*a.outs[kindAudio].Load()), d)
			a.outs[kindAudio].Store(&outs)
		}
	}
	c.room.Store(ir)
	ir.members = append(ir.members, c)
	ir.takeVacancy(c, userID)
	if c.hasTrack {
		ir.joinedLocked(c)
	}
	// Video the two have on reaches the other as any newcomer's would.
	for _, k := range videoKinds {
		for _, p := range [][2]*Member{{a, c}, {c, a}} {
			if p[0].vslot[k] {
				if err := ir.linkKind(p[0], p[1], k); err != nil {
					s.log.Warn("sfu: splice: link video", "user", p[0].user, "err", err)
				} else if !slices.Contains(changed, p[1]) {
					changed = append(changed, p[1])
				}
			}
		}
	}
	ir.mu.Unlock()
	for _, x := range changed {
		if x == a || x == c {
			x.negotiate()
		}
	}
	ir.pushRoster()
	return nil
}
