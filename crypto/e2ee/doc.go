// Package e2ee agrees the keys of an end-to-end encrypted one-to-one call and
// turns them into SFrame media protection.
//
// The handshake is a commit-then-reveal hybrid key agreement (X25519 and
// ML-KEM-768) in four messages, driven by the call layer over any transport:
// the initiator commits to its public values before it sees the responder's,
// so a man in the middle who wants both users to read the same 20-digit
// security code gets exactly one guess (probability 10^-20). Each side signs
// the transcript with its device's identity key (crypto/identity), so the
// result names the peer device's key, and both prove with key confirmation
// that they derived the same keys before any media flows. The result feeds
// a MediaCipher, which takes its keys over: one SFrame context per
// direction, with a ratchet that moves to fresh keys during the call and
// erases the old ones.
//
// The protocol, the key schedule, the code derivation and the security
// argument are written up in docs/e2ee.md; the SFrame layer is described in
// docs/sframe.md.
package e2ee
