package media

// FrameCipher protects each encoded audio frame end to end. crypto/e2ee's
// MediaCipher implements it with SFrame; a call without E2EE has none, and
// then frames rely on DTLS-SRTP alone.
type FrameCipher interface {
	Seal(dst, frame []byte) ([]byte, error)
	Open(dst, sealed []byte) ([]byte, error)
}
