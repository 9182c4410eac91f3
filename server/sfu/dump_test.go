package sfu

import (
	"testing"
)

// dumpClient logs the service's side of c's connection: which section
// carries what (join does, with the client's side from sfutest's Report,
// when a test fails).
func dumpClient(t *testing.T, c *client) {
	m := c.m
	t.Logf("%s service: connection %s (up %v), stats %+v vssrc %v gen %v video %v %v", c.Name, m.pc.ConnectionState(), m.connected.Load(), m.Stats(), m.vssrc[1].Load(), m.vgen[1].Load(), m.video[1].Load(), len(*m.outs[1].Load()))
	m.dmu.Lock()
	defer m.dmu.Unlock()
	for _, d := range m.downs {
		d.mu.Lock()
		t.Logf("  down from %s kind %d ssrc %d bound %d needKey %v started %v", d.src.user, d.kind, d.ssrc, d.track.bound.Load(), d.needKey, d.started)
		d.mu.Unlock()
	}
	for _, tr := range m.pc.GetTransceivers() {
		t.Logf("  svc mid %s kind %s dir %s", tr.Mid(), tr.Kind(), tr.Direction())
	}
}
