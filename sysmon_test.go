package main

import (
	"slices"
	"testing"
)

func TestSysmonEnv(t *testing.T) {
	for _, tc := range []struct {
		name   string
		env    []string
		want   []string
		change bool
	}{
		{"no GODEBUG", []string{"HOME=/h"}, []string{"HOME=/h", "GODEBUG=" + sysmonSetting}, true},
		{"other GODEBUG settings kept", []string{"GODEBUG=gctrace=1", "A=b"}, []string{"A=b", "GODEBUG=gctrace=1," + sysmonSetting}, true},
		{"already re-executed", []string{"GODEBUG=" + sysmonSetting}, []string{"GODEBUG=" + sysmonSetting}, false},
		{"the user's schedtrace wins", []string{"GODEBUG=schedtrace=1000"}, []string{"GODEBUG=schedtrace=1000"}, false},
		{"opted out", []string{"PARLEY_SYSMON=deep", "A=b"}, []string{"PARLEY_SYSMON=deep", "A=b"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, change := sysmonEnv(tc.env)
			if change != tc.change || !slices.Equal(got, tc.want) {
				t.Fatalf("sysmonEnv(%q) = %q, %v; want %q, %v", tc.env, got, change, tc.want, tc.change)
			}
		})
	}
}
