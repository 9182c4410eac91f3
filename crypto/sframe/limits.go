package sframe

// Size limits. RFC 9605 sets none; these bound what a peer can make us
// process and are chosen for audio (see docs/sframe.md).
const (
	// MaxFrameSize is the largest plaintext accepted, 64 KiB. An Opus frame
	// is at most 1275 bytes, so this leaves room for video later while
	// keeping a forged frame cheap to reject.
	MaxFrameSize = 64 << 10
	// MaxMetadataSize is the largest metadata accepted. Parley passes none.
	MaxMetadataSize = 1 << 10
	// MinBaseKeySize and MaxBaseKeySize bound a base key. RFC 9605 accepts
	// any length; shorter than 16 bytes would give less than 128-bit
	// security, and keys from crypto/e2ee are 32 or 64 bytes.
	MinBaseKeySize = 16
	MaxBaseKeySize = 64
	// MaxHeaderSize is the longest SFrame header: a config byte and
	// 8-byte KID and CTR.
	MaxHeaderSize = 17
	// maxCiphertextSize is the longest SFrame ciphertext accepted.
	maxCiphertextSize = MaxHeaderSize + MaxFrameSize + 16
)
