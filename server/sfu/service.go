package sfu

import "sync"

// Service is the media service: the rooms of the standard calls it carries.
type Service struct {
	mu    sync.Mutex
	rooms map[string]*room
	e2ee  map[string]bool
}

type room struct {
	mu   sync.Mutex
	taps []*tapEntry
}

type tapEntry struct{ t Tap }

// AddTap adds t to the room of callID. remove stops it; it is safe to call
// more than once.
func (s *Service) AddTap(callID string, t Tap) (remove func(), err error) {
	s.mu.Lock()
	if s.e2ee[callID] {
		s.mu.Unlock()
		return nil, ErrE2EE
	}
	r := s.rooms[callID]
	s.mu.Unlock()
	if r == nil {
		return nil, ErrNoSuchRoom
	}
	e := &tapEntry{t: t}
	r.mu.Lock()
	r.taps = append(r.taps, e)
	r.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			r.mu.Lock()
			defer r.mu.Unlock()
			for i, x := range r.taps {
				if x == e {
					r.taps = append(r.taps[:i:i], r.taps[i+1:]...)
					return
				}
			}
		})
	}, nil
}
