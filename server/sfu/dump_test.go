package sfu

import (
	"testing"
)

// dumpOnFailure logs, when the test fails, each client's transceivers and
// the service's side of its connection: which section carries what.
func dumpOnFailure(t *testing.T, cs ...*client) {
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		for _, c := range cs {
			dumpClient(t, c)
		}
	})
}

func dumpClient(t *testing.T, c *client) {
	for _, tr := range c.PC.GetTransceivers() {
		id := ""
		if tr.Receiver() != nil && tr.Receiver().Track() != nil {
			id = tr.Receiver().Track().StreamID() + "/" + tr.Receiver().Track().ID()
		}
		t.Logf("%s client: mid %s kind %s dir %s sender %v recv %s", c.Name, tr.Mid(), tr.Kind(), tr.Direction(), tr.Sender() != nil, id)
	}
	m := c.m
	t.Logf("%s service: stats %+v vssrc %v gen %v video %v %v", c.Name, m.Stats(), m.vssrc[1].Load(), m.vgen[1].Load(), m.video[1].Load(), len(*m.outs[1].Load()))
	m.dmu.Lock()
	defer m.dmu.Unlock()
	for _, d := range m.downs {
		d.mu.Lock()
		t.Logf("  down from %s kind %d bound %d needKey %v started %v", d.src.user, d.kind, d.track.bound.Load(), d.needKey, d.started)
		d.mu.Unlock()
	}
	for _, tr := range m.pc.GetTransceivers() {
		t.Logf("  svc mid %s kind %s dir %s", tr.Mid(), tr.Kind(), tr.Direction())
	}
}
