package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/server/org/orgtest"
)

// testServer runs the real organization server (the one parley-server
// serves) on a fresh database, with users root (admin), alice and bob.
func testServer(t *testing.T) string {
	t.Helper()
	o := orgtest.Start(t, org.Config{})
	for _, u := range []struct {
		id    string
		admin bool
	}{{"root", true}, {"alice", false}, {"bob", false}} {
		if _, err := o.Accounts.CreateUser(context.Background(), accounts.NewUser{ID: u.id, Password: u.id + "-password", Admin: u.admin}); err != nil {
			t.Fatal(err)
		}
	}
	return o.Server.BaseURL()
}

type result struct {
	code           int
	stdout, stderr string
}

type harness struct {
	t      *testing.T
	dir    string
	server string
	env    map[string]string
}

func newHarness(t *testing.T) *harness {
	return &harness{t: t, dir: t.TempDir(), server: testServer(t), env: map[string]string{}}
}

func (h *harness) run(args ...string) result {
	h.t.Helper()
	var out, errb bytes.Buffer
	err := Run(context.Background(), Env{
		Args: args, Stdout: &out, Stderr: &errb, ConfigDir: h.dir,
		Stdin:  strings.NewReader(h.env["stdin"]),
		Getenv: func(k string) string { return h.env[k] },
	})
	if err != nil {
		errb.WriteString("parleyctl: " + err.Error() + "\n")
	}
	return result{ExitCode(err), out.String(), errb.String()}
}

func (h *harness) ok(args ...string) string {
	h.t.Helper()
	r := h.run(args...)
	if r.code != 0 {
		h.t.Fatalf("parleyctl %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

func (h *harness) fails(code int, wantErr string, args ...string) {
	h.t.Helper()
	r := h.run(args...)
	if r.code != code || !strings.Contains(r.stderr, wantErr) {
		h.t.Fatalf("parleyctl %s: exit %d, stderr %q; want exit %d containing %q",
			strings.Join(args, " "), r.code, r.stderr, code, wantErr)
	}
}

func (h *harness) login(user string) {
	h.t.Helper()
	h.env["PARLEY_PASSWORD"] = user + "-password"
	h.ok("login", "--server", h.server, "--user", user)
	delete(h.env, "PARLEY_PASSWORD")
}

func TestUsageAndHelp(t *testing.T) {
	t.Parallel()
	h := &harness{t: t, dir: t.TempDir(), env: map[string]string{}}
	h.fails(2, "missing command")
	h.fails(2, "unknown command", "frobnicate")
	h.fails(2, "missing verb", "policy")
	h.fails(2, "unknown verb", "policy", "frobnicate")
	h.fails(2, "want arguments", "policy", "show")
	h.fails(2, "want arguments", "policy", "show", "a", "b")
	h.fails(2, "flag provided but not defined", "policy", "list", "--colour")
	h.fails(2, "--output must be", "policy", "list", "--output", "yaml")
	h.fails(2, "exactly one of", "policy", "grant", "Pilot", "--tenant", "--user", "alice")
	h.fails(1, "not logged in", "policy", "list")
	if out := h.ok("--help"); !strings.Contains(out, "parleyctl administers") {
		t.Fatalf("top help: %q", out)
	}
	for group, verbs := range commands() {
		if out := h.ok(group, "--help"); !strings.Contains(out, "Verbs:") {
			t.Fatalf("%s --help: %q", group, out)
		}
		for _, v := range verbs {
			if out := h.ok(group, v.name, "--help"); !strings.Contains(out, "Usage: parleyctl "+group+" "+v.name) ||
				!strings.Contains(out, "-output") {
				t.Fatalf("%s %s --help: %q", group, v.name, out)
			}
		}
	}
	for name := range topVerbs() {
		if out := h.ok(name, "--help"); !strings.Contains(out, "Usage: parleyctl "+name) {
			t.Fatalf("%s --help: %q", name, out)
		}
	}
}

func TestLogin(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.env["PARLEY_PASSWORD"] = "wrong-password"
	h.fails(1, "wrong user or password", "login", "--server", h.server, "--user", "root")
	h.env["PARLEY_PASSWORD"] = "alice-password"
	h.fails(1, "alice is not an administrator", "login", "--server", h.server, "--user", "alice")
	delete(h.env, "PARLEY_PASSWORD")
	h.env["stdin"] = "root-password\n"
	if out := h.ok("login", "--server", h.server, "--user", "root"); !strings.Contains(out, "as root") {
		t.Fatalf("login: %q", out)
	}
	fi, err := os.Stat(filepath.Join(h.dir, configFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("session file: %v %v", fi, err)
	}
	h.ok("policy", "list")
	h.ok("logout")
	h.fails(1, "not logged in", "policy", "list")
}

func TestPolicyAndGroupVerbs(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.login("root")
	h.ok("policy", "new", "Pilot", "--e2ee", "UserCanEnable", "--description", "early adopters")
	h.fails(1, "already exists", "policy", "new", "Pilot")
	h.fails(1, "invalid", "policy", "new", "Bad", "--e2ee", "Sometimes")
	h.ok("group", "add", "Eng")
	h.ok("group", "add", "Sales", "--rank", "5")
	h.ok("group", "add-member", "Eng", "alice", "bob")
	h.fails(1, "not found", "group", "add-member", "Eng", "nobody")
	if out := h.ok("group", "members", "Eng"); out != "alice\nbob\n" {
		t.Fatalf("members: %q", out)
	}
	if out := h.ok("group", "list"); !strings.Contains(out, "Eng") || strings.Index(out, "Eng") > strings.Index(out, "Sales") {
		t.Fatalf("group list: %q", out)
	}
	if out := h.ok("policy", "effective", "alice"); !strings.Contains(out, "Effective policy: Global (E2EE Disabled, recording allowed, captions allowed, transfer allowed, park allowed, retention 120 days)") {
		t.Fatalf("before grant: %q", out)
	}
	h.ok("policy", "grant", "Pilot", "--group", "Eng")
	out := h.ok("policy", "effective", "alice")
	if !strings.Contains(out, "Effective policy: Pilot (E2EE UserCanEnable") || !strings.Contains(out, `group "Eng" (rank 1)`) {
		t.Fatalf("after grant: %q", out)
	}
	var e effectiveT
	if err := json.Unmarshal([]byte(h.ok("policy", "effective", "alice", "--output", "json")), &e); err != nil ||
		e.Policy.Name != "Pilot" || e.Source != "group" || e.Group != "Eng" {
		t.Fatalf("json effective: %+v %v", e, err)
	}
	h.ok("policy", "new", "Locked")
	h.ok("policy", "grant", "Locked", "--user", "alice")
	if out := h.ok("policy", "effective", "alice"); !strings.Contains(out, "Locked") || !strings.Contains(out, "directly") {
		t.Fatalf("user grant: %q", out)
	}
	h.ok("policy", "grant", "Pilot", "--tenant")
	if out := h.ok("policy", "show", "Pilot"); !strings.Contains(out, "Granted to: tenant, group:Eng") {
		t.Fatalf("show: %q", out)
	}
	h.fails(1, "granted", "policy", "delete", "Pilot")
	h.fails(1, "Global", "policy", "delete", "Global")
	h.ok("policy", "set", "Global", "--e2ee", "UserCanEnable")
	h.fails(2, "give --e2ee", "policy", "set", "Global")
	// Meeting settings (issue 11): new, set, show and list carry them.
	if out := h.ok("policy", "new", "Quiet", "--recording=false", "--park=false", "--retention-days", "7"); !strings.Contains(out,
		"recording off, captions allowed, transfer allowed, park off, retention 7 days") {
		t.Fatalf("policy new Quiet: %q", out)
	}
	if out := h.ok("policy", "set", "Quiet", "--captions=false", "--recording", "--transfer=false", "--park", "--retention-days", "0"); !strings.Contains(out,
		"recording allowed, captions off, transfer off, park allowed, retention until deleted") {
		t.Fatalf("policy set Quiet: %q", out)
	}
	if out := h.ok("policy", "show", "Quiet"); !strings.Contains(out, "Recording: allowed\nCaptions and transcription: off\nTransfer: off\nPark: allowed\nRetention: until deleted\n") {
		t.Fatalf("policy show Quiet: %q", out)
	}
	h.fails(1, "retention", "policy", "set", "Quiet", "--retention-days", "100000")
	h.fails(2, "not a number", "policy", "set", "Quiet", "--retention-days", "week")
	h.fails(2, "invalid boolean", "policy", "set", "Quiet", "--recording=maybe")
	if out := h.ok("policy", "list"); !strings.Contains(out, "RECORDING") || !strings.Contains(out, "until deleted") {
		t.Fatalf("policy list: %q", out)
	}
	h.ok("policy", "delete", "Quiet")
	h.ok("policy", "revoke", "--user", "alice")
	h.ok("policy", "revoke", "--group", "Eng")
	h.ok("policy", "revoke", "--tenant")
	h.fails(1, "not found", "policy", "revoke", "--tenant")
	if out := h.ok("policy", "effective", "bob"); !strings.Contains(out, "Global (E2EE UserCanEnable,") {
		t.Fatalf("after revokes: %q", out)
	}
	h.ok("policy", "delete", "Pilot")
	var list struct{ Policies []policyT }
	if err := json.Unmarshal([]byte(h.ok("policy", "list", "-o", "json")), &list); err != nil || len(list.Policies) != 2 {
		t.Fatalf("policy list: %+v %v", list, err)
	}
	h.ok("group", "rank", "Sales", "1")
	h.fails(2, "not a number", "group", "rank", "Sales", "first")
	h.ok("group", "remove-member", "Eng", "bob")
	h.ok("group", "delete", "Eng")
	h.fails(1, "not found", "group", "members", "Eng")
}

func TestUserVerbs(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.login("root")
	h.env["PARLEY_NEW_PASSWORD"] = "carol-password"
	h.ok("user", "add", "carol", "--name", "Carol Jones", "--email", "carol@example.org")
	h.fails(1, "already exists", "user", "add", "carol")
	h.env["PARLEY_NEW_PASSWORD"] = "short"
	h.fails(1, "password", "user", "add", "dave")
	var list struct{ Users []userT }
	if err := json.Unmarshal([]byte(h.ok("user", "list", "--search", "car", "-o", "json")), &list); err != nil ||
		len(list.Users) != 1 || list.Users[0].DisplayName != "Carol Jones" {
		t.Fatalf("user list: %+v %v", list, err)
	}
	h.ok("user", "disable", "carol")
	if out := h.ok("user", "show", "carol"); !strings.Contains(out, "Status: disabled") || !strings.Contains(out, "Effective policy: Global") {
		t.Fatalf("show: %q", out)
	}
	h.ok("user", "enable", "carol")
	h.env["PARLEY_NEW_PASSWORD"] = "carol-new-password"
	h.ok("user", "reset-password", "carol")
	h.fails(1, "not found", "user", "show", "nobody")
	h.fails(1, "own account", "user", "disable", "root")
	if out := h.ok("user", "list"); !strings.Contains(out, "carol") || !strings.Contains(out, "root") {
		t.Fatalf("list: %q", out)
	}
}
