package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/parley-voip/parley/signaling"
)

// CallOutcome is how a call in the history ended for me.
type CallOutcome string

// Call outcomes, the server's (signaling.CallOutcome).
const (
	OutcomeAnswered          CallOutcome = CallOutcome(signaling.OutcomeAnswered)
	OutcomeMissed            CallOutcome = CallOutcome(signaling.OutcomeMissed)
	OutcomeDeclined          CallOutcome = CallOutcome(signaling.OutcomeDeclined)
	OutcomeAnsweredElsewhere CallOutcome = CallOutcome(signaling.OutcomeAnsweredElsewhere) // on another of my devices
	OutcomeFailed            CallOutcome = CallOutcome(signaling.OutcomeFailed)
)

// CallRecord is one entry of my call history, kept by the server so every
// device of mine shows the same list.
type CallRecord struct {
	ID       string // the server's, decimal
	CallID   string // the call's id (CallInfo.ID on the device that took part)
	Peer     Contact
	Outgoing bool
	Start    time.Time
	Duration time.Duration // from answer to end; 0 unless answered
	Outcome  CallOutcome
	// E2EE: both apps said the call was end-to-end encrypted (the server
	// relays their claim; it cannot see the media).
	E2EE bool
	// Transcript: the call had live captions and I may download their
	// transcript (Client.Transcript); in fetched history only.
	Transcript bool
}

// CallHistoryUpdate is what the Calls screen and the rail's badge hear
// when the history changes (Listener.CallHistoryChanged).
type CallHistoryUpdate struct {
	// Added is the record the server just pushed (a call of mine ended on
	// any of my devices); nil when only UnseenMissed changed.
	Added *CallRecord
	// UnseenMissed counts missed calls newer than the last MarkCallsSeen.
	UnseenMissed int
}

// callHistoryPage is how much history sign-in reads to count the missed
// calls not yet seen.
const callHistoryPage = 50

// maxCallsPage is the server's cap on one page of call history.
const maxCallsPage = 200

// CallHistory fetches up to limit of my calls that started before before
// (zero: the newest), newest first. ErrNoDirectory without a session for
// the HTTP API. Do not call it from a Listener method.
func (c *Client) CallHistory(ctx context.Context, before time.Time, limit int) ([]CallRecord, error) {
	api, token, err := c.cfg.apiSession(ctx)
	if err != nil {
		return nil, err
	}
	wire, err := api.calls(ctx, token, before, limit)
	if err != nil {
		return nil, err
	}
	out := make([]CallRecord, len(wire))
	done := make(chan struct{})
	if !c.post(func() {
		defer close(done)
		for i, w := range wire {
			out[i] = c.callRecord(w)
		}
	}) {
		return nil, ErrClosed
	}
	select {
	case <-done:
		return out, nil
	case <-c.stopped:
		return nil, ErrClosed
	}
}

// UnseenMissedCalls is the number of missed calls not yet seen.
func (c *Client) UnseenMissedCalls() int { return int(c.unseenMissed.Load()) }

// MarkCallsSeen resets the missed-call count: the user looked at the
// history. It is remembered across restarts (Settings).
func (c *Client) MarkCallsSeen() {
	c.post(func() {
		c.cfg.Settings.SetCallsSeen(c.newestMissed)
		c.missed = map[string]bool{}
		if c.unseenMissed.Swap(0) != 0 {
			c.cfg.Listener.CallHistoryChanged(CallHistoryUpdate{})
		}
	})
}

// callRecord turns a wire record into mine, naming the peer from what this
// Client knows. Run goroutine.
func (c *Client) callRecord(w signaling.CallRecord) CallRecord {
	peer := Contact{ID: w.Peer, Name: w.PeerName, Presence: PresenceOffline}
	if ct, ok := c.contacts[w.Peer]; ok {
		peer = ct
	} else {
		for _, e := range c.dir.entries {
			if e.ID == w.Peer {
				peer = e
				peer.Presence = PresenceOffline
				break
			}
		}
	}
	if peer.Name == "" {
		peer.Name = w.PeerName
	}
	return CallRecord{ID: w.ID, CallID: w.CallID, Peer: peer, Outgoing: w.Outgoing, Start: time.UnixMilli(w.Start),
		Duration: time.Duration(w.Duration) * time.Millisecond, Outcome: CallOutcome(w.Outcome), E2EE: w.E2EE, Transcript: w.Transcript}
}

// handleCallRecord hears that one of my calls ended (on any device).
func (c *Client) handleCallRecord(m *signaling.Message) {
	if m.Call == nil {
		return
	}
	r := c.callRecord(*m.Call)
	c.countIfMissed([]CallRecord{r})
	c.cfg.Listener.CallHistoryChanged(CallHistoryUpdate{Added: &r, UnseenMissed: c.UnseenMissedCalls()})
}

// countIfMissed counts the missed incoming calls among recs that started
// after the last MarkCallsSeen, each once (a record may come both pushed
// and in the page read at sign-in). Run goroutine.
func (c *Client) countIfMissed(recs []CallRecord) bool {
	seen := c.cfg.Settings.CallsSeen()
	counted := false
	for _, r := range recs {
		if r.Outcome != OutcomeMissed || r.Outgoing || !r.Start.After(seen) || c.missed[r.ID] {
			continue
		}
		c.missed[r.ID] = true
		c.unseenMissed.Store(int32(len(c.missed)))
		if r.Start.After(c.newestMissed) {
			c.newestMissed = r.Start
		}
		counted = true
	}
	return counted
}

// countMissedSinceSeen reads the newest page of history after sign-in, so
// calls missed while no device of mine was signed in badge the rail too.
// It runs off the Run goroutine.
func (c *Client) countMissedSinceSeen(ctx context.Context) {
	recs, err := c.CallHistory(ctx, time.Time{}, callHistoryPage)
	if err != nil {
		c.log.Debug("call history at sign-in", "err", err)
		return
	}
	c.post(func() {
		if c.countIfMissed(recs) {
			c.cfg.Listener.CallHistoryChanged(CallHistoryUpdate{UnseenMissed: c.UnseenMissedCalls()})
		}
	})
}

// calls fetches one page of my call history.
func (a orgAPI) calls(ctx context.Context, token string, before time.Time, limit int) ([]signaling.CallRecord, error) {
	path := "/api/calls?limit=" + strconv.Itoa(min(max(limit, 1), maxCallsPage))
	if !before.IsZero() {
		path += "&before=" + strconv.FormatInt(before.UnixMilli(), 10)
	}
	var raw json.RawMessage
	if err := a.do(ctx, "GET", path, token, nil, &raw); err != nil {
		return nil, fmt.Errorf("call history: %w", err)
	}
	return decodeCalls(raw)
}

type callsAnswer struct {
	Calls []signaling.CallRecord `json:"calls"`
}

// decodeCalls parses GET /api/calls (the body is already bounded by
// maxAPIResponse); every record must pass the same checks as a pushed
// call-record message.
func decodeCalls(data []byte) ([]signaling.CallRecord, error) {
	var a callsAnswer
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, fmt.Errorf("%w: call history: %w", ErrBadAnswer, err)
	}
	for i := range a.Calls {
		m := signaling.Message{Type: signaling.TypeCallRecord, Call: &a.Calls[i]}
		if err := m.Validate(); err != nil {
			return nil, fmt.Errorf("%w: call history entry %d: %w", ErrBadAnswer, i, err)
		}
	}
	return a.Calls, nil
}

// CallHistory fetches a page of my call history (Client.CallHistory).
func (s *Softphone) CallHistory(ctx context.Context, before time.Time, limit int) ([]CallRecord, error) {
	c := s.client.Load()
	if c == nil {
		return nil, ErrClosed
	}
	return c.CallHistory(ctx, before, limit)
}

// UnseenMissedCalls is the number of missed calls not yet seen, for the
// rail's badge.
func (s *Softphone) UnseenMissedCalls() int {
	if c := s.client.Load(); c != nil {
		return c.UnseenMissedCalls()
	}
	return 0
}

// MarkCallsSeen resets the missed-call count (the Calls screen is open).
func (s *Softphone) MarkCallsSeen() { s.withClient((*Client).MarkCallsSeen) }
