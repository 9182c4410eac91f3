package main

import (
	"os"
	"strings"
)

// addGodebug returns env with setting ("key=value") added to GODEBUG, and
// whether that changed anything: it does not when GODEBUG already sets
// the key (the user's choice wins, and a re-executed app has it already).
func addGodebug(env []string, setting string) ([]string, bool) {
	key, _, _ := strings.Cut(setting, "=")
	out := make([]string, 0, len(env)+1)
	godebug := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "GODEBUG="); ok {
			godebug = v
		} else {
			out = append(out, kv)
		}
	}
	for _, f := range strings.Split(godebug, ",") {
		if strings.HasPrefix(f, key+"=") {
			return env, false
		}
	}
	if godebug != "" {
		godebug += ","
	}
	return append(out, "GODEBUG="+godebug+setting), true
}

// runtimeSettings re-executes the app with the Go runtime settings it
// runs best with (sysmonEnv, memProfileEnv) when they are not in effect
// yet: the runtime reads GODEBUG only at start. Where that is not possible
// (reexec fails or is unsupported) the app runs as it is.
func runtimeSettings() {
	env, sysmon := sysmonEnv(os.Environ())
	env, profile := memProfileEnv(env)
	if sysmon || profile {
		reexec(env)
	}
}
