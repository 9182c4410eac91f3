package sframe

import (
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"hash"
)

// Suite is an SFrame cipher suite identifier from the IANA "SFrame Cipher
// Suites" registry (RFC 9605 section 8.1).
type Suite uint16

// The cipher suites defined by RFC 9605.
const (
	AES_128_CTR_HMAC_SHA256_80 Suite = 0x0001
	AES_128_CTR_HMAC_SHA256_64 Suite = 0x0002
	AES_128_CTR_HMAC_SHA256_32 Suite = 0x0003
	AES_128_GCM_SHA256_128     Suite = 0x0004
	AES_256_GCM_SHA512_128     Suite = 0x0005
)

// nonceSize is AEAD.Nn, the same (12) for every suite.
const nonceSize = 12

// suiteParams holds the constants of RFC 9605 Table 1.
type suiteParams struct {
	name    string
	newHash func() hash.Hash
	nh      int // hash output size
	nka     int // AES key size inside the CTR+HMAC AEAD; 0 for GCM
	nk      int // sframe_key size
	nt      int // tag size
}

var suites = [...]suiteParams{
	AES_128_CTR_HMAC_SHA256_80: {"AES_128_CTR_HMAC_SHA256_80", sha256.New, 32, 16, 48, 10},
	AES_128_CTR_HMAC_SHA256_64: {"AES_128_CTR_HMAC_SHA256_64", sha256.New, 32, 16, 48, 8},
	AES_128_CTR_HMAC_SHA256_32: {"AES_128_CTR_HMAC_SHA256_32", sha256.New, 32, 16, 48, 4},
	AES_128_GCM_SHA256_128:     {"AES_128_GCM_SHA256_128", sha256.New, 32, 0, 16, 16},
	AES_256_GCM_SHA512_128:     {"AES_256_GCM_SHA512_128", sha512.New, 64, 0, 32, 16},
}

func (s Suite) params() (*suiteParams, error) {
	if s == 0 || int(s) >= len(suites) {
		return nil, fmt.Errorf("%w: 0x%04x", ErrUnsupportedSuite, uint16(s))
	}
	return &suites[s], nil
}

// Valid reports whether s is one of the suites of RFC 9605.
func (s Suite) Valid() bool {
	_, err := s.params()
	return err == nil
}

// TagSize returns the authentication tag size in bytes (AEAD.Nt), or 0 for
// an unsupported suite.
func (s Suite) TagSize() int {
	p, err := s.params()
	if err != nil {
		return 0
	}
	return p.nt
}

// String returns the registry name of the suite.
func (s Suite) String() string {
	p, err := s.params()
	if err != nil {
		return fmt.Sprintf("Suite(0x%04x)", uint16(s))
	}
	return p.name
}
