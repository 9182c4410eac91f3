package quality

import (
	"math"
	"slices"
)

// NCC returns the highest normalized cross-correlation between ref and got
// delayed by 0..maxLag samples, and the lag where it occurs:
//
//	score(L) = Σ ref[i]·got[i+L] / √(Σ ref[i]² · Σ got[i+L]²)
//
// over the samples the two overlap at lag L. The score is 1 for an exact,
// possibly scaled, delayed copy, near 0 for unrelated signals, and
// insensitive to gain. Lags whose overlap is shorter than half the shorter
// signal are not considered, so a few stray samples at the very end cannot
// produce a spurious match. Silent input scores 0.
//
// All lags are evaluated at once by FFT cross-correlation, with prefix sums
// for the energy terms: O((n+maxLag) log(n+maxLag)).
func NCC(ref, got []int16, maxLag int) (score float64, lag int) {
	maxLag = max(0, min(maxLag, len(got)-1))
	if len(ref) == 0 || len(got) == 0 {
		return 0, 0
	}
	// Samples of got past len(ref)+maxLag never meet ref.
	got = got[:min(len(got), len(ref)+maxLag)]
	corr := crossCorrelate(ref, got, maxLag)

	refEnergy := prefixEnergy(ref)
	gotEnergy := prefixEnergy(got)
	minOverlap := max(1, min(len(ref), len(got))/2)
	best, bestLag := 0.0, 0
	for l := 0; l <= maxLag; l++ {
		n := min(len(ref), len(got)-l) // overlap at lag l
		if n < minOverlap {
			break
		}
		er := refEnergy[n]
		eg := gotEnergy[l+n] - gotEnergy[l]
		if er <= 0 || eg <= 0 {
			continue
		}
		if s := corr[l] / math.Sqrt(er*eg); s > best {
			best, bestLag = s, l
		}
	}
	return min(best, 1), bestLag
}

// crossCorrelate returns c[l] = Σ_i ref[i]·got[i+l] for l in 0..maxLag.
func crossCorrelate(ref, got []int16, maxLag int) []float64 {
	// Every index i+l used is below len(ref)+maxLag; with n at least that
	// the circular correlation never wraps round onto got's start, and
	// got (trimmed to that length by NCC) fits.
	n := nextPow2(max(len(got), len(ref)+maxLag))
	r := make([]complex128, n)
	g := make([]complex128, n)
	for i, v := range ref {
		r[i] = complex(float64(v), 0)
	}
	for i, v := range got {
		g[i] = complex(float64(v), 0)
	}
	fft(r, false)
	fft(g, false)
	for i := range g {
		g[i] *= complex(real(r[i]), -imag(r[i]))
	}
	fft(g, true)
	c := make([]float64, maxLag+1)
	for l := range c {
		c[l] = real(g[l]) / float64(n)
	}
	return c
}

// prefixEnergy returns p with p[k] = Σ_{i<k} x[i]².
func prefixEnergy(x []int16) []float64 {
	p := make([]float64, len(x)+1)
	for i, v := range x {
		p[i+1] = p[i] + float64(v)*float64(v)
	}
	return p
}

// ChunkNCC scores got against a looping reference piece by piece: each
// chunk-long piece of got is looked for anywhere in ref (which must hold
// at least one period of the loop more than chunk, so that every
// alignment is in it), and the median of the pieces' scores is returned
// with all of them, sorted. A slip in got (a frame lost and concealed, or
// one the jitter buffer inserts) costs only the piece it falls in, where
// one NCC over the whole of got loses the alignment for all that follows.
func ChunkNCC(got, ref []int16, chunk int) (median float64, scores []float64) {
	if chunk <= 0 || len(got) < chunk || len(ref) < chunk {
		return 0, nil
	}
	for off := 0; off+chunk <= len(got); off += chunk {
		s, _ := NCC(got[off:off+chunk], ref, len(ref)-chunk)
		scores = append(scores, s)
	}
	slices.Sort(scores)
	return scores[len(scores)/2], scores
}
