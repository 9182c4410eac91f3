// Package fingerprint is the one type for a DTLS certificate fingerprint as
// SDP carries it (RFC 8122 section 5, "a=fingerprint:sha-256 AB:CD:…").
// media/rtc parses it from session descriptions and checks the certificate
// the peer presented against it; crypto/e2ee binds its canonical form into
// the key agreement's transcript. Only SHA-256, SHA-384 and SHA-512 are
// accepted: the fingerprint stands for the certificate, so it must be
// collision resistant, and MD5, SHA-1 and SHA-224 are refused.
package fingerprint
