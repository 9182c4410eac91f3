package policy

import (
	"context"
	"slices"
	"testing"
)

// Two nodes on one store: a change on node A, then one on node B that
// brings back what A last pushed. B must push (a Shared service does not
// trust its own memory of the last push), or alice keeps A's policy.
func TestSharedServicePushesWhatAnotherNodeChanged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := NewMemStore()
	recA, recB := &recorder{online: []string{"alice"}}, &recorder{online: []string{"alice"}}
	a, err := NewService(Config{Store: st, Notifier: recA, Shared: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewService(Config{Store: st, Notifier: recB, Shared: true})
	if err != nil {
		t.Fatal(err)
	}
	g := DefaultGlobal()
	g.E2EE = UserCanEnable
	if err := b.UpdatePolicy(ctx, g); err != nil { // B pushes UserCanEnable
		t.Fatal(err)
	}
	g.E2EE = Disabled
	if err := a.UpdatePolicy(ctx, g); err != nil { // A pushes Disabled
		t.Fatal(err)
	}
	recB.take()
	g.E2EE = UserCanEnable
	if err := b.UpdatePolicy(ctx, g); err != nil { // back to what B pushed last
		t.Fatal(err)
	}
	if got := recB.take(); !slices.Equal(got, []string{"alice=Global/UserCanEnable"}) {
		t.Fatalf("node B pushed %v, want alice's UserCanEnable again", got)
	}
}
