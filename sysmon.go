package main

// sysmonSetting keeps the Go runtime's sysmon thread out of its deep
// sleep. From deep sleep, sysmon is woken by the first system or cgo call
// that follows (entersyscall), and then polls every 20 µs until every P
// is idle again; an app in a call makes such calls 50+ times a second
// (the frame's eventfd, UDP, Opus, speexdsp, GL), so sysmon woke about
// 950 times a second, 1.3–1.4 % of a core, and about 220 times idle.
// The runtime skips deep sleep while schedtrace is set (so that it can
// print the trace on time); at 2^31−1 ms (24.8 days) the trace prints
// only on machines up that long, and sysmon's sleep just backs off
// from 20 µs to its 10 ms ceiling when there is nothing to retake:
// about 100 wake-ups a second (docs/media.md, "What changed").
const sysmonSetting = "schedtrace=2147483647"

// sysmonEnv returns env with sysmonSetting added to GODEBUG, and whether
// that changed anything: it does not when GODEBUG already sets
// schedtrace (the user's choice wins) or PARLEY_SYSMON=deep asks for the
// runtime's default.
func sysmonEnv(env []string) ([]string, bool) {
	for _, kv := range env {
		if kv == "PARLEY_SYSMON=deep" {
			return env, false
		}
	}
	return addGodebug(env, sysmonSetting)
}
