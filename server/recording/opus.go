package recording

import "fmt"

// MaxPacket bounds an Opus packet the recorder accepts: RFC 6716 allows
// 1275 bytes per frame; a call's packets are far smaller and no RTP packet
// over a 1500-byte MTU carries more.
const MaxPacket = 1500

// maxPacketSamples is 120 ms at 48 kHz, the longest Opus packet.
const maxPacketSamples = 5760

// maxFrameLen is RFC 6716's bound on one compressed frame.
const maxFrameLen = 1275

// ParseOpus checks the framing of one Opus packet (RFC 6716 section 3.2,
// requirements R1 to R7) and returns its duration in 48 kHz samples. It
// does not decode: the recorder stores what it forwards.
func ParseOpus(b []byte) (samples int, err error) {
	if len(b) == 0 {
		return 0, ErrEmptyPacket
	}
	if len(b) > MaxPacket {
		return 0, fmt.Errorf("%w: %d bytes (limit %d)", ErrPacketTooLarge, len(b), MaxPacket)
	}
	toc := b[0]
	per := samplesPerFrame(toc)
	rest := b[1:]
	frames := 0
	switch toc & 3 {
	case 0: // one frame
		frames = 1
		if len(rest) > maxFrameLen {
			return 0, fmt.Errorf("%w: frame of %d bytes", ErrMalformedPacket, len(rest))
		}
	case 1: // two frames of equal size
		frames = 2
		if len(rest)%2 != 0 || len(rest)/2 > maxFrameLen {
			return 0, fmt.Errorf("%w: code 1 with %d bytes", ErrMalformedPacket, len(rest))
		}
	case 2: // two frames, the first's length coded
		frames = 2
		n, used, err := frameLen(rest)
		if err != nil {
			return 0, err
		}
		if n > len(rest)-used || len(rest)-used-n > maxFrameLen {
			return 0, fmt.Errorf("%w: code 2 frame lengths exceed the packet", ErrMalformedPacket)
		}
	case 3: // signalled number of frames
		if len(rest) < 1 {
			return 0, fmt.Errorf("%w: code 3 without frame count", ErrMalformedPacket)
		}
		fc := rest[0]
		frames = int(fc & 0x3f)
		if frames == 0 || frames*per > maxPacketSamples {
			return 0, fmt.Errorf("%w: code 3 with %d frames", ErrMalformedPacket, frames)
		}
		rest = rest[1:]
		if fc&0x40 != 0 { // padding
			pad := 0
			for {
				if len(rest) == 0 {
					return 0, fmt.Errorf("%w: padding length beyond the packet", ErrMalformedPacket)
				}
				p := int(rest[0])
				rest = rest[1:]
				if p == 255 {
					pad += 254
					continue
				}
				pad += p
				break
			}
			if pad > len(rest) {
				return 0, fmt.Errorf("%w: padding beyond the packet", ErrMalformedPacket)
			}
			rest = rest[:len(rest)-pad]
		}
		if fc&0x80 != 0 { // VBR: M-1 coded lengths, the last frame takes the rest
			total := 0
			for range frames - 1 {
				n, used, err := frameLen(rest)
				if err != nil {
					return 0, err
				}
				rest = rest[used:]
				total += n
			}
			if total > len(rest) || len(rest)-total > maxFrameLen {
				return 0, fmt.Errorf("%w: code 3 frame lengths exceed the packet", ErrMalformedPacket)
			}
		} else if len(rest)%frames != 0 || len(rest)/frames > maxFrameLen {
			return 0, fmt.Errorf("%w: code 3 CBR with %d bytes for %d frames", ErrMalformedPacket, len(rest), frames)
		}
	}
	samples = frames * per
	if samples > maxPacketSamples {
		return 0, fmt.Errorf("%w: %d samples", ErrMalformedPacket, samples)
	}
	return samples, nil
}

// frameLen reads a coded frame length (one byte below 252, else two).
func frameLen(b []byte) (n, used int, err error) {
	if len(b) == 0 {
		return 0, 0, fmt.Errorf("%w: frame length beyond the packet", ErrMalformedPacket)
	}
	if b[0] < 252 {
		return int(b[0]), 1, nil
	}
	if len(b) < 2 {
		return 0, 0, fmt.Errorf("%w: frame length beyond the packet", ErrMalformedPacket)
	}
	return int(b[1])*4 + int(b[0]), 2, nil
}

// samplesPerFrame is the frame duration of a TOC byte's configuration in
// 48 kHz samples (RFC 6716 section 3.1, table 2).
func samplesPerFrame(toc byte) int {
	cfg := toc >> 3
	switch {
	case cfg < 12: // SILK: 10, 20, 40, 60 ms
		return []int{480, 960, 1920, 2880}[cfg&3]
	case cfg < 16: // hybrid: 10, 20 ms
		return []int{480, 960}[cfg&1]
	default: // CELT: 2.5, 5, 10, 20 ms
		return []int{120, 240, 480, 960}[cfg&3]
	}
}

// silenceFrame is a 20 ms CELT frame that decodes to digital silence (TOC
// config 31, mono, one frame; the range coder's silence flag set). The
// recorder writes it where a participant sent nothing.
var silenceFrame = []byte{0xf8, 0xff, 0xfe}

// silenceSamples is silenceFrame's duration.
const silenceSamples = 960
