// Package opus is a thin cgo binding of libopus (RFC 6716), the codec of every
// Parley call: 48 kHz mono, one packet per 20 ms frame, in-band FEC on by
// default so that the receiver can rebuild a lost frame from the next packet
// (see docs/media.md).
//
// Only the handful of libopus calls the media engine needs are wrapped. The
// Encoder and Decoder own C memory: call Close when done. A runtime cleanup
// frees it too if a value is dropped without Close, but that is a backstop,
// not a substitute. Neither type is safe for concurrent use; each direction of
// a call owns its own.
//
// Build requirement: libopus and pkg-config (Debian: libopus-dev pkg-config,
// macOS: brew install opus pkg-config).
package opus
