package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/httpx"
	"github.com/parley-voip/parley/signaling"
)

// Info is GET /api/info: what an app needs before signing in. It is public;
// over TLS the app compares Fingerprint with the certificate it was shown
// (trust on first use) and pins it.
type Info struct {
	Organization string `json:"organization,omitempty"`
	Version      string `json:"version"`
	Accounts     bool   `json:"accounts"` // sign-in required (organization server)
	TLS          bool   `json:"tls"`
	Fingerprint  string `json:"fingerprint,omitempty"` // SHA-256 of the certificate
}

func (s *Server) handleInfo(w http.ResponseWriter, r *http.Request) {
	info := Info{Version: s.cfg.Version, Accounts: s.accounts != nil, TLS: s.cert != nil, Fingerprint: s.fingerprint}
	if s.accounts != nil {
		if name, err := s.accounts.Store().OrgName(r.Context()); err == nil {
			info.Organization = name
		}
	}
	httpx.WriteJSON(w, http.StatusOK, info)
}

// DirectoryEntry is one user in GET /api/users.
type DirectoryEntry struct {
	ID          string           `json:"id"`
	DisplayName string           `json:"display_name"`
	Email       string           `json:"email,omitempty"`
	Presence    signaling.Status `json:"presence"`
}

func queryInt(r *http.Request, name string, def, maxV int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > maxV {
		return 0, errors.New(name + " must be a number from 0 to " + strconv.Itoa(maxV))
	}
	return n, nil
}

// pageLimit reads ?limit= for a page: def when absent or 0, at most maxV.
func pageLimit(r *http.Request, def, maxV int) (int, error) {
	n, err := queryInt(r, "limit", def, maxV)
	if err == nil && n == 0 {
		n = def
	}
	return n, err
}

// handleUsers lists and searches enabled users with their presence.
func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request) {
	limit, err := pageLimit(r, 100, accounts.MaxListLimit)
	offset, err2 := queryInt(r, "offset", 0, 1<<30)
	q := r.URL.Query().Get("q")
	if err := errors.Join(err, err2); err != nil || len(q) > 128 {
		httpx.WriteError(w, http.StatusBadRequest, "bad-request", "q (at most 128 bytes), limit, offset")
		return
	}
	users, err := s.directory.ListUsers(r.Context(), accounts.Query{Search: q, Limit: limit, Offset: offset, EnabledOnly: true})
	if err != nil {
		s.cfg.Logger.Error("listing users", "err", err)
		httpx.WriteError(w, http.StatusInternalServerError, "internal", "internal error")
		return
	}
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	st := s.hub.presenceOf(ids)
	out := make([]DirectoryEntry, len(users))
	for i, u := range users {
		out[i] = DirectoryEntry{ID: u.ID, DisplayName: u.DisplayName, Email: u.Email, Presence: st[i]}
	}
	httpx.WriteJSON(w, http.StatusOK, struct {
		Users []DirectoryEntry `json:"users"`
	}{out})
}

func (s *Server) handleUser(w http.ResponseWriter, r *http.Request) {
	u, err := s.directory.User(r.Context(), r.PathValue("id"))
	if errors.Is(err, accounts.ErrNotFound) || err == nil && !u.Enabled {
		httpx.WriteError(w, http.StatusNotFound, "not-found", "no such user")
		return
	}
	if err != nil {
		httpx.WriteError(w, http.StatusInternalServerError, "internal", "internal error")
		return
	}
	st := s.hub.presenceOf([]string{u.ID})
	httpx.WriteJSON(w, http.StatusOK, DirectoryEntry{ID: u.ID, DisplayName: u.DisplayName, Email: u.Email, Presence: st[0]})
}

// maxHistoryPage bounds one page of chat history.
const maxHistoryPage = 200

// handleHistory pages through the caller's conversation with {peer}:
// ?before=<message id>&limit=<n>, newest first. The caller can only ever
// read conversations they are a party of: one side is always themselves.
func (s *Server) handleHistory(w http.ResponseWriter, r *http.Request) {
	me, _ := accounts.UserFrom(r.Context())
	limit, err := pageLimit(r, 50, maxHistoryPage)
	before, err2 := queryInt(r, "before", 0, 1<<62)
	peer := r.PathValue("peer")
	if err := errors.Join(err, err2); err != nil || !accounts.ValidID(peer) {
		httpx.WriteError(w, http.StatusBadRequest, "bad-request", "peer must be a user id; before and limit numbers")
		return
	}
	msgs, err := s.chat.History(r.Context(), me.ID, peer, int64(before), limit)
	if err != nil {
		s.cfg.Logger.Error("chat history", "err", err)
		httpx.WriteError(w, http.StatusInternalServerError, "internal", "internal error")
		return
	}
	if msgs == nil {
		msgs = []signaling.ChatMessage{}
	}
	next := ""
	if len(msgs) == limit {
		next = msgs[len(msgs)-1].ID
	}
	httpx.WriteJSON(w, http.StatusOK, struct {
		Messages []signaling.ChatMessage `json:"messages"`
		Before   string                  `json:"next_before,omitempty"`
	}{msgs, next})
}
