package app

import "github.com/parley-voip/parley/crypto/identity"

// Key continuity: after a completed E2EE call the peer's device key (which
// signed the call's transcript) is looked up among the contact's verified
// keys. A verified key shows "Verified" and needs no code comparison; a
// contact with verified keys that presents another one is warned about and
// is no longer shown as verified until the code is compared again.

// checkPeerIdentity records which device key authenticated k's handshake
// and what the user is to be told about it. Called once, at completion.
func (c *Client) checkPeerIdentity(k *call, key identity.PublicKey) {
	k.peerKey = key
	k.info.PeerKeyFingerprint = key.Fingerprint()
	trust, err := c.cfg.Verified.Seen(c.cfg.Me.ID, k.info.Peer.ID, key)
	if err != nil {
		c.log.Warn("could not save a key change", "err", err)
	}
	k.info.Trust = trust
	if trust == TrustChanged {
		c.log.Warn("the contact's device key is not one that was verified", "peer", k.info.Peer.ID, "key", key)
		c.publishContacts()
	}
}

// MarkVerified marks the device key of the current E2EE call's peer as
// verified: the two people compared the code. Later calls with that device
// show Verified without a comparison.
func (c *Client) MarkVerified() {
	c.post(func() {
		k := c.call
		if k == nil || !k.info.E2EE || k.peerKey.IsZero() {
			return
		}
		if err := c.cfg.Verified.Verify(c.cfg.Me.ID, k.info.Peer.ID, k.peerKey); err != nil {
			c.log.Warn("could not save the verification", "err", err)
			c.cfg.Listener.Notice("Could not save the verification: " + err.Error())
			return
		}
		k.info.Trust = TrustVerified
		c.notifyCall()
		c.publishContacts()
	})
}
