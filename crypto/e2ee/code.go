package e2ee

import (
	"crypto/subtle"
	"math/big"
)

// CodeDigits is the length of the security code: 5 groups of 4 digits.
const CodeDigits = 20

// codeModulus is 10^20.
var codeModulus = new(big.Int).Exp(big.NewInt(10), big.NewInt(CodeDigits), nil)

// SecurityCode is the 20-digit code both users read to each other. It is
// not secret: it only lets two people check that they see the same
// handshake.
type SecurityCode struct {
	digits [CodeDigits]byte // ASCII '0'..'9'
}

// codeFromDigest reduces a 256-bit digest modulo 10^20. The bias of the
// reduction is below 10^20 / 2^256 < 2^-189 in statistical distance, so the
// code is uniform for every practical purpose.
func codeFromDigest(d [hashSize]byte) SecurityCode {
	n := new(big.Int).SetBytes(d[:])
	n.Mod(n, codeModulus)
	var c SecurityCode
	s := n.Text(10)
	for i := range c.digits {
		c.digits[i] = '0'
	}
	copy(c.digits[CodeDigits-len(s):], s)
	return c
}

// Groups returns the code as five groups of four digits.
func (c SecurityCode) Groups() [5]string {
	var g [5]string
	for i := range g {
		g[i] = string(c.digits[4*i : 4*i+4])
	}
	return g
}

// String returns the code as "1234 5678 9012 3456 7890".
func (c SecurityCode) String() string {
	b := make([]byte, 0, CodeDigits+4)
	for i := 0; i < CodeDigits; i += 4 {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, c.digits[i:i+4]...)
	}
	return string(b)
}

// IsZero reports whether c is the zero value (no code).
func (c SecurityCode) IsZero() bool { return c.digits[0] == 0 }

// Equal compares two codes. The code is public, but comparing in constant
// time costs nothing.
func (c SecurityCode) Equal(o SecurityCode) bool {
	return subtle.ConstantTimeCompare(c.digits[:], o.digits[:]) == 1
}
