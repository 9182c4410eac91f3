package server

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/parley-voip/parley/server/recording"
	"github.com/parley-voip/parley/server/sfu"
	"github.com/parley-voip/parley/signaling"
)

// Recordings records standard calls; package recording implements it.
type Recordings interface {
	Start(ctx context.Context, callID, by string, participants []string) (recording.Info, error)
	Stop(ctx context.Context, callID, by string) (recording.Info, error)
	StopCall(ctx context.Context, callID string) (recording.Info, bool, error)
	Active(callID string) (recording.Info, bool)
	// RecordingsFor lists the ids of the finished recordings of callID
	// that user may download, for the call's history entry.
	RecordingsFor(ctx context.Context, callID, user string) ([]string, error)
	// OnJoin registers who is told of a participant the media service
	// sees join a call while it is recorded.
	OnJoin(f func(callID, userID string, info recording.Info))
}

// WithRecordings lets the parties of a call record it (record-start,
// record-stop) through r.
func WithRecordings(r Recordings) Option {
	return func(s *Server) { s.recordings = r }
}

// recordingRefusal maps the recorder's errors to the wire: the code and a
// sentence the app can show.
func recordingRefusal(err error) (signaling.ErrorCode, string) {
	switch {
	case errors.Is(err, recording.ErrNotAllowed):
		return signaling.CodeNotAllowed, "Your organization's policy does not allow recording"
	case errors.Is(err, sfu.ErrE2EE):
		return signaling.CodeNotAllowed, "Recording is unavailable in an end-to-end encrypted call"
	case errors.Is(err, recording.ErrNotStandardCall):
		return signaling.CodeNotAllowed, "Recording needs the organization's media service, which does not carry this call"
	case errors.Is(err, recording.ErrAlreadyRecording):
		return signaling.CodeNotAllowed, "The call is already being recorded"
	case errors.Is(err, recording.ErrNotRecording):
		return signaling.CodeNotAllowed, "The call is not being recorded"
	case errors.Is(err, recording.ErrNotParticipant):
		return signaling.CodeUnknownCall, "no such call"
	}
	return signaling.CodeInternal, "internal error"
}

// handleRecord starts or stops the recording of c's call m.CallID. Only a
// party of the accepted call may; everyone in it is told.
func (s *Server) handleRecord(ctx context.Context, c *conn, m *signaling.Message) {
	if s.recordings == nil {
		c.sendError(signaling.CodeNotAllowed, "Recording needs the organization server's media service", m.ID, m.CallID)
		return
	}
	parties, ok := s.hub.callParties(c, m.CallID)
	if !ok {
		c.sendError(signaling.CodeUnknownCall, "no such call", m.ID, m.CallID)
		return
	}
	var info recording.Info
	var err error
	if m.Type == signaling.TypeRecordStart {
		info, err = s.recordings.Start(ctx, m.CallID, c.user.ID, parties)
	} else {
		info, err = s.recordings.Stop(ctx, m.CallID, c.user.ID)
	}
	if err != nil {
		code, text := recordingRefusal(err)
		if code == signaling.CodeInternal {
			c.log.Error("recording", "call", m.CallID, "err", err)
		}
		c.sendError(code, text, m.ID, m.CallID)
		return
	}
	s.hub.tellCall(m.CallID, recordingMessage(info, c.user))
	if m.Type == signaling.TypeRecordStop {
		s.announceRecording(ctx, info)
	}
}

// recordingMessage tells a call's parties about info: active while it
// runs, by whoever started or (here) stopped it.
func recordingMessage(info recording.Info, by signaling.User) *signaling.Message {
	ri := &signaling.RecordingInfo{ID: info.ID, Active: info.Active(), By: by.ID, Name: by.Name}
	if info.Active() {
		ri.Started = info.Started.UnixMilli()
	}
	return &signaling.Message{Type: signaling.TypeRecording, CallID: info.CallID, Recording: ri}
}

// announceRecording posts a finished recording in the chat between its
// starter and each other participant, so it is found after the call.
func (s *Server) announceRecording(ctx context.Context, info recording.Info) {
	if s.chat == nil {
		return
	}
	d := info.Stopped.Sub(info.Started).Round(time.Second)
	text := fmt.Sprintf("Call recording (%v) for the participants: /api/recordings/%s", d, info.ID)
	for _, p := range info.Participants {
		if p == info.StartedBy {
			continue
		}
		rec, err := s.chat.PostOnce(ctx, info.StartedBy, "recording-"+info.ID+"-"+p, p, info.CallID, text)
		if err != nil {
			s.cfg.Logger.Error("posting recording to chat", "recording", info.ID, "err", err)
			continue
		}
		s.hub.deliverChat(nil, rec)
	}
}

// callGone stops the recording of a call that ended (in the background:
// the hub calls it under its lock).
func (s *Server) callGone(callID string) {
	s.logging.Add(1)
	go func() {
		defer s.logging.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		info, ok, err := s.recordings.StopCall(ctx, callID)
		if err != nil {
			s.cfg.Logger.Error("stopping the recording of an ended call", "call", callID, "err", err)
		}
		if ok {
			s.announceRecording(ctx, info)
		}
	}()
}

// tellJoiner sends a party who (re)joins callID the recording in
// progress, so they know they are recorded. Called under the hub's lock:
// Active only reads memory.
func (s *Server) tellJoiner(c *conn, callID string) {
	if info, ok := s.recordings.Active(callID); ok {
		c.send(recordingMessage(info, signaling.User{ID: info.StartedBy}))
	}
}

// tellJoined sends the recording in progress to a participant who joined
// the call at the media service after it started (people added to the
// call): every device of theirs.
func (s *Server) tellJoined(_, userID string, info recording.Info) {
	s.hub.notify(userID, recordingMessage(info, signaling.User{ID: info.StartedBy}))
}

// callParties returns the user ids of c's accepted call callID.
func (h *hub) callParties(c *conn, callID string) ([]string, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	k := h.calls[callID]
	if k == nil || k.state != callActive || (k.caller != c && k.callee != c) {
		return nil, false
	}
	return []string{k.callerID, k.calleeID}, true
}

// tellCall sends m to the connected parties of callID.
func (h *hub) tellCall(callID string, m *signaling.Message) {
	h.mu.Lock()
	defer h.mu.Unlock()
	k := h.calls[callID]
	if k == nil {
		return
	}
	for _, c := range []*conn{k.caller, k.callee} {
		if c != nil {
			c.send(m)
		}
	}
}
