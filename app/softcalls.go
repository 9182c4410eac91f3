package app

// Call dials a contact.
func (s *Softphone) Call(id string) { s.withClient(func(c *Client) { c.Call(id) }) }

// Accept answers the incoming call.
func (s *Softphone) Accept() { s.withClient((*Client).Accept) }

// Decline refuses the incoming call.
func (s *Softphone) Decline() { s.withClient((*Client).Decline) }

// MarkVerified marks the current E2EE call's peer device as verified.
func (s *Softphone) MarkVerified() { s.withClient((*Client).MarkVerified) }

// Hangup ends the call.
func (s *Softphone) Hangup() { s.withClient((*Client).Hangup) }

// SetMuted mutes the microphone.
func (s *Softphone) SetMuted(on bool) { s.withClient(func(c *Client) { c.SetMuted(on) }) }

// ContactsChanged implements Listener, placing the AutoCall when its
// callee comes online.
func (s *Softphone) ContactsChanged(cs []Contact) {
	s.listener().ContactsChanged(cs)
	for _, c := range cs {
		if c.ID == s.cfg.AutoCall && c.Presence == PresenceOnline {
			s.autoSeen = true
		}
	}
	s.autoCall()
}

// autoCall places the AutoCall once its callee is online and the server
// has said what the policy allows (the presence list may come first, and
// a call placed then would not be E2EE).
func (s *Softphone) autoCall() {
	if s.cfg.AutoCall == "" || s.autoDone || !s.autoSeen || s.policy.Load() == nil {
		return
	}
	s.autoDone = true
	s.Call(s.cfg.AutoCall)
}

// CallChanged implements Listener, answering at once under AutoAnswer.
func (s *Softphone) CallChanged(c CallInfo) {
	// The security code is shown on screen anyway; logging it lets scripts
	// (scripts/screenshot.sh) check both windows agree.
	s.log.Info("call", "state", c.State.String(), "e2ee", c.E2EE, "code", c.Code, "end", c.EndMessage(),
		"ignored_key_messages", c.IgnoredKeyMessages, "video", len(c.Video))
	s.listener().CallChanged(c)
	if s.cfg.AutoAnswer && c.State == CallIncoming {
		s.Accept()
	}
	if s.cfg.AutoCamera {
		autoVideo(c, c.Camera, c.CameraUnavailable, &s.autoCameraFor, s.SetCamera)
	}
	if s.cfg.AutoScreenShare {
		autoVideo(c, c.ScreenShare, c.ScreenUnavailable, &s.autoScreenFor, s.SetScreenShare)
	}
}

// autoVideo turns a kind of video on (set) once in each call as it becomes
// active, when it is off and can be sent; *done is the call it last did it
// in, so the user may turn it off again.
func autoVideo(c CallInfo, on bool, unavailable string, done *string, set func(bool)) {
	if c.State == CallActive && !on && unavailable == "" && *done != c.ID {
		*done = c.ID
		set(true)
	}
}
