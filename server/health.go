package server

import (
	"encoding/json"
	"net/http"
)

// handleHealth answers load balancers and the app's "is my local server up"
// check.
func (s *Server) handleHealth(w http.ResponseWriter, _ *http.Request) {
	online, calls := s.hub.stats()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(struct {
		Status  string `json:"status"`
		Version string `json:"version"`
		Online  int    `json:"online"`
		Calls   int    `json:"calls"`
	}{"ok", s.cfg.Version, online, calls})
}
