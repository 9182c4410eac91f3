package signaling

// CaptionsInfo is the payload of a captions message. From a client it asks
// to turn a call's live captions on or off (On). From the server it is a
// notice every participant gets (State, By, Reason), or, without a call,
// the server's availability at sign-in (CaptionsAvailable or
// CaptionsUnavailable with the reason).
type CaptionsInfo struct {
	On     bool          `json:"on,omitempty"`
	State  CaptionsState `json:"state,omitempty"`
	By     string        `json:"by,omitempty"`     // who turned them on or off
	Reason string        `json:"reason,omitempty"` // why unavailable or paused, for people
}

// CaptionsState is what the server says about captions.
type CaptionsState string

// Captions states.
const (
	CaptionsOn          CaptionsState = "on"          // live captions run in the call
	CaptionsOff         CaptionsState = "off"         // turned off (By)
	CaptionsPaused      CaptionsState = "paused"      // the recognizer stopped; the call goes on without captions until it is back
	CaptionsAvailable   CaptionsState = "available"   // at sign-in: this server can caption
	CaptionsUnavailable CaptionsState = "unavailable" // at sign-in: it cannot (Reason)
)

func (s CaptionsState) valid() bool {
	switch s {
	case CaptionsOn, CaptionsOff, CaptionsPaused, CaptionsAvailable, CaptionsUnavailable:
		return true
	}
	return false
}

// Caption is one line of live captions: what Speaker (Name) said from Start
// to End (Unix ms). A partial line (Final false) is replaced by the next
// line of the same speaker and start; a final one stays.
type Caption struct {
	Speaker string `json:"speaker"`
	Name    string `json:"name,omitempty"`
	Text    string `json:"text"`
	Final   bool   `json:"final,omitempty"`
	Start   int64  `json:"start"`
	End     int64  `json:"end"`
}

// ReasonCaptionsNotInstalled is the reason the server gives when it has no
// captions worker.
const ReasonCaptionsNotInstalled = "Captions are not installed on this server"

// validateCaptions checks the captions payloads: a client's request is On
// with a call and nothing else; the server's notice has a known state.
func (m *Message) validateCaptions(v *validator) {
	if c := m.Captions; c != nil {
		switch {
		case c.State == "":
			if m.CallID == "" {
				v.fail("call_id", ErrMissingField)
			}
			if c.By != "" || c.Reason != "" {
				v.fail("captions", ErrFieldNotAllowed)
			}
		case !c.State.valid():
			v.fail("captions.state", ErrInvalidField)
		case c.On:
			v.fail("captions.on", ErrFieldNotAllowed)
		}
		v.id("captions.by", c.By)
		v.text("captions.reason", c.Reason, MaxErrorTextLen)
	}
	if c := m.Caption; c != nil {
		if c.Speaker == "" {
			v.fail("caption.speaker", ErrMissingField)
		}
		v.id("caption.speaker", c.Speaker)
		v.text("caption.name", c.Name, MaxNameLen)
		v.text("caption.text", c.Text, MaxCaptionTextLen)
		if c.Start < 0 || c.End < c.Start {
			v.fail("caption.end", ErrInvalidField)
		}
	}
}
