package policy

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

type effectiveCase struct {
	Name     string            `json:"name"`
	Policies map[string]string `json:"policies"`
	Groups   map[string]int    `json:"groups"`
	Grants   map[string]string `json:"grants"`
	Member   []string          `json:"member"`
	NoGlobal bool              `json:"noGlobal"`
	Want     struct {
		Policy string `json:"policy"`
		E2EE   string `json:"e2ee"`
		Source string `json:"source"`
		Group  string `json:"group"`
		Rank   int    `json:"rank"`
	} `json:"want"`
}

func parseTarget(t *testing.T, s string) Target {
	t.Helper()
	if s == "tenant" {
		return Tenant()
	}
	kind, id, ok := strings.Cut(s, ":")
	if !ok {
		t.Fatalf("bad target %q", s)
	}
	k, err := ParseTargetKind(kind)
	if err != nil {
		t.Fatal(err)
	}
	return Target{Kind: k, ID: id}
}

func TestEffectiveVectors(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/effective.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct{ Cases []effectiveCase }
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range file.Cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			s := NewState()
			if c.NoGlobal {
				delete(s.Policies, GlobalName)
			}
			for name, setting := range c.Policies {
				e, err := ParseE2EE(setting)
				if err != nil {
					t.Fatal(err)
				}
				s.Policies[name] = Policy{Name: name, E2EE: e}
			}
			for name, rank := range c.Groups {
				s.Groups[name] = Group{Name: name, Rank: rank}
			}
			for target, p := range c.Grants {
				s.Grants[parseTarget(t, target)] = p
			}
			s.Member["u1"] = c.Member
			got := s.Effective("u1")
			if got.UserID != "u1" || got.Policy.Name != c.Want.Policy || got.Policy.E2EE.String() != c.Want.E2EE ||
				got.Source.String() != c.Want.Source || got.Group != c.Want.Group || got.Rank != c.Want.Rank {
				t.Fatalf("got %+v (source %s), want %+v", got, got.Source, c.Want)
			}
			if got.Reason() == "" {
				t.Fatal("empty reason")
			}
		})
	}
}

// TestEffectiveExhaustive enumerates every combination of: user grant
// yes/no, tenant grant yes/no, Global setting, and for three groups each of
// membership, grant and rank in {1, 2}, and checks State.Effective against a
// reference written as a straight reading of the precedence rules.
func TestEffectiveExhaustive(t *testing.T) {
	t.Parallel()
	groups := []string{"G0", "G1", "G2"}
	n := 0
	for mask := 0; mask < 1<<(3+3*3); mask++ {
		bit := func(i int) bool { return mask>>i&1 == 1 }
		s := NewState()
		if bit(0) {
			s.Policies[GlobalName] = Policy{Name: GlobalName, E2EE: UserCanEnable}
		}
		s.Policies["PU"] = Policy{Name: "PU", E2EE: UserCanEnable}
		s.Policies["PT"] = Policy{Name: "PT", E2EE: Disabled}
		if bit(1) {
			s.Grants[UserTarget("u")] = "PU"
		}
		if bit(2) {
			s.Grants[Tenant()] = "PT"
		}
		for i, g := range groups {
			member, granted, rank2 := bit(3+3*i), bit(4+3*i), bit(5+3*i)
			rank := 1
			if rank2 {
				rank = 2
			}
			s.Groups[g] = Group{Name: g, Rank: rank}
			p := "P" + g
			s.Policies[p] = Policy{Name: p, E2EE: E2EE(i % 2)}
			if granted {
				s.Grants[GroupTarget(g)] = p
			}
			if member {
				// Reverse order so storage order is not name order.
				s.Member["u"] = append([]string{g}, s.Member["u"]...)
			}
		}
		want := reference(s, "u")
		got := s.Effective("u")
		if got != want {
			t.Fatalf("mask %b: got %+v, want %+v", mask, got, want)
		}
		n++
	}
	if n != 4096 {
		t.Fatalf("enumerated %d cases", n)
	}
}

// reference resolves by checking each precedence level in order, scanning
// ranks upward and names in sorted order, independent of State.Effective's
// single pass.
func reference(s *State, user string) Effective {
	if name, ok := s.Grants[UserTarget(user)]; ok {
		return Effective{UserID: user, Policy: s.Policies[name], Source: SourceUser}
	}
	for rank := MinRank; rank <= 2; rank++ {
		for _, g := range []string{"G0", "G1", "G2"} {
			if s.Groups[g].Rank != rank || !contains(s.Member[user], g) {
				continue
			}
			if name, ok := s.Grants[GroupTarget(g)]; ok {
				return Effective{UserID: user, Policy: s.Policies[name], Source: SourceGroup, Group: g, Rank: rank}
			}
		}
	}
	if name, ok := s.Grants[Tenant()]; ok {
		return Effective{UserID: user, Policy: s.Policies[name], Source: SourceTenant}
	}
	return Effective{UserID: user, Policy: s.Policies[GlobalName], Source: SourceGlobal}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestParseE2EE(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want E2EE
		err  bool
	}{
		{"Disabled", Disabled, false},
		{"disabled", Disabled, false},
		{" UserCanEnable ", UserCanEnable, false},
		{"DisabledUserOverride", UserCanEnable, false},
		{"Enabled", 0, true},
		{"", 0, true},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%q", c.in), func(t *testing.T) {
			t.Parallel()
			got, err := ParseE2EE(c.in)
			if (err != nil) != c.err || got != c.want {
				t.Fatalf("ParseE2EE(%q) = %v, %v", c.in, got, err)
			}
			if c.err {
				return
			}
			b, err := got.MarshalText()
			if err != nil {
				t.Fatal(err)
			}
			var back E2EE
			if err := back.UnmarshalText(b); err != nil || back != got {
				t.Fatalf("round trip %s: %v %v", b, back, err)
			}
		})
	}
	if _, err := E2EE(7).MarshalText(); err == nil {
		t.Fatal("invalid setting marshalled")
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		err  error
	}{
		{"Pilot", nil},
		{"Finance team-2_b.x", nil},
		{"", ErrInvalid},
		{" lead", ErrInvalid},
		{"trail ", ErrInvalid},
		{"a/b", ErrInvalid},
		{"<script>", ErrInvalid},
		{"é", ErrInvalid},
		{strings.Repeat("a", MaxNameLen), nil},
		{strings.Repeat("a", MaxNameLen+1), ErrInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if err := (Policy{Name: c.name}).Validate(); !errIs(err, c.err) {
				t.Fatalf("policy %q: %v", c.name, err)
			}
			if err := (Group{Name: c.name, Rank: 1}).Validate(); !errIs(err, c.err) {
				t.Fatalf("group %q: %v", c.name, err)
			}
		})
	}
	for _, r := range []int{0, -1, MaxRank + 1} {
		if err := ValidateRank(r); !errIs(err, ErrInvalid) {
			t.Fatalf("rank %d accepted", r)
		}
	}
	if err := (Policy{Name: "x", E2EE: 9}).Validate(); !errIs(err, ErrInvalid) {
		t.Fatal("bad setting accepted")
	}
	if err := (Policy{Name: "x", Description: strings.Repeat("d", MaxDescriptionLen+1)}).Validate(); !errIs(err, ErrInvalid) {
		t.Fatal("long description accepted")
	}
	for _, d := range []int{-1, MaxRetentionDays + 1} {
		if err := (Policy{Name: "x", RetentionDays: d}).Validate(); !errIs(err, ErrInvalid) {
			t.Fatalf("retention %d accepted", d)
		}
	}
	for _, d := range []int{0, 1, MaxRetentionDays} {
		if err := (Policy{Name: "x", RetentionDays: d}).Validate(); err != nil {
			t.Fatalf("retention %d: %v", d, err)
		}
	}
	targets := []struct {
		t  Target
		ok bool
	}{
		{Tenant(), true},
		{Target{Kind: TargetTenant, ID: "x"}, false},
		{GroupTarget("Eng"), true},
		{GroupTarget(""), false},
		{UserTarget("u1"), true},
		{UserTarget(""), false},
		{UserTarget(strings.Repeat("u", MaxUserIDLen+1)), false},
		{Target{Kind: 0, ID: "x"}, false},
	}
	for _, c := range targets {
		if err := c.t.Validate(); (err == nil) != c.ok {
			t.Fatalf("target %v: %v", c.t, err)
		}
	}
}
