package sfu

import (
	"fmt"

	"github.com/pion/rtp"
)

// parseVideoPacket is parsePacket for video: b's RTP header, then a VP8
// payload (RFC 7741). key reports that the packet starts a key frame.
func parseVideoPacket(b []byte, pt uint8, pkt *rtp.Packet) (key bool, err error) {
	if err := parseHeader(b, pt, pkt); err != nil {
		return false, err
	}
	return checkVP8(pkt.Payload)
}

// checkVP8 checks a VP8 payload: its payload descriptor (RFC 7741 section
// 4.2) must be complete and followed by data, and the first packet of a
// frame must begin with a frame header (section 4.3), whose key frame
// form carries the start code and a picture size (RFC 6386 section 9.1).
// It decodes nothing else.
func checkVP8(p []byte) (key bool, err error) {
	if len(p) == 0 {
		return false, ErrRTPEmpty
	}
	i := 1
	if p[0]&0x80 != 0 { // X: extension byte
		if len(p) < 2 {
			return false, fmt.Errorf("%w: extension byte missing", ErrRTPNotVP8)
		}
		x := p[1]
		i = 2
		if x&0x80 != 0 { // I: picture id, 7 or 15 bits
			if len(p) <= i {
				return false, fmt.Errorf("%w: picture id missing", ErrRTPNotVP8)
			}
			if p[i]&0x80 != 0 {
				i += 2
			} else {
				i++
			}
		}
		if x&0x40 != 0 { // L: TL0PICIDX
			i++
		}
		if x&0x30 != 0 { // T or K: TID/Y/KEYIDX
			i++
		}
	}
	if i >= len(p) {
		return false, fmt.Errorf("%w: descriptor without data", ErrRTPNotVP8)
	}
	if p[0]&0x10 == 0 || p[0]&0x07 != 0 { // not the start of partition 0
		return false, nil
	}
	h := p[i:]
	if len(h) < 3 {
		return false, fmt.Errorf("%w: frame header cut short", ErrRTPNotVP8)
	}
	if h[0]&0x01 != 0 { // P: an inter frame
		return false, nil
	}
	if len(h) < 10 || h[3] != 0x9d || h[4] != 0x01 || h[5] != 0x2a {
		return false, fmt.Errorf("%w: key frame without start code", ErrRTPNotVP8)
	}
	if w, hh := uint16(h[6])|uint16(h[7]&0x3f)<<8, uint16(h[8])|uint16(h[9]&0x3f)<<8; w == 0 || hh == 0 {
		return false, fmt.Errorf("%w: key frame of %dx%d", ErrRTPNotVP8, w, hh)
	}
	return true, nil
}
