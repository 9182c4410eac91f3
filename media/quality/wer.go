package quality

import "strings"

// WER is the word error rate of hyp against ref: the word-level Levenshtein
// distance (substitutions + deletions + insertions) divided by the number of
// reference words. Words are split on white space and compared case-
// insensitively. An empty reference gives 0 for an empty hypothesis and 1
// otherwise, so the rate is defined for every input.
func WER(ref, hyp string) float64 {
	errs, n := WordErrors(ref, hyp)
	if n == 0 {
		if errs == 0 {
			return 0
		}
		return 1
	}
	return float64(errs) / float64(n)
}

// WordErrors returns the word-level edit distance between ref and hyp and
// the number of reference words, so that rates over several utterances can
// be summed before dividing (as WER over a test set is defined).
func WordErrors(ref, hyp string) (errors, refWords int) {
	r := strings.Fields(strings.ToLower(ref))
	h := strings.Fields(strings.ToLower(hyp))
	prev := make([]int, len(h)+1)
	cur := make([]int, len(h)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(r); i++ {
		cur[0] = i
		for j := 1; j <= len(h); j++ {
			sub := prev[j-1]
			if r[i-1] != h[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(h)], len(r)
}
