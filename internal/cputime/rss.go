//go:build unix

package cputime

import (
	"os"
	"strconv"
	"strings"
)

// RSS is this process's resident memory in bytes (Linux's
// /proc/self/statm); 0 where the system does not say.
func RSS() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return 0
	}
	return pages * int64(os.Getpagesize())
}
