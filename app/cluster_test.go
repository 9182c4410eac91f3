package app

import (
	"context"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/server/org/orgtest"
	"github.com/parley-voip/parley/server/policy"
)

// startCluster runs n nodes of one organization (PostgreSQL and NATS)
// whose Global policy lets users turn E2EE on.
func startCluster(t testing.TB, n int) []*org.Org {
	t.Helper()
	nodes := orgtest.Cluster(t, n, org.Config{})
	g := policy.DefaultGlobal()
	g.E2EE = policy.UserCanEnable
	if err := nodes[0].Policies.UpdatePolicy(context.Background(), g); err != nil {
		t.Fatal(err)
	}
	return nodes
}

// onNode signs id in to node o of a cluster.
func onNode(t testing.TB, o *org.Org, id string, e2ee bool, opts ...userOption) *testUser {
	t.Helper()
	return startUser(t, o.Server.URL(), id, e2ee, audio.Chirp(), append([]userOption{withToken(openSession(t, o, id))}, opts...)...)
}

// Alice on node 1 calls bob on node 2: an E2EE call (both chose it; one
// security code, each hears the other); alice chats with carol on node 3;
// then alice calls dave on node 2, who has E2EE off: a call without E2EE
// (the direct path: the media service is not in this build).
func TestCallsAndChatAcrossNodes(t *testing.T) {
	nodes := startCluster(t, 3)
	alice := onNode(t, nodes[0], "alice", true)
	bob := onNode(t, nodes[1], "bob", true)
	carol := onNode(t, nodes[2], "carol", false)

	ca, cb := placeCall(t, alice, bob)
	if !ca.E2EE || !cb.E2EE || ca.Code != cb.Code || ca.Code == "" {
		t.Fatalf("want one E2EE call with one code: caller %v %q, callee %v %q (%s / %s)",
			ca.E2EE, ca.Code, cb.E2EE, cb.Code, ca.EndMessage(), cb.EndMessage())
	}
	assertHears(t, "bob (node 2) hears alice (node 1)", bob)
	assertHears(t, "alice hears bob", alice)
	carol.sees(t, "alice", PresenceInCall)
	alice.Hangup()
	alice.endsWith(t, EndHangup)
	bob.endsWith(t, EndRemoteHangup)

	alice.SendChat("carol", "hello from node 1")
	carol.ev.waitChat(t, "carol (node 3) receives", "alice", hasText("hello from node 1", ChatSent))

	// dave, also on node 2, has E2EE off: a standard call.
	dave := onNode(t, nodes[1], "dave", false)
	ca, cb = placeCallAfter(t, alice, dave, alice.ev.count(), 0)
	if ca.E2EE || cb.E2EE || !isActive(ca) || !isActive(cb) {
		t.Fatalf("want an active call without E2EE: caller %+v, callee %+v", ca, cb)
	}
	assertHears(t, "dave hears alice without E2EE", dave)
	dave.Hangup()
	dave.endsWith(t, EndHangup)
	alice.endsWith(t, EndRemoteHangup)
}

// BenchmarkCallSetupAcrossNodes is BenchmarkCallSetup's E2EE case with
// the parties on two nodes (NATS between them) and, for comparison, on
// one node of the same cluster. Report: ms/setup.
func BenchmarkCallSetupAcrossNodes(b *testing.B) {
	for _, tc := range []struct {
		name  string
		bobOn int
		e2ee  bool
	}{{"one-node-e2ee", 0, true}, {"two-nodes-e2ee", 1, true}, {"one-node-plain", 0, false}, {"two-nodes-plain", 1, false}} {
		b.Run(tc.name, func(b *testing.B) {
			nodes := startCluster(b, 2)
			alice := onNode(b, nodes[0], "alice", tc.e2ee)
			bob := onNode(b, nodes[tc.bobOn], "bob", tc.e2ee)
			timeSetups(b, alice, bob, tc.e2ee)
		})
	}
}

// Bob's node goes in the middle of his E2EE call with alice (on the
// other node): his client moves to the node it also knows
// (Config.ServerURLs), resumes the call there with the same code, still
// hears alice, and gets her chat live on the new node.
func TestClientMovesToAnotherNodeWhenItsNodeGoes(t *testing.T) {
	nodes := startCluster(t, 2)
	alice := onNode(t, nodes[0], "alice", true)
	bob := onNode(t, nodes[1], "bob", true, func(c *Config) { c.ServerURLs = []string{nodes[0].Server.URL()} })
	ca, cb := placeCall(t, alice, bob)
	if !ca.E2EE || !cb.E2EE || ca.Code != cb.Code {
		t.Fatalf("want an E2EE call: %+v / %+v", ca, cb)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := nodes[1].Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	assertHears(t, "bob hears alice after moving", bob)
	if c := bob.ev.lastCall(); !isActive(c) || c.Code != cb.Code {
		t.Fatalf("bob's call after the move: %+v, want active with code %s", c, cb.Code)
	}
	// Node 2 is gone: bob can only get this through node 1.
	alice.SendChat("bob", "still here?")
	bob.ev.waitChat(t, "bob receives on node 1", "alice", hasText("still here?", ChatSent))
	alice.Hangup()
	alice.endsWith(t, EndHangup)
	bob.endsWith(t, EndRemoteHangup)
}
