package app

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/parley-voip/parley/signaling"
)

// The failover dialer tries the nodes in turn from the one that answered
// last, and stops at a sign-out: every node would refuse it.
func TestFailoverTriesNextNodeAndStopsAtSignOut(t *testing.T) {
	var tried []string
	up := map[string]bool{"b": true}
	signedOutAt := ""
	f := newFailover(func(_ context.Context, url string, _ signaling.User) (SignalConn, error) {
		tried = append(tried, url)
		if url == signedOutAt {
			return nil, &signaling.CloseError{Code: signaling.CloseSignedOut}
		}
		if up[url] {
			return nil, nil
		}
		return nil, errors.New("connection refused")
	}, []string{"a", "b", "c"})
	ctx := context.Background()
	if _, err := f.Dial(ctx, "a", signaling.User{}); err != nil || !slices.Equal(tried, []string{"a", "b"}) {
		t.Fatalf("first dial: %v, tried %v; want a then b", err, tried)
	}
	tried, up = nil, map[string]bool{"a": true}
	if _, err := f.Dial(ctx, "a", signaling.User{}); err != nil || !slices.Equal(tried, []string{"b", "c", "a"}) {
		t.Fatalf("b went: %v, tried %v; want b (last good), c, a", err, tried)
	}
	tried, up, signedOutAt = nil, map[string]bool{}, "a"
	if _, err := f.Dial(ctx, "a", signaling.User{}); !signedOut(err) || !slices.Equal(tried, []string{"a"}) {
		t.Fatalf("signed out: %v, tried %v; want the sign-out from a alone", err, tried)
	}
	tried, signedOutAt = nil, ""
	if _, err := f.Dial(ctx, "a", signaling.User{}); err == nil || len(tried) != 3 {
		t.Fatalf("all down: %v, tried %v", err, tried)
	}
}
