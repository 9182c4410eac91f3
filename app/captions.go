package app

import (
	"slices"
	"strconv"
	"time"

	"github.com/parley-voip/parley/signaling"
)

// Captions is a call's live captions, as the call screen shows them.
type Captions struct {
	On     bool   // captions run in this call
	By     string // who turned them on or off
	Paused bool   // the server's recognizer stopped; the call goes on without captions
	Reason string // why they are paused
	// Lines are the latest captions, oldest first: final ones, and the
	// partial line of each speaker still talking.
	Lines []CaptionLine
}

// CaptionLine is one caption: what Name said.
type CaptionLine struct {
	Speaker, Name, Text string
	Final               bool
	Start               time.Time
}

// MaxCaptionLines is how many lines a call keeps for the screen.
const MaxCaptionLines = 6

// Reasons live captions are unavailable in a standard call.
const (
	ReasonCaptionsNotInstalled = signaling.ReasonCaptionsNotInstalled
	ReasonCaptionsPolicy       = "Captions are not allowed by your policy"
)

// captionsServer is what the server said about captions at sign-in.
type captionsServer struct {
	known, installed bool
	reason           string
	ref              string // id of the last captions request, to match its error
	seq              int
}

// SetCaptions turns live captions of the current call on or off for
// everyone in it. When they are unavailable, it tells the user why.
func (c *Client) SetCaptions(on bool) {
	c.post(func() {
		k := c.call
		if k == nil || c.refused(k, k.accepts(evCaptions)) {
			c.cfg.Listener.Notice(c.unavailable(FeatureCaptions))
			return
		}
		if st := c.captionsFeature(k); !st.Available {
			c.cfg.Listener.Notice(FeatureCaptions.Name() + ": " + st.Reason)
			return
		}
		c.captions.seq++
		c.captions.ref = "captions-" + c.cfg.Me.ID + "-" + strconv.Itoa(c.captions.seq)
		c.send(&signaling.Message{Type: signaling.TypeCaptions, ID: c.captions.ref, CallID: k.info.ID,
			Captions: &signaling.CaptionsInfo{On: on}})
	})
}

// captionsFeature is FeatureCaptions's state in call k: a standard call
// through the media service, on a server with the captions worker, for a
// user whose policy allows them.
func (c *Client) captionsFeature(k *call) FeatureState {
	st := FeaturesOf(k.info.E2EE, k.service)[FeatureCaptions]
	switch {
	case st.Reason == ReasonE2EE || st.Reason == ReasonNoMediaRelay:
	case c.captions.known && !c.captions.installed:
		st.Available, st.Reason = false, c.captions.reason
	case !c.policy.CaptionsAllowed:
		st.Available, st.Reason = false, ReasonCaptionsPolicy
	default:
		st.Available, st.Reason = true, ""
	}
	return st
}

// handleCaptions takes the server's captions notices: availability at
// sign-in (no call), a call's state otherwise.
func (c *Client) handleCaptions(m *signaling.Message) {
	info := m.Captions
	if info == nil {
		return
	}
	if m.CallID == "" {
		c.captions.known = true
		c.captions.installed = info.State == signaling.CaptionsAvailable
		c.captions.reason = info.Reason
		return
	}
	k := c.call
	if k == nil || k.info.ID != m.CallID {
		return
	}
	cs := k.info.Captions
	cs.On = info.State == signaling.CaptionsOn || info.State == signaling.CaptionsPaused
	wasPaused := cs.Paused
	cs.Paused, cs.Reason, cs.By = info.State == signaling.CaptionsPaused, info.Reason, info.By
	k.info.Captions = cs
	if cs.Paused && !wasPaused && info.Reason != "" {
		c.cfg.Listener.Notice(info.Reason)
	}
	c.notifyCall()
}

// handleCaption adds one caption line to the call: a partial line replaces
// the same speaker's previous partial one.
func (c *Client) handleCaption(m *signaling.Message) {
	k := c.call
	if k == nil || k.info.ID != m.CallID || m.Caption == nil {
		return
	}
	l := CaptionLine{Speaker: m.Caption.Speaker, Name: m.Caption.Name, Text: m.Caption.Text,
		Final: m.Caption.Final, Start: time.UnixMilli(m.Caption.Start)}
	if l.Name == "" {
		l.Name = l.Speaker
	}
	// A new slice each time: the screen may still hold the previous one.
	lines := slices.DeleteFunc(slices.Clone(k.info.Captions.Lines), func(x CaptionLine) bool {
		return !x.Final && x.Speaker == l.Speaker
	})
	lines = append(lines, l)
	if len(lines) > MaxCaptionLines {
		lines = lines[len(lines)-MaxCaptionLines:]
	}
	k.info.Captions.Lines = lines
	c.notifyCall()
}

// captionsFailed reports whether m answers the last captions request, and
// tells the user why it was refused.
func (c *Client) captionsFailed(m *signaling.Message) bool {
	if m.Error == nil || m.Error.Ref == "" || m.Error.Ref != c.captions.ref {
		return false
	}
	c.cfg.Listener.Notice(FeatureCaptions.Name() + ": " + m.Error.Message)
	return true
}

// SetCaptions turns the current call's live captions on or off.
func (s *Softphone) SetCaptions(on bool) { s.withClient(func(c *Client) { c.SetCaptions(on) }) }
