package sframe

import (
	"encoding/binary"
	"fmt"
	"math/bits"
)

// Config byte layout (RFC 9605 section 4.3): X | K K K | Y | C C C.
const (
	flagX = 0x80 // KID is extended; K holds its length minus one
	flagY = 0x08 // CTR is extended; C holds its length minus one
)

// fieldLen is the number of bytes a KID or CTR takes after the config byte:
// 0 for values 0-7, otherwise the minimal big-endian length.
func fieldLen(v uint64) int {
	if v < 8 {
		return 0
	}
	return (bits.Len64(v) + 7) / 8
}

// HeaderSize returns the length of the SFrame header for kid and ctr.
func HeaderSize(kid, ctr uint64) int {
	return 1 + fieldLen(kid) + fieldLen(ctr)
}

// AppendHeader appends the SFrame header for kid and ctr to dst, using the
// minimal encoding RFC 9605 requires.
func AppendHeader(dst []byte, kid, ctr uint64) []byte {
	kl, cl := fieldLen(kid), fieldLen(ctr)
	var config byte
	if kl == 0 {
		config = byte(kid) << 4
	} else {
		config = flagX | byte(kl-1)<<4
	}
	if cl == 0 {
		config |= byte(ctr)
	} else {
		config |= flagY | byte(cl-1)
	}
	dst = append(dst, config)
	dst = appendUint(dst, kid, kl)
	return appendUint(dst, ctr, cl)
}

func appendUint(dst []byte, v uint64, n int) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return append(dst, b[8-n:]...)
}

// ParseHeader decodes the SFrame header at the start of b and returns the
// KID, the CTR and the header length. A non-minimal encoding is rejected
// with ErrMalformedHeader, so that every (KID, CTR) has exactly one wire
// form and AppendHeader(nil, kid, ctr) equals b[:n].
func ParseHeader(b []byte) (kid, ctr uint64, n int, err error) {
	if len(b) == 0 {
		return 0, 0, 0, ErrShortHeader
	}
	config := b[0]
	n = 1
	if config&flagX == 0 {
		kid = uint64(config>>4) & 0x7
	} else {
		kid, n, err = readField(b, n, int(config>>4&0x7)+1, "kid")
		if err != nil {
			return 0, 0, 0, err
		}
	}
	if config&flagY == 0 {
		ctr = uint64(config & 0x7)
	} else {
		ctr, n, err = readField(b, n, int(config&0x7)+1, "ctr")
		if err != nil {
			return 0, 0, 0, err
		}
	}
	return kid, ctr, n, nil
}

// readField reads an l-byte extended field at b[off:] and checks that l is
// the minimal length for the value read.
func readField(b []byte, off, l int, name string) (v uint64, next int, err error) {
	if len(b)-off < l {
		return 0, 0, fmt.Errorf("%w: %s needs %d bytes, %d left", ErrShortHeader, name, l, len(b)-off)
	}
	for _, c := range b[off : off+l] {
		v = v<<8 | uint64(c)
	}
	if fieldLen(v) != l {
		return 0, 0, fmt.Errorf("%w: %s 0x%x encoded in %d bytes", ErrMalformedHeader, name, v, l)
	}
	return v, off + l, nil
}
