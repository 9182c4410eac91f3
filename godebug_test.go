package main

import (
	"slices"
	"testing"
)

func TestMemProfileEnv(t *testing.T) {
	for _, tc := range []struct {
		name   string
		env    []string
		want   []string
		change bool
	}{
		{"no GODEBUG", []string{"HOME=/h"}, []string{"HOME=/h", "GODEBUG=" + memProfileSetting}, true},
		{"after the sysmon setting", []string{"GODEBUG=" + sysmonSetting}, []string{"GODEBUG=" + sysmonSetting + "," + memProfileSetting}, true},
		{"already re-executed", []string{"GODEBUG=" + memProfileSetting}, []string{"GODEBUG=" + memProfileSetting}, false},
		{"the user's rate wins", []string{"GODEBUG=memprofilerate=1"}, []string{"GODEBUG=memprofilerate=1"}, false},
		{"heap profiles asked for", []string{"PARLEY_HEAPPROFILE=/tmp/h"}, []string{"PARLEY_HEAPPROFILE=/tmp/h"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, change := memProfileEnv(tc.env)
			if change != tc.change || !slices.Equal(got, tc.want) {
				t.Fatalf("memProfileEnv(%q) = %q, %v; want %q, %v", tc.env, got, change, tc.want, tc.change)
			}
		})
	}
}
