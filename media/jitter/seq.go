package jitter

// seqDiff is a−b in RFC 1982 serial arithmetic on 16-bit RTP sequence
// numbers: positive when a is after b, correct across the 65535→0 wrap.
func seqDiff(a, b uint16) int {
	return int(int16(a - b))
}
