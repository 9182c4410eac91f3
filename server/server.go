package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server is the signaling server. Create it with New, then Start or Serve.
type Server struct {
	cfg  Config
	auth Authenticator
	hub  *hub
	mux  *http.ServeMux
	http *http.Server

	mu   sync.Mutex
	addr net.Addr

	conns sync.WaitGroup // one per WebSocket handler
}

// New checks cfg, applies its defaults and builds a server that is not yet
// listening.
func New(cfg Config, opts ...Option) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	s := &Server{
		cfg:  cfg,
		auth: trustClaims{},
		hub:  newHub(cfg.Logger),
		mux:  http.NewServeMux(),
	}
	for _, o := range opts {
		o(s)
	}
	s.mux.HandleFunc("GET /ws", s.handleWS)
	s.mux.HandleFunc("GET /healthz", s.handleHealth)
	s.http = &http.Server{
		Handler:           s.mux,
		ReadHeaderTimeout: 10 * time.Second,
	}
	return s, nil
}

// Handler returns the server's HTTP routes, for mounting in another
// http.Server.
func (s *Server) Handler() http.Handler { return s.mux }

// Serve accepts connections on ln until Shutdown. It returns nil after a
// clean shutdown.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	s.addr = ln.Addr()
	s.mu.Unlock()
	s.cfg.Logger.Info("serving", "addr", ln.Addr().String())
	if err := s.http.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("server: serve: %w", err)
	}
	return nil
}

// Start listens on Config.Addr and serves in the background. It returns the
// address actually bound (useful with port 0).
func (s *Server) Start(ctx context.Context) (string, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return "", fmt.Errorf("server: listen %s: %w", s.cfg.Addr, err)
	}
	s.mu.Lock()
	s.addr = ln.Addr()
	s.mu.Unlock()
	go func() {
		if err := s.Serve(ln); err != nil {
			s.cfg.Logger.Error("serve stopped", "err", err)
		}
	}()
	return ln.Addr().String(), nil
}

// Addr is the listening address, or "" before Start/Serve.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.addr == nil {
		return ""
	}
	return s.addr.String()
}

// URL is the signaling endpoint, ws://host:port/ws, or "" before
// Start/Serve.
func (s *Server) URL() string {
	a := s.Addr()
	if a == "" {
		return ""
	}
	return "ws://" + a + "/ws"
}

// Shutdown stops accepting, closes every signaling connection with status
// 1001 (going away) and waits for them until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.http.Shutdown(ctx)
	// http.Server does not track hijacked (WebSocket) connections.
	s.hub.shutdown()
	done := make(chan struct{})
	go func() {
		s.conns.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		return fmt.Errorf("server: shutdown: %w", ctx.Err())
	}
	if err != nil {
		return fmt.Errorf("server: shutdown: %w", err)
	}
	return nil
}
