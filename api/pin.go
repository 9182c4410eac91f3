package api

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"strings"
)

// ErrPinMismatch: the server presented another certificate than the
// pinned one.
var ErrPinMismatch = errors.New("api: certificate does not match the pin")

// Fingerprint is the SHA-256 of a DER certificate as colon-separated
// uppercase hex, the form browsers and openssl print and the server
// announces at start-up.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// PinnedTLS returns TLS settings that accept exactly the certificate
// whose Fingerprint is pin, whatever its names and issuer: what a client
// does after trust on first use.
func PinnedTLS(pin string) *tls.Config {
	return &tls.Config{
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // replaced by the pin check below
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) == 0 || Fingerprint(raw[0]) != pin {
				return ErrPinMismatch
			}
			return nil
		},
	}
}
