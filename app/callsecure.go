package app

import (
	"errors"

	"github.com/parley-voip/parley/crypto/e2ee"
	"github.com/parley-voip/parley/signaling"
)

func (c *Client) newHandshake(k *call, role e2ee.Role) (*e2ee.Handshake, error) {
	cfg := e2ee.Config{Role: role, CallID: k.info.ID, Identity: c.cfg.Identity}
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
		c.unexpectedKeyAgreement(k)
		return
	}
	reply, err := k.hs.Handle(data)
	if e2ee.IsIgnorable(err) {
		// A copy of a message already handled (a relay that delivers twice)
		// or one arriving after completion: it cannot change the keys, and
		// a false "may be intercepted" would teach people to ignore the
		// real one.
		c.ignoredKeyMessage(k, err) // decision.go
		return
	}
	if err != nil {
		c.e2eeFailed(k, err)
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
		c.e2eeFailed(k, err)
		return
	}
	// The audio's keys and each video kind's (callvideo.go); this takes
	// the epoch-0 keys out of res.
	cipher, vid, err := trackCiphers(res)
	if err != nil {
		c.e2eeFailed(k, err)
		return
	}
	k.video.ciphers = vid
	// From here on only the cipher holds keys, and its ratchet erases each
	// epoch's as it moves on: nothing the call keeps can rebuild epoch 0.
	k.hs.Erase()
	k.cipher = cipher
	code := res.Code()
	k.info.E2EE = true
	k.info.Code = code.String()
	k.info.CodeGroups = code.Groups()
	c.checkPeerIdentity(k, res.PeerIdentity()) // verify.go
	c.startMedia(k, cipher)
}

// unexpectedKeyAgreement fails a call that got a key-agreement message
// where it expects none: in a call decided without E2EE (a mismatch), or
// before this side is ready. It never passes silently.
func (c *Client) unexpectedKeyAgreement(k *call) {
	if !k.e2ee() {
		c.e2eeMismatch(k, "a key-agreement message in a call decided without E2EE")
		return
	}
	c.e2eeFailed(k, errors.New("unexpected key-agreement message"))
}

// e2eeFailed ends the call loudly: no media has flowed, none will, and the
// other side is told so it shows the same warning.
func (c *Client) e2eeFailed(k *call, err error) {
	c.log.Warn("e2ee failed", "err", err)
	c.endByUs(k, EndE2EEFailed)
}
