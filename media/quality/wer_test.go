package quality

import (
	"math"
	"testing"
)

func TestWER(t *testing.T) {
	cases := []struct {
		ref, hyp string
		errs     int
		wer      float64
	}{
		{"he was not an ill disposed young man", "he was not an ill disposed young man", 0, 0},
		{"he was not an ill disposed young man", "he was not an illness those young man", 2, 2.0 / 8}, // two substitutions
		{"a b c", "a x b c", 1, 1.0 / 3}, // insertion
		{"a b c", "a c", 1, 1.0 / 3},     // deletion
		{"a b c", "c b a", 2, 2.0 / 3},   // two substitutions, not a move
		{"a b", "", 2, 1},                // all deleted
		{"a", "x y z", 3, 3},             // WER can exceed 1
		{"", "", 0, 0},
		{"", "words", 1, 1},
		{"Mister  John\tDashwood", "mister john dashwood", 0, 0}, // case and spacing
	}
	for _, c := range cases {
		e, _ := WordErrors(c.ref, c.hyp)
		if got := WER(c.ref, c.hyp); e != c.errs || math.Abs(got-c.wer) > 1e-12 {
			t.Errorf("WER(%q, %q) = %d errors, %.4f; want %d, %.4f", c.ref, c.hyp, e, got, c.errs, c.wer)
		}
	}
}
