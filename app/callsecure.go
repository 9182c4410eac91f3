package app

import (
	"errors"

	"github.com/parley-voip/parley/crypto/e2ee"
	"github.com/parley-voip/parley/signaling"
)

// e2eeChoice is this user's side of the E2EE decision: the Privacy switch,
// where the organization's policy allows it. It is read when the call is
// placed or answered; a change applies to later calls.
func (c *Client) e2eeChoice() bool { return c.policy.E2EEAllowed && c.cfg.Settings.E2EECalls() }

// e2eeRequired reports "only allow E2EE calls" in force for this user: the
// user's own two switches, never the server's policy (DESIGN.md).
func (c *Client) e2eeRequired() bool { return c.cfg.Settings.E2EECalls() && c.cfg.Settings.E2EEOnly() }

// reasonE2EERequired is the decline/hangup reason when one side refuses a
// call that would not be end-to-end encrypted.
const reasonE2EERequired signaling.Reason = "e2ee-required"

func (c *Client) newHandshake(k *call, role e2ee.Role) (*e2ee.Handshake, error) {
	cfg := e2ee.Config{Role: role, CallID: k.info.ID}
	local, remote := k.peer.LocalFingerprint(), k.peer.RemoteFingerprint()
	if role == e2ee.Initiator {
		cfg.InitiatorID, cfg.ResponderID = c.cfg.Me.ID, k.info.Peer.ID
		cfg.InitiatorFingerprint, cfg.ResponderFingerprint = local, remote
	} else {
		cfg.InitiatorID, cfg.ResponderID = k.info.Peer.ID, c.cfg.Me.ID
		cfg.InitiatorFingerprint, cfg.ResponderFingerprint = remote, local
	}
	return e2ee.New(cfg)
}

func (c *Client) keyAgreement(k *call, data []byte) {
	if k.hs == nil {
		// A key-agreement message for a call that did not negotiate E2EE,
		// or before our side is ready: never let it pass silently.
		c.e2eeFailed(errors.New("unexpected key-agreement message"))
		return
	}
	reply, err := k.hs.Handle(data)
	if err != nil {
		c.e2eeFailed(err)
		return
	}
	if reply != nil {
		c.sendCall(signaling.TypeKeyAgreement, func(m *signaling.Message) { m.Data = reply })
	}
	if !k.hs.Done() || k.stream != nil {
		return
	}
	res, err := k.hs.Result()
	if err != nil {
		c.e2eeFailed(err)
		return
	}
	cipher, err := e2ee.NewMediaCipher(res)
	if err != nil {
		c.e2eeFailed(err)
		return
	}
	code := res.Code()
	k.info.E2EE = true
	k.info.Code = code.String()
	k.info.CodeGroups = code.Groups()
	c.startMedia(k, cipher)
}

// e2eeFailed ends the call loudly: no media has flowed, none will, and the
// other side is told so it shows the same warning.
func (c *Client) e2eeFailed(err error) {
	c.log.Warn("e2ee failed", "err", err)
	c.sendCall(signaling.TypeHangup, func(m *signaling.Message) { m.Reason = signaling.ReasonE2EEFailed })
	c.endCall(EndE2EEFailed, "", false)
}
