package org_test

import (
	"context"
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/pgtest"
	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/server/org/orgtest"
	"github.com/parley-voip/parley/server/policy"
	"github.com/parley-voip/parley/signaling"
)

func open(t *testing.T, local bool) *org.Org {
	t.Helper()
	return orgtest.Start(t, org.Config{Local: local})
}

// next returns the next message of type typ on c, skipping others.
func next(t *testing.T, c *signaling.Conn, typ signaling.Type) *signaling.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for {
		m, err := c.Recv(ctx)
		if err != nil {
			t.Fatalf("waiting for %s: %v", typ, err)
		}
		if m.Type == typ {
			return m
		}
	}
}

func nextPolicy(t *testing.T, c *signaling.Conn) *signaling.PolicyInfo {
	t.Helper()
	return next(t, c, signaling.TypePolicy).Policy
}

func TestLocalOrgAllowsE2EEAndProvisions(t *testing.T) {
	o := open(t, true)
	ctx := context.Background()
	c, err := signaling.Dial(ctx, o.Server.URL(), signaling.User{ID: "alice", Name: "Alice"})
	if err != nil {
		t.Fatalf("a local organization admits a claimed identity: %v", err)
	}
	defer c.Close()
	if p := nextPolicy(t, c); !p.E2EE.Allows() {
		t.Fatalf("local organization's policy %+v must allow E2EE", p)
	}
}

func TestOrgPushesPolicyAtSignInAndOnChange(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) { pushesPolicy(t, open(t, false)) })
	t.Run("Postgres", func(t *testing.T) { pushesPolicy(t, orgtest.Start(t, org.Config{Postgres: pgtest.DSN(t)})) })
}

func pushesPolicy(t *testing.T, o *org.Org) {
	ctx := context.Background()
	if _, err := o.Accounts.CreateUser(ctx, accounts.NewUser{ID: "bob", Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	s, err := o.Accounts.OpenSession(ctx, "bob", "127.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := signaling.Dial(ctx, o.Server.URL(), signaling.User{ID: "bob"}); err == nil {
		t.Fatal("an organization server admitted a hello without a token")
	}
	c, err := signaling.Dial(ctx, o.Server.URL(), signaling.User{ID: "bob"}, signaling.WithToken(s.Token))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if p := nextPolicy(t, c); p.E2EE.Allows() || p.Name != policy.GlobalName {
		t.Fatalf("at sign-in: %+v, want Global Disabled (the default)", p)
	}

	// An admin creates a policy and grants it to bob: his client hears at once.
	if err := o.Policies.CreatePolicy(ctx, policy.Policy{Name: "Pilot", E2EE: policy.UserCanEnable}); err != nil {
		t.Fatal(err)
	}
	if err := o.Policies.Grant(ctx, policy.Grant{Target: policy.UserTarget("bob"), Policy: "Pilot"}); err != nil {
		t.Fatal(err)
	}
	if p := nextPolicy(t, c); !p.E2EE.Allows() || p.Name != "Pilot" {
		t.Fatalf("after the grant: %+v, want Pilot UserCanEnable", p)
	}
}
