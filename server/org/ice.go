package org

import (
	"context"
	"time"

	"github.com/parley-voip/parley/server"
	"github.com/parley-voip/parley/server/turn"
	"github.com/parley-voip/parley/signaling"
)

// iceService hands every signed-in user STUN/TURN servers with credentials
// of their own: at sign-in and, for everyone online, again at half the
// credentials' lifetime, so a client always holds one with at least half
// its lifetime left.
type iceService struct {
	turn *turn.Server
	srv  *server.Server
	stop context.CancelFunc
	done chan struct{}
}

func startICE(t *turn.Server, srv *server.Server) *iceService {
	ctx, cancel := context.WithCancel(context.Background())
	s := &iceService{turn: t, srv: srv, stop: cancel, done: make(chan struct{})}
	srv.OnConnect(func(userID string) { s.push(userID) })
	go s.refresh(ctx, t.Issuer().TTL()/2)
	return s
}

// message is the ice-servers message for userID.
func (s *iceService) message(userID string) (*signaling.Message, error) {
	c, err := s.turn.Credentials(userID)
	if err != nil {
		return nil, err
	}
	return &signaling.Message{Type: signaling.TypeICEServers, ICEServers: []signaling.ICEServer{{
		URLs: c.URLs, Username: c.Username, Credential: c.Password, Expires: c.Expires.Unix(),
	}}}, nil
}

func (s *iceService) push(userID string) {
	if m, err := s.message(userID); err == nil {
		s.srv.Notify(userID, m)
	}
}

func (s *iceService) refresh(ctx context.Context, every time.Duration) {
	defer close(s.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for _, u := range s.srv.Online() {
				s.push(u)
			}
		}
	}
}

// close stops the refresher and the TURN server.
func (s *iceService) close() error {
	s.stop()
	<-s.done
	return s.turn.Close()
}
