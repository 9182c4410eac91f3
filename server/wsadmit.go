package server

import (
	"context"
	"net/http"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/httpx"
	"github.com/parley-voip/parley/signaling"
)

// pendingKey carries a WebSocket's "not yet authenticated" place in the
// request context, so the authenticator can give it back.
type pendingKey struct{}

// admitWebSocket guards the upgrade: a WebSocket holds a pending place
// (per address and overall) until its hello has been authenticated or the
// connection ends, and beyond Limits.MaxPendingWebSockets(PerAddr) the
// upgrade is refused with 503.
//
// The http.Server's ReadTimeout and ResponseTimeout do not reach the
// WebSocket: net/http clears a connection's deadlines when it is hijacked
// (TestWebSocketOutlivesHTTPTimeouts keeps it so). From then on the hello
// is bounded by Config.HelloTimeout and every frame written by
// Config.WriteTimeout.
func (s *Server) admitWebSocket(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := accounts.AddrKey(accounts.ClientAddr(r))
		addrDone := s.pendingAddr.acquire(ip)
		if addrDone == nil {
			s.refuseUpgrade(w, ip)
			return
		}
		defer addrDone()
		allDone := s.pendingAll.acquire("")
		if allDone == nil {
			s.refuseUpgrade(w, ip)
			return
		}
		defer allDone()
		done := func() { addrDone(); allDone() }
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), pendingKey{}, done)))
	})
}

func (s *Server) refuseUpgrade(w http.ResponseWriter, ip string) {
	s.cfg.Logger.Debug("websocket refused: too many unauthenticated", "remote", ip)
	w.Header().Set("Retry-After", "5")
	httpx.WriteError(w, http.StatusServiceUnavailable, "busy", "too many connections still signing in; retry shortly")
}

// admitted wraps the Authenticator: once a hello has been judged, its
// connection no longer counts as pending.
type admitted struct{ Authenticator }

func (a admitted) Authenticate(ctx context.Context, r *http.Request, hello *signaling.Message) (Identity, error) {
	id, err := a.Authenticator.Authenticate(ctx, r, hello)
	if done, ok := ctx.Value(pendingKey{}).(func()); ok {
		done()
	}
	return id, err
}
