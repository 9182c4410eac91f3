package app

import "time"

// The E2EE decision of a call, this side's guard, and what the user is told
// when a call they wanted encrypted is not.
//
// Each side's choice is its Privacy switch where its policy allows it. The
// call is E2EE exactly when both choices are on. The callee decides when it
// accepts (after its policy is known) and sends its choice and its decision
// (accept e2ee, e2ee_call); the caller checks that decision against its own
// and sends its decision with the offer, which the callee checks in turn.
// Neither side attaches media before its check passed, so a server that
// rewrites one flag gets a call that ends on both sides (e2ee-mismatch),
// never one side running the key agreement while the other sends plain
// media.

// e2eeChoice is this user's side of the E2EE decision: the Privacy switch,
// where the organization's policy allows it. It is read when the call is
// placed or answered; a change applies to later calls.
func (c *Client) e2eeChoice() bool { return c.policy.E2EEAllowed && c.cfg.Settings.E2EECalls() }

// e2eeOnly reports "Only allow end-to-end encrypted calls" in force. It
// follows the user's own Settings alone: no policy push or other message
// from the server can turn it off (it only greys out while the E2EE switch
// itself is off, which is the user's choice too).
func (c *Client) e2eeOnly() bool {
	return c.cfg.Settings.E2EECalls() && c.cfg.Settings.E2EEOnly()
}

// NotE2EECause says why a call the user wanted end-to-end encrypted is not.
type NotE2EECause int

const (
	NotE2EENone         NotE2EECause = iota
	NotE2EEMyPolicy                  // this user's organization does not allow E2EE
	NotE2EEPeerOff                   // the other person has it off (their switch or their policy)
	NotE2EEPeerRequires              // the other person allows only E2EE calls, and this side cannot
)

// Texts for the causes; tests and the UI use them.
const (
	TextNotE2EEPolicy       = "Your organization's policy does not allow end-to-end encryption"
	TextNotE2EEPeerOff      = "The other person has end-to-end encryption off, or their organization does not allow it"
	TextRefusedPolicy       = "Your organization has turned off end-to-end encryption, and you allow only encrypted calls"
	TextRefusedPeerOff      = "The other person has end-to-end encryption off, and you allow only encrypted calls"
	TextRefusedPeerRequires = "The other person allows only end-to-end encrypted calls, and this call could not be end-to-end encrypted"
)

// Reason is the line under "Not end-to-end encrypted" in a call.
func (n NotE2EECause) Reason() string {
	switch n {
	case NotE2EEMyPolicy:
		return TextNotE2EEPolicy
	case NotE2EEPeerOff:
		return TextNotE2EEPeerOff
	case NotE2EEPeerRequires:
		return TextRefusedPeerRequires
	}
	return ""
}

// refused is the end message of a call refused for not being E2EE.
func (n NotE2EECause) refused() string {
	switch n {
	case NotE2EEMyPolicy:
		return TextRefusedPolicy
	case NotE2EEPeerOff:
		return TextRefusedPeerOff
	case NotE2EEPeerRequires:
		return TextRefusedPeerRequires
	}
	return EndE2EERequired.Message()
}

// GuardBlockedNotice tells a user whose guard is on that their
// organization no longer allows E2EE, so every call will be refused.
const GuardBlockedNotice = TextRefusedPolicy + ": every call is refused until your organization allows it again or you turn off “Only allow end-to-end encrypted calls” in Settings."

// GuardBlocked reports, for the screens, whether "only encrypted calls"
// is on while the policy does not allow E2EE: then every call is refused.
func GuardBlocked(policyAllows, e2eeOn, only bool) bool { return !policyAllows && e2eeOn && only }

// notE2EECause is why k, which this user may have wanted encrypted, is
// not. A policy not yet known is not blamed while the other side's flag
// explains it.
func (c *Client) notE2EECause(k *call) NotE2EECause {
	switch {
	case c.policyKnown && !c.policy.E2EEAllowed:
		return NotE2EEMyPolicy
	case !k.remoteE2EE:
		return NotE2EEPeerOff
	case !c.policy.E2EEAllowed:
		return NotE2EEMyPolicy
	}
	return NotE2EENone
}

// decided records this side's decision for the call in what the screen
// shows: negotiated or not, and if this user wanted E2EE, why not.
func (c *Client) decided(k *call) {
	k.info.E2EENegotiated = k.e2ee()
	k.info.NotE2EE = NotE2EENone
	if k.info.WantedE2EE && !k.e2ee() {
		k.info.NotE2EE = c.notE2EECause(k)
	}
}

// refuseUnencrypted ends a call the guard does not allow, telling the
// other side (e2ee-required: a decline while it rings here, else a hangup).
func (c *Client) refuseUnencrypted(k *call) {
	k.info.NotE2EE = c.notE2EECause(k)
	c.log.Info("refused a call that would not be end-to-end encrypted", "call", k.info.ID, "cause", k.info.NotE2EE)
	c.endByUs(k, EndE2EERequired)
}

// e2eeMismatch ends a call whose two sides decided differently: a flag was
// rewritten on the way. No media has been attached on this side.
func (c *Client) e2eeMismatch(k *call, why string) {
	c.log.Warn("the two sides disagree on E2EE", "call", k.info.ID, "why", why)
	c.endByUs(k, EndE2EEMismatch)
}

// policyChanged applies a policy push and tells a user whose guard is on
// when it does not allow E2EE: once, until a policy allows it again
// (guardWarned is kept across reconnects).
func (c *Client) policyChanged(p Policy) {
	c.policy, c.policyKnown = p, true
	c.cfg.Listener.PolicyChanged(p)
	switch {
	case p.E2EEAllowed:
		c.guardWarned = false
	case c.e2eeOnly() && !c.guardWarned:
		c.guardWarned = true
		c.cfg.Listener.Notice(GuardBlockedNotice)
	}
	c.runPolicyWaiters()
}

// whenPolicyKnown runs f on the Run goroutine once the policy is known: a
// dial placed, or a call answered, in the instant between sign-in and the
// policy push would otherwise be decided without E2EE although both sides
// may allow it.
func (c *Client) whenPolicyKnown(f func()) {
	if c.policyKnown {
		f()
		return
	}
	c.policyWaiters = append(c.policyWaiters, f)
	if len(c.policyWaiters) > 1 {
		return
	}
	time.AfterFunc(c.cfg.PolicyTimeout, func() {
		c.post(func() {
			if !c.policyKnown {
				c.log.Warn("no policy from the server; going on without it")
				c.policyKnown = true
				c.runPolicyWaiters()
			}
		})
	})
}

func (c *Client) runPolicyWaiters() {
	ws := c.policyWaiters
	c.policyWaiters = nil
	for _, f := range ws {
		f()
	}
}

// ignoredKeyMessage counts a key-agreement message the handshake found
// harmless (e2ee.IsIgnorable: an exact duplicate, or one after completion)
// where the call's state and the log show it.
func (c *Client) ignoredKeyMessage(k *call, err error) {
	k.info.IgnoredKeyMessages++
	c.log.Info("e2ee: key-agreement message ignored", "call", k.info.ID, "err", err,
		"ignored", k.info.IgnoredKeyMessages)
	c.notifyCall()
}
