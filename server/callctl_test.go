package server

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/parley-voip/parley/internal/sfutest"
	"github.com/parley-voip/parley/server/policy"
	"github.com/parley-voip/parley/server/sfu"
	"github.com/parley-voip/parley/signaling"
)

// controlOrg is an organization with the media service and policies
// (Global allows transfer and park) for call control tests.
func controlOrg(t *testing.T, cfg Config) (*org, *policy.Service) {
	t.Helper()
	media, err := sfu.New(sfu.Config{IncludeLoopback: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = media.Close() })
	pol, err := policy.NewService(policy.Config{Store: policy.NewMemStore()})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ResumeGrace == 0 {
		cfg.ResumeGrace = time.Hour
	}
	o := startOrgWith(t, cfg, []Option{WithMedia(media), WithPolicies(pol)}, "alice", "bob", "carol", "dave", "eve")
	return o, pol
}

// grantOption allows what a granted policy allows of call control.
type grantOption func(*policy.Policy)

func mayTransfer() grantOption { return func(p *policy.Policy) { p.AllowTransfer = true } }
func mayPark() grantOption     { return func(p *policy.Policy) { p.AllowPark = true } }

// grant gives user a policy like Global but allowing no call control
// beyond what opts allow.
func grant(t *testing.T, pol *policy.Service, user string, opts ...grantOption) {
	t.Helper()
	p := policy.DefaultGlobal()
	p.Name, p.AllowTransfer, p.AllowPark = "Policy-"+user, false, false
	for _, o := range opts {
		o(&p)
	}
	ctx := context.Background()
	if err := pol.CreatePolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := pol.Grant(ctx, policy.Grant{Target: policy.UserTarget(user), Policy: p.Name}); err != nil {
		t.Fatal(err)
	}
}

// control returns c's next call-control notice (passing over the media
// service's candidates and rosters) and checks its state.
func (c *client) control(state signaling.ControlState) *signaling.CallControl {
	c.t.Helper()
	m := c.await(signaling.TypeCallControl)
	if m.Control.State != state {
		c.t.Fatalf("%s: call-control %+v, want state %s", c.id, m.Control, state)
	}
	return m.Control
}

func (c *client) hangup(reason signaling.Reason) *signaling.Message {
	c.t.Helper()
	m := c.await(signaling.TypeHangup)
	if m.Reason != reason {
		c.t.Fatalf("%s: hangup %+v, want reason %s", c.id, m, reason)
	}
	return m
}

// controlCall is where most call-control tests start: a call-control
// org with alice, bob and carol connected (and others, withUsers), and
// c1, a standard call from alice to bob, with both media joined and each
// hearing the other (not withoutMedia).
type controlCall struct {
	o                 *org
	pol               *policy.Service
	alice, bob, carol *client
	users             map[string]*client // withUsers
	pa, pb            *mediaPeer         // alice's and bob's media (nil withoutMedia)
	ctx               context.Context    // for media expectations
	offers            int                // alice's offers so far: a splice must add none
}

type controlSetup struct {
	cfg     Config
	noMedia bool
	users   []string
	grants  []func(*testing.T, *policy.Service)
}

// controlOption changes what setupControl sets up.
type controlOption func(*controlSetup)

// withServer runs the org with cfg.
func withServer(cfg Config) controlOption { return func(s *controlSetup) { s.cfg = cfg } }

// withoutMedia sets the call up in signaling only.
func withoutMedia() controlOption { return func(s *controlSetup) { s.noMedia = true } }

// withGrant grants user a policy (grant) before anyone connects.
func withGrant(user string, opts ...grantOption) controlOption {
	return func(s *controlSetup) {
		s.grants = append(s.grants, func(t *testing.T, pol *policy.Service) { grant(t, pol, user, opts...) })
	}
}

// withUsers connects ids too (in users), before the call.
func withUsers(ids ...string) controlOption {
	return func(s *controlSetup) { s.users = append(s.users, ids...) }
}

func setupControl(t *testing.T, opts ...controlOption) *controlCall {
	t.Helper()
	var set controlSetup
	for _, o := range opts {
		o(&set)
	}
	c := &controlCall{users: map[string]*client{}}
	c.o, c.pol = controlOrg(t, set.cfg)
	for _, g := range set.grants {
		g(t, c.pol)
	}
	c.alice, _ = c.o.connect("alice")
	c.bob, _ = c.o.connect("bob")
	c.carol, _ = c.o.connect("carol")
	for _, id := range set.users {
		c.users[id], _ = c.o.connect(id)
	}
	standardCall(c.alice, c.bob, "c1")
	c.ctx = mediaCtx(c.alice)
	if !set.noMedia {
		c.pa, c.pb = c.alice.joinMedia("c1"), c.bob.joinMedia("c1")
		c.pa.ExpectHears(c.ctx, "bob", "bob")
		c.pb.ExpectHears(c.ctx, "alice", "alice")
		c.offers = c.pa.Offers()
	}
	return c
}

// unchangedOffers fails the test where alice's connection was
// renegotiated since the call was set up.
func (c *controlCall) unchangedOffers(t *testing.T, through string) {
	t.Helper()
	if n := c.pa.Offers() - c.offers; n != 0 {
		t.Errorf("alice's connection was renegotiated %d times through %s", n, through)
	}
}

// declines has c, rung for callID, decline it.
func declines(c *client, callID string) {
	c.t.Helper()
	c.expect(signaling.TypeInvite)
	c.send(&signaling.Message{Type: signaling.TypeDecline, CallID: callID, Reason: signaling.ReasonDeclined})
}

// codeRefused has c try to pick up with code and be told there is no
// such parked call.
func codeRefused(c *client, code string) {
	c.t.Helper()
	c.send(&signaling.Message{Type: signaling.TypePickup, Control: &signaling.CallControl{Code: code}})
	c.awaitError(signaling.CodeUnknownCode)
}

// transferAway sends by's transfer of callID to target in mode and takes
// what by and the stayer are told before the target rings: by's part ends.
func transferAway(by, stayer *client, callID string, mode signaling.TransferMode, target string) {
	by.t.Helper()
	by.send(&signaling.Message{Type: signaling.TypeTransfer, CallID: callID, Control: &signaling.CallControl{Mode: mode, Target: target}})
	by.control(signaling.StateTransferring)
	by.hangup(signaling.ReasonTransferred)
	stayer.control(signaling.StateTransferring)
}

// parkAway parks by's call callID and returns the pickup code, after what
// by and the stayer are told.
func parkAway(by, stayer *client, callID string) string {
	by.t.Helper()
	by.send(&signaling.Message{Type: signaling.TypePark, CallID: callID})
	by.hangup(signaling.ReasonParked)
	code := by.control(signaling.StateParked).Code
	stayer.control(signaling.StateParked)
	return code
}

// TestBlindTransfer: bob transfers alice to carol. Bob leaves at once;
// alice hears music (not bob) while carol rings, then carol on the same
// track, with no new offer; everyone is told who did what.
func TestBlindTransfer(t *testing.T) {
	t.Parallel()
	c := setupControl(t)
	alice, bob, carol, pa, ctx := c.alice, c.bob, c.carol, c.pa, c.ctx

	bob.send(&signaling.Message{Type: signaling.TypeTransfer, CallID: "c1", Control: &signaling.CallControl{Mode: signaling.TransferBlind, Target: "carol"}})
	if n := bob.control(signaling.StateTransferring); n.Target != "carol" || n.Party != "alice" {
		t.Fatalf("bob told %+v", n)
	}
	bob.hangup(signaling.ReasonTransferred)
	if n := alice.control(signaling.StateTransferring); n.By != "bob" || n.Target != "carol" || n.TargetName != "Name of carol" {
		t.Fatalf("alice told %+v", n)
	}
	inv := carol.expect(signaling.TypeInvite)
	if inv.CallID != "c1" || inv.From != "alice" || inv.Control == nil || inv.Control.By != "bob" || inv.Control.Party != "alice" {
		t.Fatalf("carol's invite %+v %+v", inv, inv.Control)
	}
	c.pb.expectQuietWhile("alice", func() { pa.ExpectNotHears(ctx, "bob", "bob") }) // music, not bob

	carol.send(&signaling.Message{Type: signaling.TypeAccept, CallID: "c1"})
	if n := alice.control(signaling.StateTransferred); n.By != "bob" || n.Target != "carol" {
		t.Fatalf("alice told %+v", n)
	}
	bob.control(signaling.StateTransferred)
	pc := carol.joinMedia("c1")
	pc.ExpectHears(ctx, "alice", "alice")
	pa.ExpectHears(ctx, "bob", "carol") // bob's track, carol's voice
	c.unchangedOffers(t, "the transfer")
	carol.send(&signaling.Message{Type: signaling.TypeHangup, CallID: "c1", Reason: signaling.ReasonHangup})
	alice.hangup(signaling.ReasonHangup)
}

// TestBlindTransferFails: a busy, offline, declining or silent target
// ends alice's call with that reason, and she is told why first.
func TestBlindTransferFails(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		reason signaling.Reason
	}{
		{"busy", signaling.ReasonBusy},
		{"offline", signaling.ReasonUnreachable},
		{"declines", signaling.ReasonDeclined},
		{"no answer", signaling.ReasonNoAnswer},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			cfg := Config{}
			if c.reason == signaling.ReasonNoAnswer {
				cfg.ControlRingTimeout = 200 * time.Millisecond // the ring ends by itself: an event, not a measured time
			}
			o, _ := controlOrg(t, cfg)
			alice, _ := o.connect("alice")
			bob, _ := o.connect("bob")
			var carol *client
			if c.reason != signaling.ReasonUnreachable {
				carol, _ = o.connect("carol")
			}
			if c.reason == signaling.ReasonBusy {
				dave, _ := o.connect("dave")
				standardCall(carol, dave, "other")
			}
			standardCall(alice, bob, "c1")
			transferAway(bob, alice, "c1", signaling.TransferBlind, "carol")
			switch c.reason {
			case signaling.ReasonDeclined:
				declines(carol, "c1")
			case signaling.ReasonNoAnswer:
				carol.expect(signaling.TypeInvite)
			}
			if n := alice.control(signaling.StateTransferFailed); n.Reason != c.reason || n.Target != "carol" {
				t.Fatalf("alice told %+v", n)
			}
			alice.hangup(c.reason)
			if c.reason == signaling.ReasonNoAnswer {
				carol.hangup(signaling.ReasonNoAnswer)
			}
		})
	}
}

// TestSafeTransferRingsBack: carol declines a safe transfer; alice hears
// music and is told bob is rung back; bob answers and they hear each
// other again on alice's unchanged connection. A second safe transfer
// that bob does not take back ends alice's call.
func TestSafeTransferRingsBack(t *testing.T) {
	t.Parallel()
	c := setupControl(t)
	alice, bob, carol, pa, ctx := c.alice, c.bob, c.carol, c.pa, c.ctx

	transferAway(bob, alice, "c1", signaling.TransferSafe, "carol")
	declines(carol, "c1")
	if n := alice.control(signaling.StateRingback); n.By != "bob" || n.Reason != signaling.ReasonDeclined {
		t.Fatalf("alice told %+v", n)
	}
	inv := bob.expect(signaling.TypeInvite)
	if inv.Control == nil || inv.Control.State != signaling.StateRingback || inv.Control.Reason != signaling.ReasonDeclined || inv.From != "alice" {
		t.Fatalf("bob's ring back %+v %+v", inv, inv.Control)
	}
	pa.ExpectNotHears(ctx, "bob", "bob") // music meanwhile
	bob.send(&signaling.Message{Type: signaling.TypeAccept, CallID: "c1"})
	if n := alice.control(signaling.StatePickedUp); n.Target != "bob" {
		t.Fatalf("alice told %+v", n)
	}
	pb := bob.joinMedia("c1")
	pa.ExpectHears(ctx, "bob", "bob")
	pb.ExpectHears(ctx, "alice", "alice")
	c.unchangedOffers(t, "the ring back")

	// Again, and this time bob declines the ring back too.
	transferAway(bob, alice, "c1", signaling.TransferSafe, "carol")
	declines(carol, "c1")
	alice.control(signaling.StateRingback)
	declines(bob, "c1")
	if n := alice.control(signaling.StateTransferFailed); n.Reason != signaling.ReasonDeclined {
		t.Fatalf("alice told %+v", n)
	}
	alice.hangup(signaling.ReasonDeclined)
}

// TestConsultTransfer: bob holds alice, calls carol and talks to her,
// then completes: alice and carol hear each other on the tracks that
// carried bob (neither connection renegotiated), bob hears neither.
func TestConsultTransfer(t *testing.T) {
	t.Parallel()
	c := setupControl(t)
	alice, bob, carol, pa, ctx := c.alice, c.bob, c.carol, c.pa, c.ctx
	bob.send(&signaling.Message{Type: signaling.TypeHold, CallID: "c1", Held: true})
	pa.ExpectNotHears(ctx, "bob", "bob") // music

	// Consulting: not yet, this is not bob's consult call.
	bob.send(&signaling.Message{Type: signaling.TypeTransfer, ID: "early", CallID: "c1", Control: &signaling.CallControl{Mode: signaling.TransferConsult, Consult: "c2"}})
	bob.awaitError(signaling.CodeNotAllowed)

	standardCall(bob, carol, "c2") // the consult call
	pc := carol.joinMedia("c2")
	pb2 := bob.joinMedia("c2")
	pc.ExpectHears(ctx, "bob", "bob")
	pb2.ExpectHears(ctx, "carol", "carol")
	ao, co := pa.Offers(), pc.Offers()

	bob.send(&signaling.Message{Type: signaling.TypeTransfer, CallID: "c1", Control: &signaling.CallControl{Mode: signaling.TransferConsult, Consult: "c2"}})
	if n := alice.control(signaling.StateTransferred); n.By != "bob" || n.Target != "carol" || n.Mode != signaling.TransferConsult {
		t.Fatalf("alice told %+v", n)
	}
	m := carol.await(signaling.TypeCallControl)
	if m.CallID != "c1" || m.Control.Consult != "c2" || m.Control.Party != "alice" {
		t.Fatalf("carol told %+v %+v", m, m.Control)
	}
	for _, id := range []string{"c1", "c2"} {
		if h := bob.hangup(signaling.ReasonTransferred); h.CallID != id {
			t.Fatalf("bob's hangup %+v, want %s", h, id)
		}
	}
	c.pb.expectQuietWhile("alice", func() {
		pb2.expectQuietWhile("carol", func() {
			pa.ExpectHears(ctx, "bob", "carol")
			pc.ExpectHears(ctx, "bob", "alice")
		})
	})
	if pa.Offers() != ao || pc.Offers() != co {
		t.Errorf("offers through the splice: alice %d, carol %d; want none", pa.Offers()-ao, pc.Offers()-co)
	}
	// The call goes on as c1 between carol and alice.
	carol.send(&signaling.Message{Type: signaling.TypeHangup, CallID: "c1", Reason: signaling.ReasonHangup})
	alice.hangup(signaling.ReasonHangup)
}

// TestParkAndPickup: bob parks; alice hears music; both of bob's devices
// see the code; a wrong code is refused; dave picks up on his device and
// he and alice hear each other; the code is spent.
func TestParkAndPickup(t *testing.T) {
	t.Parallel()
	c := setupControl(t, withUsers("dave"))
	alice, bob, dave, pa, ctx := c.alice, c.bob, c.users["dave"], c.pa, c.ctx
	bob2, _ := c.o.connect("bob") // bob's other device, idle

	bob.send(&signaling.Message{Type: signaling.TypePark, CallID: "c1"})
	bob.hangup(signaling.ReasonParked)
	n := bob.control(signaling.StateParked)
	if len(n.Code) != signaling.PickupCodeLen || n.Party != "alice" || n.Expires == 0 {
		t.Fatalf("bob told %+v", n)
	}
	if n2 := bob2.control(signaling.StateParked); n2.Code != n.Code {
		t.Fatalf("bob's other device told %+v", n2)
	}
	if a := alice.control(signaling.StateParked); a.By != "bob" || a.Code != "" {
		t.Fatalf("alice told %+v (the code is for bob)", a)
	}
	c.pb.expectQuietWhile("alice", func() { pa.ExpectNotHears(ctx, "bob", "bob") })

	wrong := "000000"
	if n.Code == wrong {
		wrong = "000001"
	}
	codeRefused(dave, wrong)
	dave.send(&signaling.Message{Type: signaling.TypePickup, Control: &signaling.CallControl{Code: n.Code}})
	if p := dave.control(signaling.StatePickedUp); p.Party != "alice" {
		t.Fatalf("dave told %+v", p)
	}
	if p := alice.control(signaling.StatePickedUp); p.Target != "dave" || p.By != "bob" {
		t.Fatalf("alice told %+v", p)
	}
	bob.control(signaling.StatePickedUp)
	bob2.control(signaling.StatePickedUp)
	pd := dave.joinMedia("c1")
	pd.ExpectHears(ctx, "alice", "alice")
	pa.ExpectHears(ctx, "bob", "dave")
	c.unchangedOffers(t, "the pickup")
	eve, _ := c.o.connect("eve")
	codeRefused(eve, n.Code) // spent
}

// TestTwoPickupsOfOneCode: exactly one of two simultaneous pickups wins;
// the other is told the code is gone and nothing else changes.
func TestTwoPickupsOfOneCode(t *testing.T) {
	t.Parallel()
	cc := setupControl(t, withoutMedia(), withUsers("dave"))
	alice, carol, dave := cc.alice, cc.carol, cc.users["dave"]
	code := parkAway(cc.bob, alice, "c1")
	var wg sync.WaitGroup
	for _, c := range []*client{carol, dave} {
		wg.Go(func() {
			_ = c.conn.Send(context.Background(), &signaling.Message{Type: signaling.TypePickup, Control: &signaling.CallControl{Code: code}})
		})
	}
	wg.Wait()
	won := 0
	for _, c := range []*client{carol, dave} {
		switch m := c.next(); {
		case m.Type == signaling.TypeCallControl && m.Control.State == signaling.StatePickedUp:
			won++
		case m.Type == signaling.TypeError && m.Error.Code == signaling.CodeUnknownCode:
		default:
			t.Fatalf("%s got %+v", c.id, m)
		}
	}
	if won != 1 {
		t.Fatalf("%d pickups won, want exactly 1", won)
	}
	alice.control(signaling.StatePickedUp)
}

// TestParkRingsBack: a park nobody picks up rings bob back; bob answers
// and hears alice again. A second one he does not answer ends alice's
// call with no-answer.
func TestParkRingsBack(t *testing.T) {
	t.Parallel()
	// The park ends by itself (an event, not a measured time); the ring
	// back waits for bob as long as a ring does.
	c := setupControl(t, withServer(Config{ParkTimeout: 200 * time.Millisecond}))
	alice, bob, pa, ctx := c.alice, c.bob, c.pa, c.ctx

	code := parkAway(bob, alice, "c1")
	inv := bob.expect(signaling.TypeInvite)
	if inv.Control == nil || inv.Control.State != signaling.StateRingback || inv.Control.Reason != signaling.ReasonNoAnswer {
		t.Fatalf("ring back %+v", inv.Control)
	}
	alice.control(signaling.StateRingback)
	bob.send(&signaling.Message{Type: signaling.TypeAccept, CallID: "c1"})
	alice.control(signaling.StatePickedUp)
	pb := bob.joinMedia("c1")
	pb.ExpectHears(ctx, "alice", "alice")
	pa.ExpectHears(ctx, "bob", "bob")
	// The code of a park that rang back is spent.
	dave, _ := c.o.connect("dave")
	codeRefused(dave, code)

	// Where the ring back rings out too, alice's call ends.
	c2 := setupControl(t, withoutMedia(), withServer(Config{ParkTimeout: 200 * time.Millisecond, ControlRingTimeout: 200 * time.Millisecond}))
	alice2, bob2 := c2.alice, c2.bob
	parkAway(bob2, alice2, "c1")
	bob2.expect(signaling.TypeInvite)
	alice2.control(signaling.StateRingback)
	bob2.hangup(signaling.ReasonNoAnswer) // bob's ring back ends unanswered
	alice2.hangup(signaling.ReasonNoAnswer)
}

// TestMoveCallToAnotherDevice: bob's second device takes the call; alice
// hears it on bob's track without a new offer, the first device is out.
// A third device joins as a companion: it hears alice, alice does not
// hear it.
func TestMoveCallToAnotherDevice(t *testing.T) {
	t.Parallel()
	c := setupControl(t)
	alice, bob, pa, ctx := c.alice, c.bob, c.pa, c.ctx
	bob2, _ := c.o.connect("bob") // bob's other devices, idle
	bob3, _ := c.o.connect("bob")

	bob2.send(&signaling.Message{Type: signaling.TypeMoveCall})
	if n := bob2.control(signaling.StateMoved); n.Party != "alice" {
		t.Fatalf("bob2 told %+v", n)
	}
	bob.hangup(signaling.ReasonMoved)
	pb2 := bob2.joinMedia("c1", sfutest.Speaking("dave")) // to be told apart from the first device
	c.pb.expectQuietWhile("alice", func() { pa.ExpectHears(ctx, "bob", "dave") })
	pb2.ExpectHears(ctx, "alice", "alice")
	c.unchangedOffers(t, "the move")

	bob3.send(&signaling.Message{Type: signaling.TypeMoveCall, Control: &signaling.CallControl{Companion: true}})
	bob3.control(signaling.StateCompanion)
	pb3 := bob3.joinMedia("c1", sfutest.Speaking("carol"))
	pb3.ExpectHears(ctx, "alice", "alice")
	pa.ExpectHears(ctx, "bob", "dave")
	pa.ExpectNotHears(ctx, "bob", "carol")
	if n := pa.Recording("bob").Tracks(); n != 1 {
		t.Errorf("alice got %d tracks for bob; the companion must not add one", n)
	}
	// The companion leaves alone; then the call ends for all.
	bob3.send(&signaling.Message{Type: signaling.TypeHangup, CallID: "c1", Reason: signaling.ReasonHangup})
	alice.send(&signaling.Message{Type: signaling.TypeHangup, CallID: "c1", Reason: signaling.ReasonHangup})
	bob2.hangup(signaling.ReasonHangup)
}

// TestCallControlRefusals: who may not, what may not; each refused with
// its code and nothing changes (the call goes on and a valid transfer
// works after).
func TestCallControlRefusals(t *testing.T) {
	t.Parallel()
	cc := setupControl(t, withoutMedia(), withServer(Config{PickupGuesses: 2}), withGrant("dave"), withUsers("eve", "dave"))
	alice, bob, carol, eve, dave := cc.alice, cc.bob, cc.carol, cc.users["eve"], cc.users["dave"]
	xfer := func(target string) *signaling.Message {
		return &signaling.Message{Type: signaling.TypeTransfer, CallID: "c1", Control: &signaling.CallControl{Mode: signaling.TransferBlind, Target: target}}
	}
	for _, c := range []struct {
		name string
		from *client
		m    *signaling.Message
		code signaling.ErrorCode
	}{
		{"another user transfers", eve, xfer("carol"), signaling.CodeUnknownCall},
		{"another user parks", eve, &signaling.Message{Type: signaling.TypePark, CallID: "c1"}, signaling.CodeUnknownCall},
		{"no such call", bob, &signaling.Message{Type: signaling.TypeTransfer, CallID: "nope", Control: &signaling.CallControl{Mode: signaling.TransferBlind, Target: "carol"}}, signaling.CodeUnknownCall},
		{"to oneself", bob, xfer("bob"), signaling.CodeNotAllowed},
		{"to the other party", bob, xfer("alice"), signaling.CodeNotAllowed},
		{"to an unknown user", bob, xfer("nobody"), signaling.CodeUnknownUser},
		{"consult without a consult call", bob, &signaling.Message{Type: signaling.TypeTransfer, CallID: "c1", Control: &signaling.CallControl{Mode: signaling.TransferConsult, Consult: "c9"}}, signaling.CodeNotAllowed},
		{"move with no call elsewhere", carol, &signaling.Message{Type: signaling.TypeMoveCall}, signaling.CodeUnknownCall},
		{"move onto a device in the call", bob, &signaling.Message{Type: signaling.TypeMoveCall}, signaling.CodeBusy},
		{"pickup of no code", carol, &signaling.Message{Type: signaling.TypePickup, Control: &signaling.CallControl{Code: "123456"}}, signaling.CodeUnknownCode},
		{"pickup of no code again", carol, &signaling.Message{Type: signaling.TypePickup, Control: &signaling.CallControl{Code: "234567"}}, signaling.CodeUnknownCode},
		{"pickup over the guess limit", carol, &signaling.Message{Type: signaling.TypePickup, Control: &signaling.CallControl{Code: "345678"}}, signaling.CodeRateLimited},
		{"policy: transfer", dave, &signaling.Message{Type: signaling.TypeTransfer, CallID: "c1", Control: &signaling.CallControl{Mode: signaling.TransferBlind, Target: "carol"}}, signaling.CodePolicy},
		{"policy: park", dave, &signaling.Message{Type: signaling.TypePark, CallID: "c1"}, signaling.CodePolicy},
		{"policy: pickup", dave, &signaling.Message{Type: signaling.TypePickup, Control: &signaling.CallControl{Code: "123456"}}, signaling.CodePolicy},
		{"policy: move", dave, &signaling.Message{Type: signaling.TypeMoveCall}, signaling.CodePolicy},
	} {
		c.m.ID = "r"
		c.from.send(c.m)
		if e := c.from.expectError(c.code); e.Error.Ref != "r" || e.Error.Message == "" {
			t.Errorf("%s: %+v", c.name, e.Error)
		}
	}
	// A client cannot ring anyone for call control.
	eve.send(&signaling.Message{Type: signaling.TypeInvite, To: "carol", CallID: "fake", Control: &signaling.CallControl{State: signaling.StateTransferring, By: "bob"}})
	eve.expectError(signaling.CodeNotAllowed)
	for _, c := range []*client{alice, bob, carol} {
		c.expectQuiet()
	}
	// Nothing changed: the call is there and bob may still transfer it.
	bob.send(xfer("carol"))
	bob.control(signaling.StateTransferring)
	carol.expect(signaling.TypeInvite)
}

// TestCallControlPolicyAllows: a user whose policy allows park may pick
// up one whose parker is allowed, but not transfer; one whose policy
// allows transfer may transfer, but not park; the Global policy's settings apply to
// users without a grant (both allowed and disallowed are tested in
// TestCallControlRefusals and here).
func TestCallControlPolicyAllows(t *testing.T) {
	t.Parallel()
	o, pol := controlOrg(t, Config{})
	grant(t, pol, "carol", mayPark()) // may park and pick up, not transfer
	alice, _ := o.connect("alice")
	carol, _ := o.connect("carol")
	standardCall(alice, carol, "c1")
	carol.send(&signaling.Message{Type: signaling.TypeTransfer, CallID: "c1", Control: &signaling.CallControl{Mode: signaling.TransferBlind, Target: "bob"}})
	carol.expectError(signaling.CodePolicy)
	code := parkAway(carol, alice, "c1")
	carol.send(&signaling.Message{Type: signaling.TypePickup, Control: &signaling.CallControl{Code: code}})
	carol.control(signaling.StatePickedUp)
	alice.control(signaling.StatePickedUp)

	// And the other way round: transfer allowed, park not.
	grant(t, pol, "dave", mayTransfer())
	eve, _ := o.connect("eve")
	dave, _ := o.connect("dave")
	bob, _ := o.connect("bob")
	standardCall(eve, dave, "c2")
	dave.send(&signaling.Message{Type: signaling.TypePark, CallID: "c2"})
	dave.expectError(signaling.CodePolicy)
	dave.send(&signaling.Message{Type: signaling.TypeTransfer, CallID: "c2", Control: &signaling.CallControl{Mode: signaling.TransferBlind, Target: "bob"}})
	dave.control(signaling.StateTransferring)
	bob.expect(signaling.TypeInvite)
}

// TestCallControlInE2EECall: transfer, park and move are refused in an
// end-to-end encrypted call with e2ee-call; the media service never
// sees it.
func TestCallControlInE2EECall(t *testing.T) {
	t.Parallel()
	o, _ := controlOrg(t, Config{})
	alice, _ := o.connect("alice")
	bob, _ := o.connect("bob")
	bob2, _ := o.connect("bob")
	alice.send(&signaling.Message{Type: signaling.TypeInvite, To: "bob", CallID: "s1", E2EE: true})
	bob.expect(signaling.TypeInvite)
	bob2.expect(signaling.TypeInvite)
	bob.send(&signaling.Message{Type: signaling.TypeAccept, CallID: "s1", E2EE: true, E2EECall: true})
	alice.expect(signaling.TypeAccept)
	bob2.hangup(signaling.ReasonAnsweredElsewhere)
	for _, m := range []*signaling.Message{
		{Type: signaling.TypeTransfer, CallID: "s1", Control: &signaling.CallControl{Mode: signaling.TransferBlind, Target: "carol"}},
		{Type: signaling.TypeTransfer, CallID: "s1", Control: &signaling.CallControl{Mode: signaling.TransferSafe, Target: "carol"}},
		{Type: signaling.TypePark, CallID: "s1"},
	} {
		bob.send(m)
		bob.expectError(signaling.CodeE2EECall)
	}
	bob2.send(&signaling.Message{Type: signaling.TypeMoveCall})
	bob2.expectError(signaling.CodeE2EECall)
	bob2.send(&signaling.Message{Type: signaling.TypeMoveCall, Control: &signaling.CallControl{Companion: true}})
	bob2.expectError(signaling.CodeE2EECall)
	alice.expectQuiet()
}

// TestCallControlUnauthenticated: before hello nothing is acted on, and
// a hello without a valid session is refused.
func TestCallControlUnauthenticated(t *testing.T) {
	t.Parallel()
	o, _ := controlOrg(t, Config{})
	for _, first := range []string{
		`{"type":"pickup","id":"p","control":{"code":"123456"}}`,
		`{"type":"hello","token":"not-a-session"}`,
	} {
		ws := rawDial(t, o.srv)
		rawWrite(t, ws, websocket.MessageText, first)
		m, err := rawNext(testCtx(t), t, ws)
		if err != nil || m.Type != signaling.TypeError ||
			(m.Error.Code != signaling.CodeHelloRequired && m.Error.Code != signaling.CodeUnauthorized) {
			t.Fatalf("%s: reply %+v %v", first, m, err)
		}
		_ = ws.Close(websocket.StatusNormalClosure, "")
	}
}

// TestSafeTransferNoAnswerRingsBack: a target who lets it ring out (the
// ring ends by itself) rings the transferor back; the target's devices
// stop with no-answer; a ring back that rings out too ends alice's call.
func TestSafeTransferNoAnswerRingsBack(t *testing.T) {
	t.Parallel()
	c := setupControl(t, withoutMedia(), withServer(Config{ControlRingTimeout: 200 * time.Millisecond}))
	alice, bob, carol := c.alice, c.bob, c.carol
	transferAway(bob, alice, "c1", signaling.TransferSafe, "carol")
	carol.expect(signaling.TypeInvite)
	carol.hangup(signaling.ReasonNoAnswer)
	if n := alice.control(signaling.StateRingback); n.Reason != signaling.ReasonNoAnswer {
		t.Fatalf("alice told %+v", n)
	}
	bob.expect(signaling.TypeInvite)
	bob.hangup(signaling.ReasonNoAnswer)
	alice.control(signaling.StateTransferFailed)
	alice.hangup(signaling.ReasonNoAnswer)
}

// TestConsultReturnsToTheHeldCall: instead of completing, bob ends the
// consult call and resumes alice's: they hear each other again, and a
// consult transfer is no longer possible.
func TestConsultReturnsToTheHeldCall(t *testing.T) {
	t.Parallel()
	c := setupControl(t)
	bob, carol, pa, ctx := c.bob, c.carol, c.pa, c.ctx
	bob.send(&signaling.Message{Type: signaling.TypeHold, CallID: "c1", Held: true})
	standardCall(bob, carol, "c2")       // the consult call
	pa.ExpectNotHears(ctx, "bob", "bob") // alice hears the music meanwhile

	bob.send(&signaling.Message{Type: signaling.TypeHangup, CallID: "c2", Reason: signaling.ReasonHangup})
	carol.hangup(signaling.ReasonHangup)
	bob.send(&signaling.Message{Type: signaling.TypeHold, CallID: "c1"})
	pa.ExpectHears(ctx, "bob", "bob")
	c.pb.ExpectHears(ctx, "alice", "alice")
	bob.send(&signaling.Message{Type: signaling.TypeTransfer, CallID: "c1", Control: &signaling.CallControl{Mode: signaling.TransferConsult, Consult: "c2"}})
	bob.awaitError(signaling.CodeNotAllowed)
}
