package accounts

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strconv"

	"github.com/parley-voip/parley/server/httpx"
)

// Routes adds the account endpoints to mux:
//
//	POST   /api/signin         {login, password} → SignedIn
//	POST   /api/signout        ends the calling session
//	GET    /api/me             the signed-in User
//	GET    /api/sessions       the caller's own sessions
//	DELETE /api/sessions/{id}  ends one of the caller's sessions
func (s *Service) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/signin", s.handleSignIn)
	mux.Handle("POST /api/signout", s.Middleware(http.HandlerFunc(s.handleSignOut)))
	mux.Handle("GET /api/me", s.Middleware(http.HandlerFunc(handleMe)))
	mux.Handle("GET /api/sessions", s.Middleware(http.HandlerFunc(s.handleSessions)))
	mux.Handle("DELETE /api/sessions/{id}", s.Middleware(http.HandlerFunc(s.handleRevoke)))
}

// ClientAddr is the address throttling and audit logs use: the TCP peer.
// Forwarded headers are ignored; a server behind a proxy would need to be
// told which proxies to trust first.
func ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// AddrKey is the key per-address limits count under: the IP itself for
// IPv4, its /64 network for IPv6, because one IPv6 subscriber is usually
// given a whole /64 and could otherwise rotate through 2^64 addresses.
func AddrKey(host string) string {
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	ip = ip.Unmap()
	if ip.Is4() {
		return ip.String()
	}
	p, _ := ip.WithZone("").Prefix(64)
	return p.String()
}

type signInRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

func (s *Service) handleSignIn(w http.ResponseWriter, r *http.Request) {
	var req signInRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		httpx.WriteError(w, http.StatusBadRequest, "bad-request", err.Error())
		return
	}
	res, err := s.SignIn(r.Context(), req.Login, req.Password, ClientAddr(r), r.UserAgent())
	var te *ThrottledError
	switch {
	case errors.As(err, &te):
		w.Header().Set("Retry-After", strconv.Itoa(int(te.RetryAfter.Seconds())+1))
		httpx.WriteError(w, http.StatusTooManyRequests, "throttled", te.Error())
	case errors.Is(err, ErrBusy):
		w.Header().Set("Retry-After", "1")
		httpx.WriteError(w, http.StatusServiceUnavailable, "busy", "the server is busy; retry shortly")
	case errors.Is(err, ErrBadCredentials):
		httpx.WriteError(w, http.StatusUnauthorized, "bad-credentials", "wrong user or password")
	case err != nil:
		s.cfg.Logger.Error("sign-in", "err", err)
		httpx.WriteError(w, http.StatusInternalServerError, "internal", "internal error")
	default:
		res.Session.Current = true
		httpx.WriteJSON(w, http.StatusOK, res)
	}
}

func (s *Service) handleSignOut(w http.ResponseWriter, r *http.Request) {
	u, _ := UserFrom(r.Context())
	se, _ := SessionFrom(r.Context())
	if err := s.RevokeSession(r.Context(), u.ID, se.ID); err != nil && !errors.Is(err, ErrNotFound) {
		httpx.WriteError(w, http.StatusInternalServerError, "internal", "internal error")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func handleMe(w http.ResponseWriter, r *http.Request) {
	u, _ := UserFrom(r.Context())
	httpx.WriteJSON(w, http.StatusOK, u)
}

func (s *Service) handleSessions(w http.ResponseWriter, r *http.Request) {
	u, _ := UserFrom(r.Context())
	cur, _ := SessionFrom(r.Context())
	list, err := s.Sessions(r.Context(), u.ID)
	if err != nil {
		httpx.WriteError(w, http.StatusInternalServerError, "internal", "internal error")
		return
	}
	for i := range list {
		list[i].Current = list[i].ID == cur.ID
	}
	if list == nil {
		list = []Session{}
	}
	httpx.WriteJSON(w, http.StatusOK, struct {
		Sessions []Session `json:"sessions"`
	}{list})
}

func (s *Service) handleRevoke(w http.ResponseWriter, r *http.Request) {
	u, _ := UserFrom(r.Context())
	err := s.RevokeSession(r.Context(), u.ID, r.PathValue("id"))
	switch {
	case errors.Is(err, ErrNotFound):
		httpx.WriteError(w, http.StatusNotFound, "not-found", "no such session")
	case err != nil:
		httpx.WriteError(w, http.StatusInternalServerError, "internal", "internal error")
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}
