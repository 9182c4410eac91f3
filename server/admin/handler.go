package admin

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/httpx"
	"github.com/parley-voip/parley/server/policy"
)

// Handler serves the admin API and portal. Mount it with Register.
type Handler struct {
	pol       *policy.Service
	acc       Accounts
	log       *slog.Logger
	secure    bool
	csrfKey   [32]byte // HMAC key binding CSRF tokens to sessions
	crossOrig *http.CrossOriginProtection
	mux       *http.ServeMux
}

// route is one admin endpoint. Every route in routes() is admin-only; the
// authorization test walks this list.
type route struct {
	method, pattern string
	h               authedHandler
}

type authedHandler func(w http.ResponseWriter, r *http.Request, admin accounts.User)

// New builds the handler.
func New(cfg Config) (*Handler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	h := &Handler{
		pol:       cfg.Policies,
		acc:       cfg.Accounts,
		log:       cfg.Logger,
		secure:    cfg.SecureCookies,
		crossOrig: http.NewCrossOriginProtection(),
		mux:       http.NewServeMux(),
	}
	_, _ = rand.Read(h.csrfKey[:]) // crypto/rand.Read never fails
	for _, rt := range h.apiRoutes() {
		h.mux.Handle(rt.method+" "+rt.pattern, h.api(rt.h))
	}
	for _, rt := range h.portalRoutes() {
		h.mux.Handle(rt.method+" "+rt.pattern, h.page(rt.h))
	}
	h.mux.HandleFunc("GET /admin/login", h.loginPage)
	h.mux.Handle("POST /admin/login", h.crossOrig.Handler(http.HandlerFunc(h.loginSubmit)))
	h.mux.Handle("GET /admin/static/", http.StripPrefix("/admin/static/", http.FileServerFS(staticFS())))
	return h, nil
}

// Register mounts the handler's routes (/api/admin/ and /admin/) on mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.Handle("/api/admin/", h)
	mux.Handle("/admin/", h)
	mux.Handle("GET /admin", http.RedirectHandler("/admin/", http.StatusSeeOther))
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	h.mux.ServeHTTP(w, r)
}

// authorize returns the signed-in admin behind token: 401 status for no or a
// dead session, 403 for a non-admin or disabled account.
func (h *Handler) authorize(ctx context.Context, token string) (accounts.User, int) {
	if token == "" {
		return accounts.User{}, http.StatusUnauthorized
	}
	u, _, err := h.acc.Authenticate(ctx, token)
	if err != nil {
		if st, _ := status(err); st != http.StatusInternalServerError {
			return accounts.User{}, http.StatusUnauthorized
		}
		h.log.Error("admin: authenticate", "err", err)
		return accounts.User{}, http.StatusInternalServerError
	}
	if !u.Admin || !u.Enabled {
		return accounts.User{}, http.StatusForbidden
	}
	return u, http.StatusOK
}

// api wraps a JSON route with bearer-token admin authorization.
func (h *Handler) api(next authedHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, st := h.authorize(r.Context(), accounts.TokenFrom(r))
		switch st {
		case http.StatusOK:
			next(w, r, u)
		case http.StatusUnauthorized:
			w.Header().Set("WWW-Authenticate", `Bearer realm="parley-admin"`)
			httpx.WriteError(w, st, codeUnauthenticated, "sign in as an administrator (parleyctl login)")
		case http.StatusForbidden:
			httpx.WriteError(w, st, codeForbidden, "administrators only")
		default:
			httpx.WriteError(w, st, codeInternal, "internal error")
		}
	})
}

// fail writes err as a JSON error.
func (h *Handler) fail(w http.ResponseWriter, err error) {
	st, code := status(err)
	if st == http.StatusInternalServerError {
		h.log.Error("admin api", "err", err)
	}
	httpx.WriteError(w, st, code, message(err))
}
