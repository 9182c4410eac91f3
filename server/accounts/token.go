package accounts

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// tokenPrefix marks Parley session tokens so secret scanners and humans
// recognize them.
const tokenPrefix = "pst_"

// newToken returns a fresh bearer token (256 random bits) and the SHA-256
// that is all the database keeps. A plain hash is enough: the token has
// full entropy, so there is nothing to brute-force from a stolen table.
func newToken() (token string, hash []byte) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token = tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// wellFormedToken rejects junk before it reaches the database.
func wellFormedToken(t string) bool {
	return len(t) == len(tokenPrefix)+43 && strings.HasPrefix(t, tokenPrefix)
}

// newSessionID is the public handle of a session (listing, revoking); it
// says nothing about the token.
func newSessionID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
