package admin

import (
	"net/http"
	"testing"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/policy"
)

func TestAPIPolicyFlow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.admin
	for _, u := range e.pushes.online {
		if err := e.pol.SignedIn(t.Context(), u); err != nil {
			t.Fatal(err)
		}
	}
	e.pushes.got = map[string]policy.Effective{}
	steps := []struct {
		name         string
		method, path string
		body         any
		want         int
	}{
		{"create policy", "POST", "/api/admin/policies", map[string]any{"name": "Pilot", "e2ee": "UserCanEnable"}, 201},
		{"duplicate policy", "POST", "/api/admin/policies", map[string]any{"name": "Pilot"}, 409},
		{"bad name", "POST", "/api/admin/policies", map[string]any{"name": "a/b"}, 400},
		{"bad setting", "POST", "/api/admin/policies", map[string]any{"name": "X", "e2ee": "On"}, 400},
		{"unknown field", "POST", "/api/admin/policies", map[string]any{"name": "X", "colour": "red"}, 400},
		{"create group", "POST", "/api/admin/groups", map[string]any{"name": "Eng", "rank": 2}, 201},
		{"bad rank", "POST", "/api/admin/groups", map[string]any{"name": "Ops", "rank": 0}, 400},
		{"add member", "PUT", "/api/admin/groups/Eng/members/alice", nil, 204},
		{"add unknown user", "PUT", "/api/admin/groups/Eng/members/nobody", nil, 404},
		{"grant to group", "PUT", "/api/admin/grants", map[string]any{"target": map[string]any{"kind": "group", "id": "Eng"}, "policy": "Pilot"}, 200},
		{"grant to unknown user", "PUT", "/api/admin/grants", map[string]any{"target": map[string]any{"kind": "user", "id": "nobody"}, "policy": "Pilot"}, 404},
		{"delete granted policy", "DELETE", "/api/admin/policies/Pilot", nil, 409},
		{"delete Global", "DELETE", "/api/admin/policies/Global", nil, 409},
		{"set rank", "PATCH", "/api/admin/groups/Eng", map[string]any{"rank": 1}, 200},
		{"set policy", "PATCH", "/api/admin/policies/Pilot", map[string]any{"description": "early adopters"}, 200},
		{"unknown policy", "GET", "/api/admin/policies/Nope", nil, 404},
		{"disable self", "POST", "/api/admin/users/root/disable", nil, 409},
		{"weak password", "POST", "/api/admin/users/bob/password", map[string]any{"password": "short"}, 400},
		{"create user", "POST", "/api/admin/users", map[string]any{"id": "carol", "password": "carol-password"}, 201},
	}
	for _, s := range steps {
		if got := e.call(t, tok, s.method, s.path, s.body, nil); got != s.want {
			t.Fatalf("%s: %s %s = %d, want %d", s.name, s.method, s.path, got, s.want)
		}
	}
	var v EffectiveView
	if st := e.call(t, tok, "GET", "/api/admin/effective/alice", nil, &v); st != 200 {
		t.Fatalf("effective: %d", st)
	}
	if v.Policy.Name != "Pilot" || v.Policy.E2EE != policy.UserCanEnable || v.Source != policy.SourceGroup ||
		v.Group != "Eng" || v.Rank != 1 || v.Reason == "" || len(v.Groups) != 1 {
		t.Fatalf("alice: %+v", v)
	}
	if p, ok := e.pushes.last("alice"); !ok || p.Policy.Name != "Pilot" {
		t.Fatalf("alice was not pushed Pilot: %+v %v", p, ok)
	}
	if _, ok := e.pushes.last("bob"); ok {
		t.Fatal("bob was pushed although his policy did not change")
	}
	if st := e.call(t, tok, "DELETE", "/api/admin/grants/group/Eng", nil, nil); st != 204 {
		t.Fatalf("revoke: %d", st)
	}
	if p, _ := e.pushes.last("alice"); p.Policy.Name != policy.GlobalName {
		t.Fatalf("after revoke alice has %+v", p)
	}
	var u accounts.User
	if st := e.call(t, tok, "POST", "/api/admin/users/bob/disable", nil, &u); st != 200 || u.Enabled {
		t.Fatalf("disable bob: %d %+v", st, u)
	}
	var list struct{ Users []accounts.User }
	if st := e.call(t, tok, "GET", "/api/admin/users?search=car", nil, &list); st != 200 || len(list.Users) != 1 || list.Users[0].ID != "carol" {
		t.Fatalf("search: %d %+v", st, list)
	}
	if st := e.call(t, tok, "GET", "/api/admin/users?limit=-1", nil, nil); st != http.StatusBadRequest {
		t.Fatalf("bad limit: %d", st)
	}
}

// TestAPIMeetingSettings: the admin API creates and patches recording,
// captions and retention, refuses an out-of-range retention, and the
// change reaches the affected user's push.
func TestAPIMeetingSettings(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.signIn(t, "root")
	var p policy.Policy
	if st := e.call(t, tok, "POST", "/api/admin/policies", map[string]any{
		"name": "Quiet", "allow_recording": false, "allow_captions": true, "retention_days": 30}, &p); st != 201 {
		t.Fatalf("create: %d", st)
	}
	if p.AllowRecording || !p.AllowCaptions || p.RetentionDays != 30 {
		t.Fatalf("created %+v", p)
	}
	if st := e.call(t, tok, "PATCH", "/api/admin/policies/Quiet", map[string]any{"retention_days": -1}, nil); st != 400 {
		t.Fatalf("negative retention: %d", st)
	}
	if st := e.call(t, tok, "PATCH", "/api/admin/policies/Quiet", map[string]any{"retention_days": policy.MaxRetentionDays + 1}, nil); st != 400 {
		t.Fatalf("retention too long: %d", st)
	}
	if st := e.call(t, tok, "PATCH", "/api/admin/policies/Quiet", map[string]any{"allow_recording": true}, &p); st != 200 ||
		!p.AllowRecording || !p.AllowCaptions || p.RetentionDays != 30 {
		t.Fatalf("patch recording: %+v", p)
	}
	if st := e.call(t, tok, "PUT", "/api/admin/grants", map[string]any{"target": map[string]any{"kind": "user", "id": "alice"}, "policy": "Quiet"}, nil); st != 200 {
		t.Fatalf("grant: %d", st)
	}
	var v EffectiveView
	if st := e.call(t, tok, "GET", "/api/admin/effective/alice", nil, &v); st != 200 ||
		!v.Policy.AllowRecording || !v.Policy.AllowCaptions || v.Policy.RetentionDays != 30 {
		t.Fatalf("effective: %+v", v)
	}
	// Call control (issue 12): a policy made without them allows neither;
	// a patch turns each on alone.
	if p.AllowTransfer || p.AllowPark {
		t.Fatalf("transfer and park allowed without being asked: %+v", p)
	}
	if st := e.call(t, tok, "PATCH", "/api/admin/policies/Quiet", map[string]any{"allow_park": true}, &p); st != 200 ||
		p.AllowTransfer || !p.AllowPark || !p.AllowRecording {
		t.Fatalf("patch park: %d %+v", st, p)
	}
	if st := e.call(t, tok, "PATCH", "/api/admin/policies/Quiet", map[string]any{"allow_transfer": true}, &p); st != 200 ||
		!p.AllowTransfer || !p.AllowPark {
		t.Fatalf("patch transfer: %d %+v", st, p)
	}
}
