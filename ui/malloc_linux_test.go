package ui

import "testing"

// TestUserTunesMalloc: TuneMalloc leaves glibc's malloc alone when the
// environment tunes it, and only then.
func TestUserTunesMalloc(t *testing.T) {
	for _, c := range []struct {
		env  []string
		want bool
	}{
		{nil, false},
		{[]string{"HOME=/home/a", "GLIBC_TUNABLES=glibc.rtld.optional_static_tls=512"}, false},
		{[]string{"GLIBC_TUNABLES=glibc.malloc.trim_threshold=1048576"}, true},
		{[]string{"MALLOC_TRIM_THRESHOLD_=0"}, true},
		{[]string{"MALLOC_TOP_PAD_=65536"}, true},
		{[]string{"XMALLOC_TRIM_THRESHOLD_=1"}, false},
	} {
		if got := userTunesMalloc(c.env); got != c.want {
			t.Errorf("userTunesMalloc(%q) = %v, want %v", c.env, got, c.want)
		}
	}
}
