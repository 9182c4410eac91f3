package recording

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/httpx"
)

// Register mounts the recording routes on mux behind auth (the accounts
// bearer-token middleware, which puts the user in the request context):
//
//	GET    /api/recordings                  the caller's recordings
//	GET    /api/recordings/{id}             one recording (participants only)
//	GET    /api/recordings/{id}/tracks/{n}  track n as audio/ogg (participants only)
//	DELETE /api/recordings/{id}             its starter or an administrator
//
// A recording someone did not take part in answers 404, as one that does
// not exist.
func (s *Service) Register(mux *http.ServeMux, auth func(http.Handler) http.Handler) {
	h := func(f func(http.ResponseWriter, *http.Request, accounts.User)) http.Handler {
		return auth(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			u, ok := accounts.UserFrom(r.Context())
			if !ok {
				httpx.WriteError(w, http.StatusUnauthorized, "unauthorized", "sign in first")
				return
			}
			f(w, r, u)
		}))
	}
	mux.Handle("GET /api/recordings", h(s.handleList))
	mux.Handle("GET /api/recordings/{id}", h(s.handleGet))
	mux.Handle("GET /api/recordings/{id}/tracks/{n}", h(s.handleTrack))
	mux.Handle("DELETE /api/recordings/{id}", h(s.handleDelete))
}

func (s *Service) fail(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		httpx.WriteError(w, http.StatusNotFound, "not-found", "no such recording")
	case errors.Is(err, ErrForbidden):
		httpx.WriteError(w, http.StatusForbidden, "forbidden", err.Error())
	default:
		s.log.Error("recording request", "err", err)
		httpx.WriteError(w, http.StatusInternalServerError, "internal", "internal error")
	}
}

func (s *Service) handleList(w http.ResponseWriter, r *http.Request, u accounts.User) {
	list, err := s.List(r.Context(), u.ID)
	if err != nil {
		s.fail(w, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"recordings": list})
}

func (s *Service) handleGet(w http.ResponseWriter, r *http.Request, u accounts.User) {
	info, err := s.Get(r.Context(), r.PathValue("id"), u.ID)
	if err != nil {
		s.fail(w, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, info)
}

func (s *Service) handleTrack(w http.ResponseWriter, r *http.Request, u accounts.User) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 {
		s.fail(w, ErrNotFound)
		return
	}
	id := r.PathValue("id")
	rc, t, err := s.OpenTrack(r.Context(), id, n, u.ID)
	if err != nil {
		s.fail(w, err)
		return
	}
	defer rc.Close()
	w.Header().Set("Content-Type", "audio/ogg")
	w.Header().Set("Content-Length", strconv.FormatInt(plainSize(t.Bytes), 10))
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%d.opus"`, id, n))
	w.Header().Set("Cache-Control", "no-store")
	if _, err := io.Copy(w, rc); err != nil {
		// The status is sent: cut the response so the client sees a
		// failed download rather than a short file.
		s.log.Error("recording download", "id", id, "track", n, "err", err)
		panic(http.ErrAbortHandler)
	}
}

// plainSize is the Ogg size of a sealed file of n bytes: every chunk but
// the last is full, and the last is shorter than full.
func plainSize(n int64) int64 {
	body := n - int64(len(fileMagic))
	full := body / (4 + maxSealedChunk)
	rest := body - full*(4+maxSealedChunk)
	return full*chunkSize + rest - 4 - sealingOverhead
}

func (s *Service) handleDelete(w http.ResponseWriter, r *http.Request, u accounts.User) {
	if err := s.Delete(r.Context(), r.PathValue("id"), u.ID, u.Admin); err != nil {
		s.fail(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
