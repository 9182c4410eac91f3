package policy_test

import (
	"context"
	"testing"

	"github.com/parley-voip/parley/server/policy"
	"github.com/parley-voip/parley/server/policy/policytest"
	"github.com/parley-voip/parley/server/store"
	"github.com/parley-voip/parley/server/store/storetest"
)

func openSQL(t *testing.T) *store.DB { return storetest.Open(t) }

func TestSQLStore(t *testing.T) {
	t.Parallel()
	policytest.TestStore(t, func(t *testing.T) policy.Store { return policy.NewSQLStore(openSQL(t).SQL()) })
}

// TestSQLStoreStateBatches resolves more users than one membership query
// binds.
func TestSQLStoreStateBatches(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := policy.NewSQLStore(openSQL(t).SQL())
	if err := s.CreateGroup(ctx, policy.Group{Name: "All", Rank: 1}); err != nil {
		t.Fatal(err)
	}
	var users []string
	for i := range 1200 {
		u := "u" + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676))
		users = append(users, u)
		if i%2 == 0 {
			if err := s.AddMember(ctx, "All", u); err != nil {
				t.Fatal(err)
			}
		}
	}
	st, err := s.State(ctx, users)
	if err != nil {
		t.Fatal(err)
	}
	for i, u := range users {
		if got, want := len(st.Member[u]), 1-i%2; got != want {
			t.Fatalf("%s: %d memberships, want %d", u, got, want)
		}
	}
}
