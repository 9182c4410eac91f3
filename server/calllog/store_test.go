package calllog_test

import (
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/pgtest"
	"github.com/parley-voip/parley/server/calllog"
	"github.com/parley-voip/parley/server/calllog/calllogtest"
	"github.com/parley-voip/parley/server/store"
	"github.com/parley-voip/parley/signaling"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestSQLStore(t *testing.T) {
	t.Parallel()
	pgtest.EachDatabase(t, func(t *testing.T, open func(testing.TB) *store.DB) {
		calllogtest.TestStore(t, func(t *testing.T) calllog.Store { return calllog.NewSQLStore(open(t).SQL()) })
	})
}

// TestWireAnsweredElsewhere: the device that answered sees answered, the
// user's other devices answered elsewhere; other outcomes are the same
// everywhere.
func TestWireAnsweredElsewhere(t *testing.T) {
	t.Parallel()
	r := calllogtest.Call("c1", "alice", "bob", calllogtest.T0, 2*time.Second)[1]
	r.ID = 7
	if got := r.Wire("d-bob"); got.Outcome != signaling.OutcomeAnswered || got.ID != "7" || got.Duration != 2000 ||
		got.Start != calllogtest.T0.UnixMilli() || got.Peer != "alice" || got.Outgoing {
		t.Errorf("answering device sees %+v", got)
	}
	if got := r.Wire("bobs-laptop").Outcome; got != signaling.OutcomeAnsweredElsewhere {
		t.Errorf("other device sees %q, want answered-elsewhere", got)
	}
	r.Outcome, r.Device = signaling.OutcomeMissed, ""
	if got := r.Wire("bobs-laptop").Outcome; got != signaling.OutcomeMissed {
		t.Errorf("missed call on another device reads %q", got)
	}
}
