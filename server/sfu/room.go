package sfu

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// room is one call on the service. Its member set changes under mu; the
// forwarding path reads only atomic snapshots (Member.outs, taps).
type room struct {
	svc *Service
	id  string

	mu      sync.Mutex
	members []*Member
	ended   bool
	tapList []*tapEntry
	taps    atomic.Pointer[[]Tap]
	vacant  map[string]*vacancy // user id → the place they left for a successor (bridge.go)
}

type tapEntry struct{ t Tap }

func newRoom(s *Service, id string) *room {
	r := &room{svc: s, id: id}
	r.taps.Store(&[]Tap{})
	return r
}

func (r *room) member(userID string) *Member {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range r.members {
		if m.user == userID && !m.companion {
			return m
		}
	}
	return nil
}

// add puts m in the room: a down track for every other participant's
// audio on m's connection, one for m's on each of theirs (or, taking the
// place of replaces, the tracks that place kept), then offers to everyone
// whose connection changed.
func (r *room) add(m *Member, replaces string) error {
	r.mu.Lock()
	if r.ended {
		r.mu.Unlock()
		return ErrNoSuchRoom
	}
	if len(r.members) >= r.svc.cfg.MaxParticipants {
		r.mu.Unlock()
		return ErrRoomFull
	}
	for _, x := range r.members {
		if x.user == m.user && !x.companion && !m.companion {
			r.mu.Unlock()
			return ErrAlreadyJoined
		}
	}
	m.room.Store(r)
	var reused []*Member
	if replaces != "" {
		reused = r.takeVacancy(m, replaces)
	}
	changed := []*Member{m}
	for _, x := range r.members {
		if err := r.link(x, m); err != nil {
			r.mu.Unlock()
			return err
		}
		if slices.Contains(reused, x) {
			continue // m's audio goes on the track x has
		}
		if err := r.link(m, x); err != nil {
			r.mu.Unlock()
			return err
		}
		changed = append(changed, x)
	}
	r.members = append(r.members, m)
	if m.hasTrack {
		r.joinedLocked(m)
	}
	r.mu.Unlock()
	for _, x := range changed {
		x.negotiate()
	}
	r.pushRoster()
	return nil
}

// link adds down tracks carrying src's audio, and the video src has
// turned on before, to dst. Called with r.mu held.
func (r *room) link(src, dst *Member) error {
	if err := r.linkKind(src, dst, kindAudio); err != nil {
		return err
	}
	for _, k := range videoKinds {
		if src.vslot[k] {
			if err := r.linkKind(src, dst, k); err != nil {
				return err
			}
		}
	}
	return nil
}

// linkKind adds a down track carrying src's track of kind to dst. Two
// devices of one user (a companion and the device it accompanies) get
// none from each other: the companion would play the user's own voice
// back into the room. Called with r.mu held.
func (r *room) linkKind(src, dst *Member, k trackKind) error {
	if src.user == dst.user {
		return nil
	}
	d, err := dst.addDownTrack(src, k)
	if err != nil {
		return err
	}
	if k == kindAudio && src.held.Load() {
		// The holder's place is taken by the music for the newcomer too.
		go r.svc.playMusicTo(src.musicChan(), d)
	}
	outs := append(slices.Clone(*src.outs[k].Load()), d)
	src.outs[k].Store(&outs)
	return nil
}

// detach removes m from the room with its down tracks, leaving its peer
// connection open (a merge moves it). The others are offered the change.
func (r *room) detach(m *Member) bool {
	r.mu.Lock()
	i := slices.Index(r.members, m)
	if i < 0 {
		r.mu.Unlock()
		return false
	}
	r.members = slices.Delete(r.members, i, i+1)
	r.forgetVacancies(m)
	if m.hasTrack {
		for _, t := range *r.taps.Load() {
			t.Left(m.part)
		}
	}
	m.stopMusic()
	for k := range m.outs {
		for _, d := range *m.outs[k].Load() {
			d.dst.removeDownTrack(d)
		}
		m.outs[k].Store(&[]*downTrack{})
		for _, x := range r.members {
			outs := slices.DeleteFunc(slices.Clone(*x.outs[k].Load()), func(d *downTrack) bool { return d.dst == m })
			x.outs[k].Store(&outs)
		}
	}
	m.removeAllDownTracks()
	others := slices.Clone(r.members)
	r.mu.Unlock()
	for _, x := range others {
		x.negotiate()
	}
	r.pushRoster()
	r.svc.dropIfEmpty(r)
	return true
}

// detachAll empties the room and returns who was in it.
func (r *room) detachAll() []*Member {
	r.mu.Lock()
	ms := slices.Clone(r.members)
	r.mu.Unlock()
	for _, m := range ms {
		r.detach(m)
	}
	return ms
}

// joinedLocked tells the taps m's audio arrived. Called with r.mu held.
func (r *room) joinedLocked(m *Member) {
	for _, t := range *r.taps.Load() {
		t.Joined(m.part)
	}
}

func (r *room) trackArrived(m *Member) {
	r.mu.Lock()
	defer r.mu.Unlock()
	m.hasTrack = true
	if slices.Contains(r.members, m) {
		r.joinedLocked(m)
	}
}

func (r *room) addTap(t Tap) (remove func()) {
	e := &tapEntry{t: t}
	r.mu.Lock()
	r.tapList = append(r.tapList, e)
	r.storeTapsLocked()
	for _, m := range r.members {
		if m.hasTrack {
			t.Joined(m.part)
		}
	}
	r.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.tapList = slices.DeleteFunc(r.tapList, func(x *tapEntry) bool { return x == e })
			r.storeTapsLocked()
		})
	}
}

func (r *room) storeTapsLocked() {
	ts := make([]Tap, len(r.tapList))
	for i, e := range r.tapList {
		ts[i] = e.t
	}
	r.taps.Store(&ts)
}

func (r *room) hold(userID string, on bool) error {
	r.mu.Lock()
	var m *Member
	for _, x := range r.members {
		if x.user == userID {
			m = x
		}
	}
	if m == nil {
		r.mu.Unlock()
		return ErrNotParticipant
	}
	if m.held.Swap(on) == on {
		r.mu.Unlock()
		return nil
	}
	m.pauseDownTracks(on)
	if on {
		stop := m.musicChan()
		for _, d := range *m.outs[kindAudio].Load() {
			go r.svc.playMusicTo(stop, d)
		}
	} else {
		m.stopMusic()
		for _, k := range videoKinds {
			for _, d := range *m.outs[k].Load() {
				d.requireKey()
			}
		}
	}
	r.mu.Unlock()
	r.pushRoster()
	return nil
}

func (r *room) roster() []Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Status, 0, len(r.members))
	for _, m := range r.members {
		if !m.companion { // a companion device is its user's second screen, not a participant
			out = append(out, Status{UserID: m.user, Name: m.name, Speaking: m.speaking, Muted: m.muted.Load(), Held: m.held.Load(),
				Camera: m.video[kindCamera].Load(), Screen: m.video[kindScreen].Load()})
		}
	}
	return out
}

// pushRoster sends the roster to every participant.
func (r *room) pushRoster() {
	roster := r.roster()
	r.mu.Lock()
	ms := slices.Clone(r.members)
	r.mu.Unlock()
	for _, m := range ms {
		m.send(Signal{CallID: r.id, Roster: roster})
	}
}

// updateSpeaking recomputes who is speaking and pushes the roster when it
// changed.
func (r *room) updateSpeaking(now time.Time) {
	window := r.svc.cfg.SpeakingWindow.Nanoseconds()
	changed := false
	r.mu.Lock()
	for _, m := range r.members {
		sp := !m.held.Load() && now.UnixNano()-m.lastLoud.Load() < window
		if sp != m.speaking {
			m.speaking = sp
			changed = true
		}
	}
	r.mu.Unlock()
	if changed {
		r.pushRoster()
	}
}
