package app

import "github.com/parley-voip/parley/signaling"

// Recording notices: people must know they are recorded, the moment it
// starts, also when they join a call already being recorded.
const (
	NoticeRecordingStarted = " started recording this call. Everyone in the call is being recorded."
	NoticeRecordingOn      = "This call is being recorded."
	NoticeRecordingStopped = "Recording stopped. The participants find it in the chat and the call's history."
)

// StartRecording asks the server to record the current standard call. The
// server tells every participant (CallInfo.Recording and a notice); a
// refusal (policy, an E2EE call) arrives as a notice with its reason.
func (c *Client) StartRecording() { c.post(func() { c.requestRecording(signaling.TypeRecordStart) }) }

// StopRecording asks the server to stop recording the current call; any
// participant may.
func (c *Client) StopRecording() { c.post(func() { c.requestRecording(signaling.TypeRecordStop) }) }

func (c *Client) requestRecording(t signaling.Type) {
	k := c.call
	if k == nil || c.refused(k, k.accepts(evRecord)) {
		c.cfg.Listener.Notice("Recording needs a call in progress.")
		return
	}
	m := &signaling.Message{Type: t, CallID: k.info.ID}
	c.send(m) // assigns m.ID; the answer is handled on this goroutine, after
	c.recordReq = m.ID
}

// recordingRefused shows the server's answer to a record request as a
// notice; it reports whether m was one.
func (c *Client) recordingRefused(m *signaling.Message) bool {
	if m.Error == nil || m.Error.Ref == "" || m.Error.Ref != c.recordReq {
		return false
	}
	c.recordReq = ""
	c.cfg.Listener.Notice(m.Error.Message)
	return true
}

// handleRecording applies a recording message to the current call.
func (c *Client) handleRecording(m *signaling.Message) {
	k := c.call
	if k == nil || k.info.ID != m.CallID || m.Recording == nil {
		return
	}
	r := m.Recording
	was := k.info.Recording
	k.info.Recording, k.info.RecordingID = r.Active, r.ID
	k.info.RecordingBy = r.By
	if r.Name != "" {
		k.info.RecordingBy = r.Name
	}
	c.notifyCall()
	switch {
	case r.Active && !was && r.By == c.cfg.Me.ID:
		c.cfg.Listener.Notice("You" + NoticeRecordingStarted)
	case r.Active && !was && r.Name != "":
		c.cfg.Listener.Notice(r.Name + NoticeRecordingStarted)
	case r.Active && !was:
		c.cfg.Listener.Notice(NoticeRecordingOn)
	case !r.Active && was:
		c.cfg.Listener.Notice(NoticeRecordingStopped)
	}
}
