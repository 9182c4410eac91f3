package server

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/parley-voip/parley/server/calllog"
	"github.com/parley-voip/parley/server/calllog/calllogtest"
	"github.com/parley-voip/parley/signaling"
)

type callsPage struct {
	Calls      []signaling.CallRecord `json:"calls"`
	NextBefore int64                  `json:"next_before"`
}

func (o *org) calls(token, query string) (int, callsPage) {
	o.t.Helper()
	var p callsPage
	code := o.api("GET", "/api/calls"+query, token, nil, &p)
	return code, p
}

// TestCallHistoryAPIOnlyOwnAndPaged: each user reads only their own
// history, newest first, in pages; a device sees a call another of the
// user's devices took as answered elsewhere; bad parameters are 400.
func TestCallHistoryAPIOnlyOwnAndPaged(t *testing.T) {
	t.Parallel()
	o := startOrg(t, Config{}, "alice", "bob", "carol")
	alice := o.signIn("alice")
	bobPhone, bobLaptop := o.signIn("bob"), o.signIn("bob")
	carol := o.signIn("carol")
	ctx := context.Background()
	for i := range 3 {
		recs := calllogtest.Call(fmt.Sprintf("c%d", i), "alice", "bob", calllogtest.T0.Add(time.Duration(i)*time.Minute), time.Duration(i+1)*time.Second)
		recs[0].Device, recs[1].Device = alice.Session.ID, bobPhone.Session.ID
		if _, err := o.log.Add(ctx, recs...); err != nil {
			t.Fatal(err)
		}
	}

	code, page := o.calls(alice.Token, "")
	if code != http.StatusOK || len(page.Calls) != 3 || page.Calls[0].CallID != "c2" || page.Calls[2].CallID != "c0" ||
		!page.Calls[0].Outgoing || page.Calls[0].Peer != "bob" || page.Calls[0].Duration != 3000 {
		t.Fatalf("alice's history: %d %+v", code, page)
	}
	if code, page := o.calls(carol.Token, ""); code != http.StatusOK || len(page.Calls) != 0 {
		t.Fatalf("carol reads %d %+v, want an empty history", code, page)
	}
	if _, page := o.calls(bobPhone.Token, ""); len(page.Calls) != 3 || page.Calls[0].Outcome != signaling.OutcomeAnswered || page.Calls[0].Outgoing {
		t.Fatalf("bob's phone (it answered): %+v", page)
	}
	if _, page := o.calls(bobLaptop.Token, ""); len(page.Calls) != 3 || page.Calls[0].Outcome != signaling.OutcomeAnsweredElsewhere {
		t.Fatalf("bob's laptop: %+v, want answered-elsewhere", page)
	}

	code, page = o.calls(alice.Token, "?limit=2")
	if code != http.StatusOK || len(page.Calls) != 2 || page.NextBefore != page.Calls[1].Start {
		t.Fatalf("limit=2: %d %+v", code, page)
	}
	code, page = o.calls(alice.Token, fmt.Sprintf("?limit=2&before=%d", page.NextBefore))
	if code != http.StatusOK || len(page.Calls) != 1 || page.Calls[0].CallID != "c0" || page.NextBefore != 0 {
		t.Fatalf("second page: %d %+v", code, page)
	}
	for _, q := range []string{"?limit=-1", fmt.Sprintf("?limit=%d", calllog.MaxPage+1), "?before=x", "?before=-5"} {
		if code := o.api("GET", "/api/calls"+q, alice.Token, nil, nil); code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, code)
		}
	}
	// A session that ended reads nothing any more.
	if code := o.api("POST", "/api/signout", carol.Token, nil, nil); code != http.StatusNoContent {
		t.Fatalf("sign out: %d", code)
	}
	if code, _ := o.calls(carol.Token, ""); code != http.StatusUnauthorized {
		t.Errorf("signed-out token: %d, want 401", code)
	}
}
