package policy_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/parley-voip/parley/internal/pgtest"
	"github.com/parley-voip/parley/server/policy"
	"github.com/parley-voip/parley/server/policy/policytest"
	"github.com/parley-voip/parley/server/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestSQLStore(t *testing.T) {
	t.Parallel()
	pgtest.EachDatabase(t, func(t *testing.T, open func(testing.TB) *store.DB) {
		policytest.TestStore(t, func(t *testing.T) policy.Store { return policy.NewSQLStore(open(t).SQL()) })
	})
}

// TestSQLStoreStateBatches resolves more users than one membership query
// binds.
func TestSQLStoreStateBatches(t *testing.T) {
	t.Parallel()
	pgtest.EachDatabase(t, func(t *testing.T, open func(testing.TB) *store.DB) {
		ctx := context.Background()
		s := policy.NewSQLStore(open(t).SQL())
		if err := s.CreateGroup(ctx, policy.Group{Name: "All", Rank: 1}); err != nil {
			t.Fatal(err)
		}
		var users []string
		for i := range 1200 {
			u := fmt.Sprintf("u%04d", i)
			users = append(users, u)
			if i%8 == 0 { // members in every batch of the membership query
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
			want := 0
			if i%8 == 0 {
				want = 1
			}
			if got := len(st.Member[u]); got != want {
				t.Fatalf("%s: %d memberships, want %d", u, got, want)
			}
		}
	})
}

// TestMeetingSettingsMigration: a database made before the meeting
// settings (policy migration 1 only) keeps its policies, which get Teams'
// defaults: recording and captions allowed, 120 days; and the call
// control defaults: transfer and park allowed.
func TestMeetingSettingsMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), store.FileName)
	var v1 []store.MigrationSet
	for _, set := range store.Registered() {
		if set.Component == policy.Component {
			set.Migrations = set.Migrations[:1]
		}
		v1 = append(v1, set)
	}
	old, err := store.Open(ctx, store.Config{Path: path, Migrations: v1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.SQL().ExecContext(ctx, `INSERT INTO policies (name, e2ee, description) VALUES ('Pilot', 'UserCanEnable', 'old')`); err != nil {
		t.Fatal(err)
	}
	old.Close()
	db, err := store.Open(ctx, store.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := policy.NewSQLStore(db.SQL()).Policy(ctx, "Pilot")
	if err != nil {
		t.Fatal(err)
	}
	want := policy.Policy{Name: "Pilot", E2EE: policy.UserCanEnable, AllowRecording: true, AllowCaptions: true,
		AllowTransfer: true, AllowPark: true, RetentionDays: policy.DefaultRetentionDays, Description: "old"}
	if p != want {
		t.Fatalf("migrated %+v, want %+v", p, want)
	}
}
