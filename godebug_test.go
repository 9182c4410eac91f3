package main

import (
	"slices"
	"testing"
)

// envCase is one environment a GODEBUG-setting function (sysmonEnv,
// memProfileEnv) is given, with what it should return.
type envCase struct {
	name   string
	env    []string
	want   []string
	change bool
}

func testEnv(t *testing.T, fname string, f func([]string) ([]string, bool), cases []envCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, change := f(tc.env)
			if change != tc.change || !slices.Equal(got, tc.want) {
				t.Fatalf("%s(%q) = %q, %v; want %q, %v", fname, tc.env, got, change, tc.want, tc.change)
			}
		})
	}
}

func TestMemProfileEnv(t *testing.T) {
	testEnv(t, "memProfileEnv", memProfileEnv, []envCase{
		{"no GODEBUG", []string{"HOME=/h"}, []string{"HOME=/h", "GODEBUG=" + memProfileSetting}, true},
		{"after the sysmon setting", []string{"GODEBUG=" + sysmonSetting}, []string{"GODEBUG=" + sysmonSetting + "," + memProfileSetting}, true},
		{"already re-executed", []string{"GODEBUG=" + memProfileSetting}, []string{"GODEBUG=" + memProfileSetting}, false},
		{"the user's rate wins", []string{"GODEBUG=memprofilerate=1"}, []string{"GODEBUG=memprofilerate=1"}, false},
		{"heap profiles asked for", []string{"PARLEY_HEAPPROFILE=/tmp/h"}, []string{"PARLEY_HEAPPROFILE=/tmp/h"}, false},
	})
}
