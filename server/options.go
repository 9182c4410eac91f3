package server

import (
	"crypto/tls"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/calllog"
)

// Option adjusts a Server beyond its Config.
type Option func(*Server)

// WithAuthenticator decides who each connection is. A server needs an
// authenticator: this, WithAccounts, or (tests only) WithTrustedClaims;
// New refuses to build one without.
func WithAuthenticator(a Authenticator) Option {
	return func(s *Server) {
		if a != nil {
			s.auth = a
		}
	}
}

// WithAccounts turns the server into the organization server: the
// WebSocket requires a session token (TokenAuthenticator), invites and
// chats go only to existing enabled users, the account and directory HTTP
// routes are served, and ending a session closes its connections.
func WithAccounts(a *accounts.Service) Option {
	return func(s *Server) {
		s.accounts = a
		s.directory = a.Store()
		s.auth = TokenAuthenticator{Accounts: a}
	}
}

// WithChat stores and serves chat through log (package chat).
func WithChat(log ChatLog) Option {
	return func(s *Server) { s.chat = log }
}

// WithCallLog keeps every user's call history in st (package calllog):
// the call relay records each call when it ends and pushes the record to
// the user's devices, and GET /api/calls serves it.
func WithCallLog(st calllog.Store) Option {
	return func(s *Server) { s.callLog = st }
}

// WithBus joins the server to the other nodes of its organization
// through b (package server/natsbus): presence, call signaling with
// parties on other nodes, chat delivery, pushes and sign-outs cross it.
// The caller closes b after Shutdown. Without it the server has its own
// LocalBus: one node.
func WithBus(b Bus) Option {
	return func(s *Server) { s.bus = b }
}

// WithTLS serves HTTPS and WSS with cert. Without it the server refuses to
// listen anywhere but on loopback.
func WithTLS(cert tls.Certificate) Option {
	return func(s *Server) { s.cert = &cert }
}

// WithTrustedClaims makes every connection whoever its hello says it is,
// one device per user, with no proof at all. It exists for tests of the
// signaling relay that need no accounts; anyone who can reach such a
// server can act as anyone. It must be asked for by name: New has no
// default authenticator, so no deployment runs unauthenticated by
// forgetting an option.
func WithTrustedClaims() Option {
	return func(s *Server) { s.auth = trustClaims{} }
}
