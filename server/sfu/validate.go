package sfu

import (
	"fmt"

	"github.com/pion/rtp"
)

// MaxPacketSize bounds one RTP packet the service accepts (pion's receive
// MTU); an Opus packet is at most 1275 bytes (RFC 6716 section 3.2.1).
const (
	MaxPacketSize = 1460
	maxOpusPacket = 1275
)

// parsePacket is the one parser of RTP from a participant: it checks b and
// unmarshals it into pkt (reused by the caller, so steady state does not
// allocate). pt is the negotiated Opus payload type. The payload must be
// one valid Opus packet: its table-of-contents byte (RFC 6716 section 3.1)
// must agree with its length.
func parsePacket(b []byte, pt uint8, pkt *rtp.Packet) error {
	if err := parseHeader(b, pt, pkt); err != nil {
		return err
	}
	return checkOpus(pkt.Payload)
}

// parseHeader checks b's RTP header (size, version, payload type pt) and
// unmarshals it into pkt; the payload is the caller's to check.
func parseHeader(b []byte, pt uint8, pkt *rtp.Packet) error {
	switch {
	case len(b) < 12:
		return ErrRTPTooShort
	case len(b) > MaxPacketSize:
		return fmt.Errorf("%w: %d bytes", ErrRTPTooLarge, len(b))
	case b[0]>>6 != 2:
		return ErrRTPVersion
	}
	if err := pkt.Unmarshal(b); err != nil {
		return fmt.Errorf("%w: %w", ErrRTPBadHeader, err)
	}
	if pkt.PayloadType != pt {
		return fmt.Errorf("%w: %d", ErrRTPWrongType, pkt.PayloadType)
	}
	return nil
}

// checkOpus checks an Opus packet's framing (RFC 6716 section 3.2).
func checkOpus(p []byte) error {
	if len(p) == 0 {
		return ErrRTPEmpty
	}
	if len(p) > maxOpusPacket {
		return fmt.Errorf("%w: %d bytes", ErrRTPNotOpus, len(p))
	}
	switch p[0] & 3 {
	case 1: // two frames of equal size
		if (len(p)-1)%2 != 0 {
			return fmt.Errorf("%w: code 1 with odd length", ErrRTPNotOpus)
		}
	case 2: // two frames, the first's length coded
		if len(p) < 2 {
			return fmt.Errorf("%w: code 2 without frame length", ErrRTPNotOpus)
		}
	case 3: // M frames, at most 120 ms in all
		if len(p) < 2 {
			return fmt.Errorf("%w: code 3 without frame count", ErrRTPNotOpus)
		}
		m := int(p[1] & 0x3f)
		if m == 0 || m*frameTenthsMs(p[0]) > 1200 {
			return fmt.Errorf("%w: code 3 with %d frames", ErrRTPNotOpus, m)
		}
	}
	return nil
}

// frameTenthsMs is one frame's duration in tenths of a millisecond, from
// the TOC byte's configuration (RFC 6716 table 2).
func frameTenthsMs(toc byte) int {
	cfg := toc >> 3
	switch {
	case cfg < 12: // SILK: 10, 20, 40, 60 ms
		return [4]int{100, 200, 400, 600}[cfg&3]
	case cfg < 16: // hybrid: 10, 20 ms
		return [2]int{100, 200}[cfg&1]
	default: // CELT: 2.5, 5, 10, 20 ms
		return [4]int{25, 50, 100, 200}[cfg&3]
	}
}

// packetSamples is the 48 kHz duration of an Opus packet (for hold music).
func packetSamples(p []byte) uint32 {
	if len(p) == 0 {
		return 960
	}
	n := 1
	switch p[0] & 3 {
	case 1, 2:
		n = 2
	case 3:
		if len(p) > 1 {
			n = int(p[1] & 0x3f)
		}
	}
	return uint32(n * frameTenthsMs(p[0]) * 48 / 10)
}
