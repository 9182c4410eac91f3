package turn

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sync"

	"github.com/parley-voip/parley/internal/pionlog"
	"github.com/pion/transport/v5/stdnet"
	pturn "github.com/pion/turn/v5"
)

// Server is the running TURN/STUN service with its credential issuer. With
// Config.External it runs nothing and only issues credentials.
type Server struct {
	cfg    Config
	issuer *Issuer
	srv    *pturn.Server // nil when External
	quota  *quota

	udp net.Addr
	tcp net.Addr
	tls net.Addr
}

// New validates cfg, opens the listeners and starts serving.
func New(cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	s := &Server{cfg: cfg, quota: &quota{max: cfg.QuotaPerUser, held: map[string]int{}}}
	if cfg.External {
		s.issuer = newIssuer(cfg)
		return s, nil
	}
	if err := s.listen(); err != nil {
		return nil, err
	}
	if len(cfg.URLs) == 0 {
		cfg.URLs = s.ownURLs()
	}
	s.cfg = cfg
	s.issuer = newIssuer(cfg)
	return s, nil
}

func (s *Server) listen() (err error) {
	cfg := s.cfg
	n := cfg.Net
	if n == nil {
		if n, err = stdnet.NewNet(); err != nil {
			return fmt.Errorf("turn: network: %w", err)
		}
	}
	relay := func() pturn.RelayAddressGenerator {
		return &pturn.RelayAddressGeneratorPortRange{
			RelayAddress: net.IP(cfg.PublicIP.AsSlice()),
			Address:      cfg.RelayBind.String(),
			MinPort:      cfg.PortMin,
			MaxPort:      cfg.PortMax,
			Net:          n,
		}
	}
	var closers []func() error
	defer func() {
		if err != nil {
			for _, c := range closers {
				_ = c()
			}
		}
	}()
	pcfg := pturn.ServerConfig{
		Realm:         cfg.Realm,
		LoggerFactory: pionlog.Factory{Log: cfg.Logger},
		AuthHandler:   s.authenticate,
		QuotaHandler:  s.quota.allow,
		EventHandler: pturn.EventHandler{
			OnAllocationCreated: func(_, _ net.Addr, _, userID, _ string, _ net.Addr, _ int) { s.quota.created(userID) },
			OnAllocationDeleted: func(_, _ net.Addr, _, userID, _ string) { s.quota.deleted(userID) },
		},
	}
	if cfg.UDP != listenOff {
		pc, err := n.ListenPacket("udp4", cfg.UDP)
		if err != nil {
			return fmt.Errorf("turn: listen UDP %s: %w", cfg.UDP, err)
		}
		closers = append(closers, pc.Close)
		s.udp = pc.LocalAddr()
		pcfg.PacketConnConfigs = append(pcfg.PacketConnConfigs, pturn.PacketConnConfig{PacketConn: pc, RelayAddressGenerator: relay()})
	}
	listenTCP := func(addr string) (net.Listener, error) {
		ta, err := n.ResolveTCPAddr("tcp4", addr)
		if err != nil {
			return nil, err
		}
		return n.ListenTCP("tcp4", ta)
	}
	if cfg.TCP != listenOff {
		ln, err := listenTCP(cfg.TCP)
		if err != nil {
			return fmt.Errorf("turn: listen TCP %s: %w", cfg.TCP, err)
		}
		closers = append(closers, ln.Close)
		s.tcp = ln.Addr()
		pcfg.ListenerConfigs = append(pcfg.ListenerConfigs, pturn.ListenerConfig{Listener: ln, RelayAddressGenerator: relay()})
	}
	if cfg.TLS != "" && cfg.TLS != listenOff {
		ln, err := listenTCP(cfg.TLS)
		if err != nil {
			return fmt.Errorf("turn: listen TLS %s: %w", cfg.TLS, err)
		}
		closers = append(closers, ln.Close)
		s.tls = ln.Addr()
		tl := tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{*cfg.Certificate}, MinVersion: tls.VersionTLS12})
		pcfg.ListenerConfigs = append(pcfg.ListenerConfigs, pturn.ListenerConfig{Listener: tl, RelayAddressGenerator: relay()})
	}
	srv, err := pturn.NewServer(pcfg)
	if err != nil {
		return fmt.Errorf("turn: start: %w", err)
	}
	s.srv = srv
	return nil
}

// authenticate is pion's AuthHandler: it gives the long-term key for a
// username this issuer could have made and that has not expired. Pion
// checks the request's MESSAGE-INTEGRITY with it, so a wrong password
// fails there.
func (s *Server) authenticate(ra *pturn.RequestAttributes) (string, []byte, bool) {
	userID, password, err := s.issuer.check(ra.Username)
	if err != nil {
		s.cfg.Logger.Debug("turn: refused", "src", ra.SrcAddr, "err", err)
		return "", nil, false
	}
	return userID, pturn.GenerateAuthKey(ra.Username, ra.Realm, password), true
}

// ownURLs are the built-in listeners as clients reach them.
func (s *Server) ownURLs() []string {
	host := s.cfg.Host
	if host == "" {
		host = s.cfg.PublicIP.String()
	}
	hp := func(a net.Addr) string {
		_, port, _ := net.SplitHostPort(a.String())
		return net.JoinHostPort(host, port)
	}
	var urls []string
	if s.udp != nil {
		urls = append(urls, "stun:"+hp(s.udp), "turn:"+hp(s.udp)+"?transport=udp")
	}
	if s.tcp != nil {
		urls = append(urls, "turn:"+hp(s.tcp)+"?transport=tcp")
	}
	if s.tls != nil {
		urls = append(urls, "turns:"+hp(s.tls)+"?transport=tcp")
	}
	return urls
}

// Issuer makes the credentials clients use with this server.
func (s *Server) Issuer() *Issuer { return s.issuer }

// Credentials is a fresh credential for userID with the URLs to use it at.
func (s *Server) Credentials(userID string) (Credential, error) { return s.issuer.Issue(userID) }

// URLs are the TURN/STUN URLs handed to clients.
func (s *Server) URLs() []string { return append([]string(nil), s.cfg.URLs...) }

// Allocations is how many relayed allocations are live.
func (s *Server) Allocations() int { return s.quota.total() }

// UDPAddr, TCPAddr and TLSAddr are the listeners' addresses; nil when off.
func (s *Server) UDPAddr() net.Addr { return s.udp }

// TCPAddr is the TCP listener's address; nil when off.
func (s *Server) TCPAddr() net.Addr { return s.tcp }

// TLSAddr is the TLS listener's address; nil when off.
func (s *Server) TLSAddr() net.Addr { return s.tls }

// Close stops the server and releases every allocation.
func (s *Server) Close() error {
	if s.srv == nil {
		return nil
	}
	if err := s.srv.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("turn: close: %w", err)
	}
	return nil
}

// quota counts live allocations per user. The check and the count are two
// steps (pion asks before it allocates and reports after), so two
// allocations racing on different TCP connections can pass one over the
// quota; on one UDP listener requests are handled in turn.
type quota struct {
	max  int
	mu   sync.Mutex
	held map[string]int
}

func (q *quota) allow(userID, _ string, _ net.Addr) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.held[userID] < q.max
}

func (q *quota) created(userID string) {
	q.mu.Lock()
	q.held[userID]++
	q.mu.Unlock()
}

func (q *quota) deleted(userID string) {
	q.mu.Lock()
	if q.held[userID]--; q.held[userID] <= 0 {
		delete(q.held, userID)
	}
	q.mu.Unlock()
}

func (q *quota) total() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for _, c := range q.held {
		n += c
	}
	return n
}
