package app

import "testing"

func TestBarOf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ dbfs, want float64 }{
		{-120, 0}, {-60, 0}, {-30, 0.5}, {-15, 0.75}, {0, 1}, {3, 1},
	} {
		if got := barOf(tc.dbfs); got != tc.want {
			t.Errorf("barOf(%v) = %v, want %v", tc.dbfs, got, tc.want)
		}
	}
}
