package e2ee

import (
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/parley-voip/parley/crypto/identity"
)

// Version is the handshake protocol version carried in every message.
const Version = 2

// MaxMessageSize bounds every handshake message. The largest one, Reveal,
// is RevealSize bytes; anything longer is rejected before it is looked at.
const MaxMessageSize = 1536

// Sizes of the public values, from RFC 7748 and FIPS 203.
const (
	x25519Size    = 32
	nonceSize     = 32
	hashSize      = 32 // SHA-256
	macSize       = 32 // HMAC-SHA-256
	mlkemEKSize   = 1184
	mlkemCTSize   = 1088
	mlkemSeedSize = 64
	identitySize  = identity.PublicKeySize // Ed25519 public key, RFC 8032
	signatureSize = identity.SignatureSize // Ed25519 signature
)

// Wire sizes of the four messages: a 2-byte header (type, version) and
// fields each prefixed by a 2-byte big-endian length.
const (
	CommitSize         = 2 + (2 + 2) + (2 + hashSize)
	ResponderHelloSize = 2 + (2 + x25519Size) + (2 + identitySize) + (2 + mlkemEKSize) + (2 + nonceSize)
	RevealSize         = 2 + (2 + x25519Size) + (2 + identitySize) + (2 + nonceSize) + (2 + mlkemCTSize) + (2 + signatureSize) + (2 + macSize)
	ConfirmSize        = 2 + (2 + signatureSize) + (2 + macSize)
)

// MessageType is the first byte of every handshake message.
type MessageType uint8

// Message types, in protocol order.
const (
	TypeCommit         MessageType = 1 // initiator → responder
	TypeResponderHello MessageType = 2 // responder → initiator
	TypeReveal         MessageType = 3 // initiator → responder
	TypeConfirm        MessageType = 4 // responder → initiator
)

func (t MessageType) String() string {
	switch t {
	case TypeCommit:
		return "commit"
	case TypeResponderHello:
		return "responder-hello"
	case TypeReveal:
		return "reveal"
	case TypeConfirm:
		return "confirm"
	default:
		return "MessageType(" + strconv.Itoa(int(t)) + ")"
	}
}

func (t MessageType) known() bool { return t >= TypeCommit && t <= TypeConfirm }

// PeekType checks a message's size, version and type byte without parsing
// the rest, so that a receiver can dispatch it.
func PeekType(msg []byte) (MessageType, error) {
	if len(msg) > MaxMessageSize {
		return 0, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(msg), MaxMessageSize)
	}
	if len(msg) < 2 {
		return 0, fmt.Errorf("%w: %d bytes, shorter than the header", ErrMalformed, len(msg))
	}
	t := MessageType(msg[0])
	if !t.known() {
		return 0, fmt.Errorf("%w: unknown type %d", ErrMalformed, msg[0])
	}
	if msg[1] != Version {
		return 0, fmt.Errorf("%w: %s message has version %d, want %d", ErrVersion, t, msg[1], Version)
	}
	return t, nil
}

// fieldReader walks the length-prefixed fields of one message.
type fieldReader struct {
	t    MessageType
	rest []byte
}

// openMessage checks the header of msg against the wanted type.
func openMessage(msg []byte, want MessageType) (fieldReader, error) {
	t, err := PeekType(msg)
	if err != nil {
		return fieldReader{}, err
	}
	if t != want {
		return fieldReader{}, fmt.Errorf("%w: got %s, want %s", ErrUnexpectedMessage, t, want)
	}
	return fieldReader{t: t, rest: msg[2:]}, nil
}

// field copies the next field into dst; its length must be exactly len(dst).
func (r *fieldReader) field(name string, dst []byte) error {
	if len(r.rest) < 2 {
		return fmt.Errorf("%w: %s: truncated before %s", ErrMalformed, r.t, name)
	}
	n := int(binary.BigEndian.Uint16(r.rest))
	if n != len(dst) {
		return fmt.Errorf("%w: %s: %s is %d bytes, want %d", ErrMalformed, r.t, name, n, len(dst))
	}
	if len(r.rest)-2 < n {
		return fmt.Errorf("%w: %s: %s truncated", ErrMalformed, r.t, name)
	}
	copy(dst, r.rest[2:2+n])
	r.rest = r.rest[2+n:]
	return nil
}

// end rejects trailing bytes, so that every message has one encoding.
func (r *fieldReader) end() error {
	if len(r.rest) != 0 {
		return fmt.Errorf("%w: %s: %d trailing bytes", ErrMalformed, r.t, len(r.rest))
	}
	return nil
}

func appendHeader(dst []byte, t MessageType) []byte {
	return append(dst, byte(t), Version)
}

// appendField appends a 16-bit big-endian length and b. Callers only pass
// fields far shorter than 64 KiB.
func appendField(dst, b []byte) []byte {
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(b)))
	return append(dst, b...)
}
