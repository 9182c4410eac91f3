package captions

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/httpx"
	"github.com/parley-voip/parley/signaling"
)

// Handler serves the transcript routes; mount it behind the accounts
// middleware (it needs the signed-in user):
//
//	GET /api/transcripts                  the caller's transcripts, newest first
//	GET /api/transcripts/{call}           one, as JSON
//	GET /api/transcripts/{call}?format=text  one, as text/plain lines
//
// Only the call's participants get a transcript; everyone else gets 404,
// as if there were none.
func (s *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/transcripts", s.handleList)
	mux.HandleFunc("GET /api/transcripts/{call}", s.handleGet)
	return mux
}

func (s *Service) handleList(w http.ResponseWriter, r *http.Request) {
	u, ok := accounts.UserFrom(r.Context())
	if !ok {
		httpx.WriteError(w, http.StatusUnauthorized, "unauthorized", "sign in first")
		return
	}
	list, err := s.store.list(r.Context(), u.ID, s.cfg.Now(), 200)
	if err != nil {
		s.log.Error("listing transcripts", "err", err)
		httpx.WriteError(w, http.StatusInternalServerError, "internal", "internal error")
		return
	}
	httpx.WriteJSON(w, http.StatusOK, list)
}

func (s *Service) handleGet(w http.ResponseWriter, r *http.Request) {
	u, ok := accounts.UserFrom(r.Context())
	if !ok {
		httpx.WriteError(w, http.StatusUnauthorized, "unauthorized", "sign in first")
		return
	}
	callID := r.PathValue("call")
	if callID == "" || len(callID) > signaling.MaxIDLen {
		httpx.WriteError(w, http.StatusBadRequest, "bad-request", "call id")
		return
	}
	t, err := s.store.get(r.Context(), callID, u.ID, s.cfg.Now())
	switch {
	case errors.Is(err, ErrNotFound):
		httpx.WriteError(w, http.StatusNotFound, "not-found", "no transcript")
		return
	case err != nil:
		s.log.Error("reading transcript", "call", callID, "err", err)
		httpx.WriteError(w, http.StatusInternalServerError, "internal", "internal error")
		return
	}
	if r.URL.Query().Get("format") == "text" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="transcript-`+safeName(callID)+`.txt"`)
		_, _ = w.Write([]byte(t.Text()))
		return
	}
	httpx.WriteJSON(w, http.StatusOK, t)
}

// Text renders the transcript as "[hh:mm:ss] Name: text" lines, times from
// the start of captions.
func (t Transcript) Text() string {
	var b strings.Builder
	for _, l := range t.Lines {
		d := time.Duration(l.Start-t.Started) * time.Millisecond
		name := l.Name
		if name == "" {
			name = l.Speaker
		}
		fmt.Fprintf(&b, "[%02d:%02d:%02d] %s: %s\n", int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60, name, l.Text)
	}
	return b.String()
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}

// HasTranscript reports whether call callID has a transcript userID may
// download, for the call's entry in their history.
func (s *Service) HasTranscript(ctx context.Context, callID, userID string) (bool, error) {
	return s.store.has(ctx, callID, userID, s.cfg.Now())
}

// Purge deletes transcripts past their retention; the organization calls
// it periodically.
func (s *Service) Purge(ctx context.Context) (int64, error) { return s.store.purge(ctx, s.cfg.Now()) }
