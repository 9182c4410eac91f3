package main

import "testing"

func TestSysmonEnv(t *testing.T) {
	testEnv(t, "sysmonEnv", sysmonEnv, []envCase{
		{"no GODEBUG", []string{"HOME=/h"}, []string{"HOME=/h", "GODEBUG=" + sysmonSetting}, true},
		{"other GODEBUG settings kept", []string{"GODEBUG=gctrace=1", "A=b"}, []string{"A=b", "GODEBUG=gctrace=1," + sysmonSetting}, true},
		{"already re-executed", []string{"GODEBUG=" + sysmonSetting}, []string{"GODEBUG=" + sysmonSetting}, false},
		{"the user's schedtrace wins", []string{"GODEBUG=schedtrace=1000"}, []string{"GODEBUG=schedtrace=1000"}, false},
		{"opted out", []string{"PARLEY_SYSMON=deep", "A=b"}, []string{"PARLEY_SYSMON=deep", "A=b"}, false},
	})
}
