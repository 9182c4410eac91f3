package accounts

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/parley-voip/parley/server/httpx"
)

// CookieName is the session cookie the admin portal sets (scoped to
// /admin/, read by the portal alone). Everything else, /api/* and the
// WebSocket, takes "Authorization: Bearer <token>" only: a cookie rides
// along with cross-site requests, a bearer header does not.
const CookieName = "parley_session"

type ctxKey int

const (
	userKey ctxKey = iota
	sessionKey
)

// WithUser returns ctx carrying u and se, as Middleware does.
func WithUser(ctx context.Context, u User, se Session) context.Context {
	return context.WithValue(context.WithValue(ctx, userKey, u), sessionKey, se)
}

// UserFrom returns the signed-in user Middleware put in ctx.
func UserFrom(ctx context.Context) (User, bool) {
	u, ok := ctx.Value(userKey).(User)
	return u, ok
}

// SessionFrom returns the session Middleware put in ctx.
func SessionFrom(ctx context.Context) (Session, bool) {
	se, ok := ctx.Value(sessionKey).(Session)
	return se, ok
}

// TokenFrom extracts the session token from "Authorization: Bearer
// <token>"; it is "" without one. The portal's session cookie is
// deliberately not consulted.
func TokenFrom(r *http.Request) string {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

// Middleware admits only requests with a valid bearer session token and puts the
// user and session in the request context. Others get 401 with error code
// "unauthorized".
func (s *Service) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, se, err := s.Authenticate(r.Context(), TokenFrom(r))
		switch {
		case errors.Is(err, ErrUnauthenticated):
			w.Header().Set("WWW-Authenticate", `Bearer realm="parley"`)
			httpx.WriteError(w, http.StatusUnauthorized, "unauthorized", "sign in first")
			return
		case err != nil:
			s.cfg.Logger.Error("authenticating request", "err", err)
			httpx.WriteError(w, http.StatusInternalServerError, "internal", "internal error")
			return
		}
		next.ServeHTTP(w, r.WithContext(WithUser(r.Context(), u, se)))
	})
}

// RequireAdmin admits only admins; wrap it inside Middleware. Others get 403
// with error code "forbidden" (401 when no user is in the context at all).
func RequireAdmin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, ok := UserFrom(r.Context())
		if !ok {
			httpx.WriteError(w, http.StatusUnauthorized, "unauthorized", "sign in first")
			return
		}
		if !u.Admin {
			httpx.WriteError(w, http.StatusForbidden, "forbidden", "administrators only")
			return
		}
		next.ServeHTTP(w, r)
	})
}
