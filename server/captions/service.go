package captions

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/parley-voip/parley/server/captions/wire"
	"github.com/parley-voip/parley/server/sfu"
	"github.com/parley-voip/parley/signaling"
)

// Reasons people see, next to the captions control or in the call.
const (
	ReasonNotAllowed = "Captions are not allowed by your policy"
	ReasonE2EE       = "Not available in end-to-end encrypted calls"
	ReasonPaused     = "Captions stopped: the captions service restarted. The call goes on; captions resume when it is back"
)

// Service runs live captions for the calls that turned them on.
type Service struct {
	cfg     Config
	log     *slog.Logger
	sup     *supervisor // nil: not installed
	store   *transcripts
	cancel  context.CancelFunc
	stopped chan struct{}

	mu       sync.Mutex
	sessions map[string]*session // by call id
	speakers map[uint32]*speaker // by wire speaker id, over all calls
	nextID   uint32
	up       bool
}

// session is one call's captions, from the first "on" to the call's end.
type session struct {
	callID  string
	t0      time.Time
	by      string // who started captions first; their policy sets retention
	retain  int    // days; 0 keeps the transcript until deleted
	on      bool
	remove  func()
	bySSRC  map[uint32]*speaker
	present map[string]int      // user id → tracks in the call now
	joined  map[string]struct{} // everyone who was in the call: may read the transcript
	lines   []Line
	text    int  // bytes of text in lines
	full    bool // the transcript reached its limit; later lines are only shown live
	ending  bool
	pending int // speakers whose flush the end of the call waits for
	done    chan struct{}
}

type speaker struct {
	id      uint32
	sess    *session
	p       sfu.Participant
	left    bool
	flushed bool
}

// New builds the service. Without cfg.Worker it still answers every
// request, with the reason captions are not installed.
func New(cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	s := &Service{
		cfg: cfg, log: cfg.Logger.With("component", "captions"),
		store:    newTranscripts(cfg.DB, cfg.Sealer),
		sessions: map[string]*session{}, speakers: map[uint32]*speaker{},
		stopped: make(chan struct{}),
	}
	if cfg.Worker != "" {
		s.sup = newSupervisor(cfg, s.output, s.workerState)
	}
	return s, nil
}

// Installed reports whether the server has a captions worker.
func (s *Service) Installed() bool { return s.sup != nil }

// Start runs the worker (if installed) until Close.
func (s *Service) Start(ctx context.Context) {
	ctx, s.cancel = context.WithCancel(ctx)
	go func() {
		defer close(s.stopped)
		if s.sup != nil {
			s.sup.run(ctx)
		}
	}()
	go s.purgeEvery(ctx, PurgeInterval)
}

// PurgeInterval is how often transcripts past their retention are deleted.
const PurgeInterval = time.Hour

func (s *Service) purgeEvery(ctx context.Context, d time.Duration) {
	for {
		if n, err := s.Purge(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("purging transcripts", "err", err)
		} else if n > 0 {
			s.log.Info("purged transcripts past their retention", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(d):
		}
	}
}

// Close stops the worker and stores the transcripts of calls in progress.
func (s *Service) Close() {
	if s.cancel == nil {
		return
	}
	s.cancel()
	<-s.stopped
	s.mu.Lock()
	var ss []*session
	for _, se := range s.sessions {
		ss = append(ss, se)
	}
	s.mu.Unlock()
	for _, se := range ss {
		s.finish(se)
	}
}

// Availability is the captions message a client gets at sign-in.
func (s *Service) Availability() *signaling.Message {
	info := &signaling.CaptionsInfo{State: signaling.CaptionsAvailable}
	if s.sup == nil {
		info = &signaling.CaptionsInfo{State: signaling.CaptionsUnavailable, Reason: signaling.ReasonCaptionsNotInstalled}
	}
	return &signaling.Message{Type: signaling.TypeCaptions, Captions: info}
}

func refuse(code signaling.ErrorCode, text string) error {
	return &signaling.ServerError{Code: code, Message: text}
}

// Handle serves a client's captions message (server.Handler): a
// participant of the call turns captions on or off.
func (s *Service) Handle(ctx context.Context, userID string, m *signaling.Message) error {
	if m.Captions == nil || m.Captions.State != "" || m.CallID == "" {
		return refuse(signaling.CodeNotAllowed, "only the server sends captions notices")
	}
	if err := s.authorize(m.CallID, userID); err != nil {
		return err
	}
	if s.sup == nil {
		return refuse(signaling.CodeNotAllowed, signaling.ReasonCaptionsNotInstalled)
	}
	if !m.Captions.On {
		return s.turnOff(m.CallID, userID)
	}
	allowed, days, err := s.cfg.Policy(ctx, userID)
	if err != nil {
		return fmt.Errorf("captions: policy of %s: %w", userID, err)
	}
	if !allowed {
		return refuse(signaling.CodeNotAllowed, ReasonNotAllowed)
	}
	return s.turnOn(m.CallID, userID, days)
}

// authorize checks that userID is in callID on the media service.
func (s *Service) authorize(callID, userID string) error {
	roster, err := s.cfg.Media.Roster(callID)
	switch {
	case errors.Is(err, sfu.ErrE2EE):
		return refuse(signaling.CodeNotAllowed, ReasonE2EE)
	case err != nil || !slices.ContainsFunc(roster, func(st sfu.Status) bool { return st.UserID == userID }):
		return refuse(signaling.CodeUnknownCall, "you are not in call "+callID)
	}
	return nil
}

func (s *Service) turnOn(callID, userID string, days int) error {
	s.mu.Lock()
	se := s.sessions[callID]
	if se != nil && !se.ending {
		se.on = true
		// Speakers were told to Leave when captions went off.
		for _, sp := range se.bySSRC {
			if !sp.left && s.up {
				s.sup.send(&wire.Join{Speaker: sp.id})
			}
		}
		s.mu.Unlock()
		s.notice(se, userID)
		return nil
	}
	se = &session{
		callID: callID, t0: s.cfg.Now(), by: userID, retain: days, on: true,
		bySSRC: map[uint32]*speaker{}, present: map[string]int{}, joined: map[string]struct{}{},
		done: make(chan struct{}),
	}
	s.sessions[callID] = se
	s.mu.Unlock()
	// AddTap calls Joined for those present, under the room's lock: it
	// must not run under s.mu, which the tap's callbacks take.
	remove, err := s.cfg.Media.AddTap(callID, &tap{s: s, se: se})
	if err != nil {
		s.mu.Lock()
		delete(s.sessions, callID)
		s.mu.Unlock()
		if errors.Is(err, sfu.ErrE2EE) {
			return refuse(signaling.CodeNotAllowed, ReasonE2EE)
		}
		return refuse(signaling.CodeUnknownCall, "call "+callID+" has ended")
	}
	s.mu.Lock()
	se.remove = remove
	s.mu.Unlock()
	s.notice(se, userID)
	return nil
}

func (s *Service) turnOff(callID, userID string) error {
	s.mu.Lock()
	se := s.sessions[callID]
	if se == nil || !se.on {
		s.mu.Unlock()
		return nil
	}
	se.on = false
	for _, sp := range se.bySSRC {
		if !sp.left {
			s.sup.send(&wire.Leave{Speaker: sp.id})
		}
	}
	s.mu.Unlock()
	s.notice(se, userID)
	return nil
}

// notice tells everyone in the call the captions state.
func (s *Service) notice(se *session, by string) {
	s.mu.Lock()
	info := &signaling.CaptionsInfo{State: signaling.CaptionsOff, By: by}
	switch {
	case se.on && !s.up:
		info = &signaling.CaptionsInfo{State: signaling.CaptionsPaused, By: by, Reason: ReasonPaused}
	case se.on:
		info.State = signaling.CaptionsOn
	}
	s.mu.Unlock()
	to := s.recipients(se)
	m := &signaling.Message{Type: signaling.TypeCaptions, CallID: se.callID, Captions: info}
	for _, u := range to {
		s.cfg.Notifier.Notify(u, m)
	}
}

// recipients are the users in the call now, on the media service's
// roster (also those who send no audio); each may read the transcript.
// It must not be called under s.mu or from a tap callback.
func (s *Service) recipients(se *session) []string {
	roster, _ := s.cfg.Media.Roster(se.callID)
	out := make([]string, 0, len(roster))
	s.mu.Lock()
	for _, st := range roster {
		out = append(out, st.UserID)
		se.joined[st.UserID] = struct{}{}
	}
	s.mu.Unlock()
	return out
}

// workerState follows the supervisor: a worker that came up learns every
// speaker again; one that went down pauses every call's captions.
func (s *Service) workerState(up bool, err error) {
	s.mu.Lock()
	s.up = up
	var ss []*session
	for _, se := range s.sessions {
		if up && se.on {
			for _, sp := range se.bySSRC {
				if !sp.left {
					s.sup.send(&wire.Join{Speaker: sp.id})
				}
			}
		}
		if !up {
			// The worker's state is gone: nothing more will flush.
			for _, sp := range se.bySSRC {
				if sp.left && !sp.flushed {
					sp.flushed = true
					se.pending--
				}
			}
			if se.ending && se.pending <= 0 {
				defer s.finishAsync(se)
			}
		}
		if se.on && !se.ending {
			ss = append(ss, se)
		}
	}
	s.mu.Unlock()
	if !up {
		s.log.Warn("captions paused: worker down", "err", err)
	}
	for _, se := range ss {
		s.notice(se, "")
	}
}

// output handles one frame from the worker.
func (s *Service) output(f wire.Output) {
	switch f := f.(type) {
	case *wire.Error:
		s.log.Warn("captions worker", "speaker", f.Speaker, "code", f.Code, "msg", f.Message)
	case *wire.Hyp:
		s.hyp(f)
	}
}

func (s *Service) hyp(h *wire.Hyp) {
	s.mu.Lock()
	sp := s.speakers[h.Speaker]
	if sp == nil {
		s.mu.Unlock()
		return
	}
	se := sp.sess
	c := &signaling.Caption{
		Speaker: sp.p.UserID, Name: sp.p.Name, Text: h.Text, Final: h.Final,
		Start: se.t0.Add(time.Duration(h.StartMS) * time.Millisecond).UnixMilli(),
		End:   se.t0.Add(time.Duration(h.EndMS) * time.Millisecond).UnixMilli(),
	}
	if h.Final && h.Text != "" {
		if len(se.lines) < signaling.MaxTranscriptLines && se.text+len(h.Text) <= signaling.MaxTranscriptText {
			se.lines = append(se.lines, Line{Speaker: c.Speaker, Name: c.Name, Start: c.Start, End: c.End, Text: c.Text})
			se.text += len(h.Text)
		} else if !se.full {
			se.full = true
			s.log.Warn("transcript full: later captions are shown live but not kept", "call", se.callID, "lines", len(se.lines))
		}
	}
	finish := false
	if h.Final && sp.left && !sp.flushed {
		sp.flushed = true
		delete(s.speakers, sp.id)
		se.pending--
		finish = se.ending && se.pending <= 0
	}
	s.mu.Unlock()
	if h.Text != "" {
		to := s.recipients(se)
		m := &signaling.Message{Type: signaling.TypeCaption, CallID: se.callID, Caption: c}
		for _, u := range to {
			s.cfg.Notifier.Notify(u, m)
		}
	}
	if finish {
		s.finishAsync(se)
	}
}

// WorkerPID is the process id of the running worker, 0 when none runs
// (not installed, or between a crash and its restart).
func (s *Service) WorkerPID() int {
	if s.sup == nil {
		return 0
	}
	return s.sup.pid()
}

// Dropped is how many frames the worker queue refused (worker down or
// behind).
func (s *Service) Dropped() uint64 {
	if s.sup == nil {
		return 0
	}
	return s.sup.dropped.Load()
}

func (s *Service) finishAsync(se *session) { go s.finish(se) }

// finish stores se's transcript once, and forgets the session.
func (s *Service) finish(se *session) {
	s.mu.Lock()
	if s.sessions[se.callID] != se {
		s.mu.Unlock()
		return
	}
	delete(s.sessions, se.callID)
	for _, sp := range se.bySSRC {
		delete(s.speakers, sp.id)
	}
	t := Transcript{CallID: se.callID, Started: se.t0.UnixMilli(), Ended: s.cfg.Now().UnixMilli(), Lines: se.lines}
	for u := range se.joined {
		t.Participants = append(t.Participants, u)
	}
	slices.Sort(t.Participants)
	remove := se.remove
	days := se.retain
	close(se.done)
	s.mu.Unlock()
	if remove != nil {
		remove()
	}
	if err := s.store.put(context.Background(), t, days); err != nil {
		s.log.Error("storing transcript", "call", t.CallID, "err", err)
	}
}
