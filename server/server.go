package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"github.com/parley-voip/parley/server/sfu"
	"net"
	"net/http"
	"sync"

	"github.com/coder/websocket"

	"github.com/parley-voip/parley/api"
	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/calllog"
	"github.com/parley-voip/parley/signaling"
)

// Server is the signaling server. Create it with New, then Start or Serve.
type Server struct {
	cfg  Config
	auth Authenticator
	hub  *hub
	mux  *http.ServeMux
	http *http.Server

	accounts    *accounts.Service // nil: walking-skeleton mode
	directory   accounts.Users
	chat        ChatLog
	recordings  Recordings
	transcripts Transcripts
	policies    Policies // WithPolicies: call control's settings
	callLog     calllog.Store
	logging     sync.WaitGroup // call history being written (recordCall)
	cert        *tls.Certificate
	fingerprint string
	onConnect   []func(userID string)
	bus         Bus
	ownBus      bool         // New made bus; Shutdown closes it
	media       *sfu.Service // WithMedia; handed to the hub
	handlers    map[signaling.Type]Handler

	autoProvision bool

	mu   sync.Mutex
	addr net.Addr

	connsPerAddr *keyedLimit // TCP connections per remote IP
	pendingAddr  *keyedLimit // unauthenticated WebSockets per remote IP
	pendingAll   *keyedLimit // … overall, key ""

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
		cfg: cfg,
		mux: http.NewServeMux(),

		connsPerAddr: newKeyedLimit(cfg.Limits.MaxConnsPerAddr),
		pendingAddr:  newKeyedLimit(cfg.Limits.MaxPendingWebSocketsPerAddr),
		pendingAll:   newKeyedLimit(cfg.Limits.MaxPendingWebSockets),
	}
	for _, o := range opts {
		o(s)
	}
	if s.auth == nil {
		return nil, ErrNoAuthenticator
	}
	if s.bus == nil {
		s.bus, s.ownBus = NewLocalBus(), true
	}
	s.hub = newHub(cfg, s.bus)
	s.hub.sfu = s.media
	if err := s.hub.join(!s.ownBus); err != nil {
		if s.ownBus {
			_ = s.bus.Close()
		}
		return nil, fmt.Errorf("server: joining the bus: %w", err)
	}
	if s.callLog != nil {
		s.hub.onEnded = s.recordCall
	}
	if s.recordings != nil {
		s.hub.onGone = s.callGone
		s.hub.onJoined = s.tellJoiner
		s.recordings.OnJoin(s.tellJoined)
	}
	s.auth = admitted{s.auth}
	s.mux.Handle("GET /ws", s.admitWebSocket(http.HandlerFunc(s.handleWS)))
	s.mux.HandleFunc("GET /healthz", s.handleHealth)
	s.mux.HandleFunc("GET /api/info", s.handleInfo)
	if s.cert != nil {
		s.fingerprint = api.Fingerprint(s.cert.Certificate[0])
	}
	if s.accounts != nil {
		s.accounts.Routes(s.mux)
		s.accounts.OnRevoke(func(userID, sessionID string) {
			s.hub.kick(userID, sessionID, signaling.CloseSignedOut, "signed out")
		})
		s.mux.Handle("GET /api/users", s.accounts.Middleware(http.HandlerFunc(s.handleUsers)))
		s.mux.Handle("GET /api/users/{id}", s.accounts.Middleware(http.HandlerFunc(s.handleUser)))
		if s.chat != nil {
			s.mux.Handle("GET /api/chats/{peer}/messages", s.accounts.Middleware(http.HandlerFunc(s.handleHistory)))
			s.mux.Handle("GET /api/chats", s.accounts.Middleware(http.HandlerFunc(s.handleConversations)))
		}
		if s.callLog != nil {
			s.mux.Handle("GET /api/calls", s.accounts.Middleware(http.HandlerFunc(s.handleCalls)))
		}
	}
	lim := cfg.Limits
	s.http = &http.Server{
		Handler:           s.mux,
		ReadHeaderTimeout: lim.ReadHeaderTimeout,
		ReadTimeout:       lim.ReadTimeout,
		WriteTimeout:      lim.ResponseTimeout,
		IdleTimeout:       lim.IdleTimeout,
	}
	return s, nil
}

// Fingerprint is the SHA-256 fingerprint of the server's TLS certificate,
// or "" without TLS.
func (s *Server) Fingerprint() string { return s.fingerprint }

// Mux is the server's router, for other packages (admin, policy) to add
// routes to before serving.
func (s *Server) Mux() *http.ServeMux { return s.mux }

// OnConnect registers f to be called (on the connection's goroutine) each
// time a user's device has connected and been welcomed, e.g. to push the
// user's effective policy. Call before serving.
func (s *Server) OnConnect(f func(userID string)) { s.onConnect = append(s.onConnect, f) }

// Notify sends m to every connected device of userID without blocking and
// reports how many devices it was queued for.
func (s *Server) Notify(userID string, m *signaling.Message) int {
	return s.hub.notify(userID, m)
}

// Node is this server's id among the nodes sharing its Bus.
func (s *Server) Node() string { return s.hub.node }

// Online lists the users with at least one live connection on any node,
// sorted.
func (s *Server) Online() []string { return s.hub.online() }

// Disconnect closes userID's connections (all of them when device is
// ""), telling them they were signed out.
func (s *Server) Disconnect(userID, device string) {
	s.hub.kick(userID, device, websocket.StatusCode(signaling.CloseSignedOut), "signed out")
}

// Handler returns the server's HTTP routes, for mounting in another
// http.Server.
func (s *Server) Handler() http.Handler { return s.mux }

// Serve accepts connections on ln until Shutdown. It returns nil after a
// clean shutdown.
func (s *Server) Serve(ln net.Listener) error {
	if err := s.checkExposure(ln.Addr()); err != nil {
		return err
	}
	ln = &perAddrListener{Listener: ln, lim: s.connsPerAddr, log: s.cfg.Logger}
	if s.cert != nil {
		ln = tls.NewListener(ln, &tls.Config{
			Certificates: []tls.Certificate{*s.cert},
			MinVersion:   tls.VersionTLS12,
		})
	}
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
	if err := s.checkExposure(ln.Addr()); err != nil {
		ln.Close()
		return "", err
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
	if s.cert != nil {
		return "wss://" + a + "/ws"
	}
	return "ws://" + a + "/ws"
}

// BaseURL is the HTTP API's root, http(s)://host:port, or "" before
// Start/Serve.
func (s *Server) BaseURL() string {
	a := s.Addr()
	if a == "" {
		return ""
	}
	if s.cert != nil {
		return "https://" + a
	}
	return "http://" + a
}

// checkExposure refuses what is only safe on loopback: plain HTTP and
// auto-provisioning.
func (s *Server) checkExposure(a net.Addr) error {
	if isLoopback(a) {
		return nil
	}
	if s.cert == nil {
		return fmt.Errorf("%w: %s", ErrPlainNotLoopback, a)
	}
	if s.autoProvision {
		return fmt.Errorf("%w: %s", ErrProvisionNotLoopback, a)
	}
	return nil
}

// isLoopback reports whether a listener address is loopback only.
func isLoopback(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}

// Shutdown stops accepting, closes every signaling connection with status
// 1001 (going away) and waits for them, and for the call history they
// left to write, until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.http.Shutdown(ctx)
	// http.Server does not track hijacked (WebSocket) connections.
	s.hub.shutdown()
	done := make(chan struct{})
	go func() {
		s.conns.Wait()
		s.logging.Wait() // after conns: a closing connection may end a call
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		return fmt.Errorf("server: shutdown: %w", ctx.Err())
	}
	if s.ownBus {
		_ = s.bus.Close()
	}
	if err != nil {
		return fmt.Errorf("server: shutdown: %w", err)
	}
	return nil
}
