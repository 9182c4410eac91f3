// Package sframe implements Secure Frame (SFrame, RFC 9605): the end-to-end
// encryption Parley applies to every encoded audio frame of an E2EE call, on
// top of the hop-by-hop DTLS-SRTP protection.
//
// All five cipher suites of RFC 9605 are supported. Two APIs are offered:
//
//   - [Seal] and [Open] are stateless and derive keys on every call. They
//     exist for conformance checks and tests, not for media.
//   - [Context] derives keys once per KID, keeps a send counter per sending
//     KID and a replay window per receiving KID, and allocates nothing per
//     frame when the destination buffer has room. The media path uses it.
//
// Keys come from crypto/e2ee, which runs the key agreement and the ratchet;
// this package only adds and removes them. The choices made where RFC 9605
// leaves room (replay window, size limits, canonical headers, key usage,
// key erasure) are explained in docs/sframe.md.
package sframe
