package server

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/calllog"
	"github.com/parley-voip/parley/server/httpx"
	"github.com/parley-voip/parley/signaling"
)

// callFacts is what the relay learns about a call for the parties' call
// history: when the invite came, when and on which device it was
// answered, and what each side said about E2EE.
type callFacts struct {
	start    time.Time
	answered time.Time // zero: never accepted
	device   string    // the callee's device that answered
	// The two halves of the E2EE claim: the callee's accept and the
	// caller's offer each carry their side's decision (e2ee_call).
	acceptE2EE, offerE2EE bool
}

// failureReasons end a call as failed rather than declined or missed.
func failure(r signaling.Reason) bool {
	switch r {
	case signaling.ReasonE2EEFailed, signaling.ReasonE2EEMismatch, signaling.ReasonE2EERequired,
		signaling.ReasonError, signaling.ReasonUnreachable:
		return true
	}
	return false
}

// outcomes says how a call that ended with message type t (decline or
// hangup) and reason reads in each party's history; see docs/server-api.md
// (Call history) for the table.
func outcomes(answered bool, t signaling.Type, reason signaling.Reason) (caller, callee signaling.CallOutcome) {
	switch {
	case failure(reason):
		if reason == signaling.ReasonUnreachable {
			return signaling.OutcomeFailed, signaling.OutcomeMissed
		}
		return signaling.OutcomeFailed, signaling.OutcomeFailed
	case answered:
		return signaling.OutcomeAnswered, signaling.OutcomeAnswered
	case t == signaling.TypeDecline && reason == signaling.ReasonBusy:
		return signaling.OutcomeDeclined, signaling.OutcomeMissed
	case t == signaling.TypeDecline && (reason == signaling.ReasonDeclined || reason == ""):
		return signaling.OutcomeDeclined, signaling.OutcomeDeclined
	}
	return signaling.OutcomeMissed, signaling.OutcomeMissed
}

// records are the caller's and the callee's history entries of a call
// between them that ended at end.
func (f callFacts) records(callID, caller, callee string, end time.Time, t signaling.Type, reason signaling.Reason) []calllog.Record {
	answered := !f.answered.IsZero()
	oc, oe := outcomes(answered, t, reason)
	var d time.Duration
	if answered {
		d = max(end.Sub(f.answered), 0)
	}
	e2ee := answered && f.acceptE2EE && f.offerE2EE
	return []calllog.Record{
		{User: caller, Peer: callee, CallID: callID, Outgoing: true, Start: f.start, Duration: d, Outcome: oc, E2EE: e2ee},
		{User: callee, Peer: caller, CallID: callID, Start: f.start, Duration: d, Outcome: oe, Device: f.device, E2EE: e2ee},
	}
}

// record hands k's two history records to the server (WithCallLog) as
// ended by message type t with reason. Guarded by h.mu.
func (h *hub) record(k *call, t signaling.Type, reason signaling.Reason) {
	if h.onEnded == nil || k.facts.start.IsZero() {
		return
	}
	recs := k.facts.records(k.id, k.callerID, k.calleeID, time.Now(), t, reason)
	// With the parties on two nodes both sides end the call; each record
	// is written once: the caller's by the caller's node, the callee's by
	// the node of the device that answered (the caller's if none did).
	var own []calllog.Record
	if !k.remoteCaller {
		own = append(own, recs[0])
	}
	if answered := !k.facts.answered.IsZero(); answered && !k.remoteCallee || !answered && !k.remoteCaller {
		own = append(own, recs[1])
	}
	if len(own) > 0 {
		h.onEnded(own)
	}
}

// recordCall stores a call's records and pushes each to its user's
// devices, in the background: the hub calls it under its lock, and the
// database must not be waited on there. Shutdown waits for it.
func (s *Server) recordCall(recs []calllog.Record) {
	s.logging.Add(1)
	go func() {
		defer s.logging.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s.namePeers(ctx, recs)
		added, err := s.callLog.Add(ctx, recs...)
		if err != nil {
			s.cfg.Logger.Error("storing call history", "call", recs[0].CallID, "err", err)
			return
		}
		for _, r := range added {
			s.hub.pushCallRecord(r)
		}
	}()
}

// namePeers fills each record's PeerName from the directory, so a history
// shows who it was even for people the app has not looked up. A lookup
// that fails leaves the name empty (the app shows the id).
func (s *Server) namePeers(ctx context.Context, recs []calllog.Record) {
	if s.directory == nil {
		return
	}
	for i := range recs {
		if u, err := s.directory.User(ctx, recs[i].Peer); err == nil {
			recs[i].PeerName = u.DisplayName
		}
	}
}

// pushCallRecord sends r to every device of its user, on every node, each
// with its own view (answered, or answered elsewhere).
func (h *hub) pushCallRecord(r calllog.Record) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.pushCallRecordLocal(r)
	if !h.alone() {
		h.publish(subjectUser(r.User), &envelope{Kind: kindRecord, To: r.User, Record: &r})
	}
}

// pushCallRecordLocal is pushCallRecord for this node's devices. Guarded
// by h.mu.
func (h *hub) pushCallRecordLocal(r calllog.Record) {
	for _, c := range h.users[r.User] {
		w := r.Wire(c.device)
		c.send(&signaling.Message{Type: signaling.TypeCallRecord, Call: &w})
	}
}

// handleCalls pages through the caller's call history:
// ?before=<Unix ms>&limit=<n>, newest first. Only ever the caller's own.
func (s *Server) handleCalls(w http.ResponseWriter, r *http.Request) {
	me, _ := accounts.UserFrom(r.Context())
	se, _ := accounts.SessionFrom(r.Context())
	limit, err := pageLimit(r, 50, calllog.MaxPage)
	before, err2 := queryInt(r, "before", 0, 1<<53)
	if err != nil || err2 != nil {
		httpx.WriteError(w, http.StatusBadRequest, "bad-request", "before (Unix milliseconds) and limit (at most "+strconv.Itoa(calllog.MaxPage)+") are numbers")
		return
	}
	var until time.Time
	if before > 0 {
		until = time.UnixMilli(int64(before))
	}
	recs, err := s.callLog.List(r.Context(), me.ID, until, limit)
	if err != nil {
		s.cfg.Logger.Error("call history", "err", err)
		httpx.WriteError(w, http.StatusInternalServerError, "internal", "internal error")
		return
	}
	out := make([]signaling.CallRecord, len(recs))
	for i, rec := range recs {
		out[i] = rec.Wire(se.ID)
		if s.recordings != nil && rec.Outcome == signaling.OutcomeAnswered {
			ids, err := s.recordings.RecordingsFor(r.Context(), rec.CallID, me.ID)
			if err != nil {
				s.cfg.Logger.Error("recordings of a call", "call", rec.CallID, "err", err)
			}
			out[i].Recordings = ids[:min(len(ids), signaling.MaxCallRecordings)]
		}
		if s.transcripts != nil && rec.Outcome == signaling.OutcomeAnswered {
			has, err := s.transcripts.HasTranscript(r.Context(), rec.CallID, me.ID)
			if err != nil {
				s.cfg.Logger.Error("transcript of a call", "call", rec.CallID, "err", err)
			}
			out[i].Transcript = has
		}
	}
	var next int64
	if len(out) == limit {
		next = out[len(out)-1].Start
	}
	httpx.WriteJSON(w, http.StatusOK, struct {
		Calls  []signaling.CallRecord `json:"calls"`
		Before int64                  `json:"next_before,omitempty"`
	}{out, next})
}
