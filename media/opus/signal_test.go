package opus

import "math"

const (
	testRate  = 48000
	testFrame = 960
)

// voiced makes a speech-like test signal: a 120–220 Hz gliding pitch with
// decaying harmonics and a 4 Hz syllable envelope, which puts libopus in its
// SILK (speech) mode where in-band FEC lives.
func voiced(samples int) []int16 {
	out := make([]int16, samples)
	phase := 0.0
	for i := range out {
		t := float64(i) / testRate
		f0 := 170 + 50*math.Sin(2*math.Pi*0.7*t)
		phase += 2 * math.Pi * f0 / testRate
		var v float64
		for h := 1; h <= 12; h++ {
			v += math.Sin(float64(h)*phase) / float64(h)
		}
		env := 0.55 + 0.45*math.Sin(2*math.Pi*4*t)
		out[i] = int16(6000 * env * v)
	}
	return out
}

// ncc is the normalized cross-correlation of a and b at lag (b delayed).
func ncc(a, b []int16, lag int) float64 {
	var ab, aa, bb float64
	for i := 0; i+lag < len(b) && i < len(a); i++ {
		x, y := float64(a[i]), float64(b[i+lag])
		ab += x * y
		aa += x * x
		bb += y * y
	}
	if aa == 0 || bb == 0 {
		return 0
	}
	return ab / math.Sqrt(aa*bb)
}

// bestNCC searches lags 0..maxLag for the highest ncc.
func bestNCC(a, b []int16, maxLag int) (float64, int) {
	best, at := -1.0, 0
	for lag := 0; lag <= maxLag; lag++ {
		if s := ncc(a, b, lag); s > best {
			best, at = s, lag
		}
	}
	return best, at
}

func energy(x []int16) float64 {
	var e float64
	for _, v := range x {
		e += float64(v) * float64(v)
	}
	return e
}

// encodeAll encodes pcm frame by frame and returns one packet per frame.
func encodeAll(tb interface{ Fatal(...any) }, enc *Encoder, pcm []int16) [][]byte {
	var pkts [][]byte
	buf := make([]byte, MaxPacketSize)
	for off := 0; off+testFrame <= len(pcm); off += testFrame {
		n, err := enc.Encode(pcm[off:off+testFrame], buf)
		if err != nil {
			tb.Fatal(err)
		}
		pkts = append(pkts, append([]byte(nil), buf[:n]...))
	}
	return pkts
}
