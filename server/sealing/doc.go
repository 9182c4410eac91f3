// Package sealing encrypts what the server keeps at rest (chat bodies,
// recording keys, recording files) under server-held 256-bit keys:
// XChaCha20-Poly1305 with a random 192-bit nonce per seal, so one key can
// seal any number of messages without nonce bookkeeping. A sealed value is
// nonce || ciphertext || tag; the associated data binds it to where it is
// stored, so a value moved to another row or file does not open.
package sealing
