package app

import (
	"bytes"
	"errors"
	"io"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/opus"
	"github.com/parley-voip/parley/server/org"
	"github.com/pion/webrtc/v4/pkg/media/oggreader"
)

// serviceUsers starts a local organization and signs in ids, silent
// unless speaking, without E2EE unless e2eeUsers.
func serviceUsers(t *testing.T, ids []string, opts ...serviceOption) (*org.Org, []*testUser) {
	t.Helper()
	var set serviceSetup
	for _, o := range opts {
		o(&set)
	}
	o := startOrg(t, true)
	var us []*testUser
	for _, id := range ids {
		src := audio.Silence()
		if slices.Contains(set.speaking, id) {
			src = audio.Chirp()
		}
		us = append(us, startUser(t, o.Server.URL(), id, set.e2ee, src))
	}
	return o, us
}

type serviceSetup struct {
	e2ee     bool
	speaking []string
}

// serviceOption changes what serviceUsers signs in.
type serviceOption func(*serviceSetup)

// speaking gives ids a chirp to send, so that what others hear names them.
func speaking(ids ...string) serviceOption {
	return func(s *serviceSetup) { s.speaking = append(s.speaking, ids...) }
}

// e2eeUsers signs everyone in wanting end-to-end encrypted calls.
func e2eeUsers() serviceOption { return func(s *serviceSetup) { s.e2ee = true } }

func feature(c CallInfo, f Feature) FeatureState {
	for _, st := range c.Features {
		if st.Feature == f {
			return st
		}
	}
	return FeatureState{}
}

func hasParticipants(n int) func(CallInfo) bool {
	return func(c CallInfo) bool { return len(c.Participants) == n }
}

// A standard 1:1 call goes through the media service from its first
// packet, and the call screen's features say what it can do.
func TestStandardCallThroughMediaService(t *testing.T) {
	t.Parallel()
	o, us := serviceUsers(t, []string{"alice", "bob"}, speaking("alice", "bob"))
	alice, bob := us[0], us[1]
	ca, cb := placeCall(t, alice, bob)
	for _, c := range []CallInfo{ca, cb} {
		if !c.ViaService || c.E2EE {
			t.Fatalf("call not through the media service: %+v", c)
		}
		for _, f := range []Feature{FeatureAddParticipant, FeatureMerge} {
			if !feature(c, f).Available {
				t.Errorf("%s unavailable in a standard call through the service: %+v", f.Name(), feature(c, f))
			}
		}
		if st := feature(c, FeatureRecording); st.Available != alice.ev.lastPolicy().RecordingAllowed || st.Reason == ReasonE2EE {
			t.Errorf("recording: %+v", st)
		}
		if st := feature(c, FeatureTransfer); !st.Available {
			t.Errorf("transfer: %+v", st)
		}
	}
	assertHears(t, "bob hears alice", bob)
	assertHears(t, "alice hears bob", alice)
	// The app sends RFC 6464 levels, which the roster's "speaking" comes from.
	if st := o.Media.Stats(); st.PeerConnections != 2 || st.Forwarded == 0 || st.LevelPackets == 0 {
		t.Fatalf("media service stats %+v", st)
	}
	alice.ev.waitCall(t, "roster of two", hasParticipants(2))
	alice.Hangup()
	bob.endsWith(t, EndRemoteHangup)
}

// An E2EE call keeps the direct path: the service never sees it, and the
// features it would need are unavailable with the reason.
func TestE2EECallNeverTouchesMediaService(t *testing.T) {
	t.Parallel()
	o, us := serviceUsers(t, []string{"alice", "bob"}, speaking("alice", "bob"), e2eeUsers())
	alice, bob := us[0], us[1]
	ca, _ := placeCall(t, alice, bob)
	if !ca.E2EE || ca.ViaService {
		t.Fatalf("want a direct E2EE call: %+v", ca)
	}
	for _, f := range []Feature{FeatureAddParticipant, FeatureMerge} {
		if st := feature(ca, f); st.Available || st.Reason != ReasonE2EE {
			t.Errorf("%s in an E2EE call: %+v", f.Name(), st)
		}
	}
	assertHears(t, "bob hears alice", bob)
	alice.AddPeople("carol")
	alice.ev.waitFor(t, "a notice that add people is unavailable", func(e *events) bool {
		return slices.Contains(e.notices, FeatureAddParticipant.Name()+": "+ReasonE2EE)
	})
	if st := o.Media.Stats(); st.PeerConnections != 0 {
		t.Fatalf("the media service saw the E2EE call: %+v", st)
	}
}

// Adding a person to a 1:1 standard call makes a three-person call on the
// same connections: the two hear each other throughout, the newcomer hears
// them mixed.
func TestAddPeopleToStandardCall(t *testing.T) {
	t.Parallel()
	// Alice speaks, Bob and Carol are silent: what each of them hears is
	// her chirp, through the mixer (every direction of a three-person call
	// is checked source by source in server/sfu's TestAddPeopleMakesAGroupCall;
	// the mixer of a second sender in TestMergeHeldAndActiveCalls).
	_, us := serviceUsers(t, []string{"alice", "bob", "carol"}, speaking("alice"))
	alice, bob, carol := us[0], us[1], us[2]
	placeCall(t, alice, bob)
	assertHears(t, "bob hears alice", bob)

	alice.sees(t, "carol", PresenceOnline)
	alice.AddPeople("carol")
	inv := carol.ev.waitCall(t, "carol invited", func(c CallInfo) bool { return c.State == CallIncoming })
	if !inv.Group || inv.Peer.ID != "alice" {
		t.Fatalf("invite %+v", inv)
	}
	carol.Accept()
	for _, u := range []*testUser{alice, bob, carol} {
		c := u.ev.waitCall(t, u.Me().ID+" sees three participants", hasParticipants(3))
		if u != carol && !c.Group {
			t.Errorf("%s: not shown as a group call", u.Me().ID)
		}
	}
	assertHears(t, "bob still hears alice", bob)
	assertHears(t, "carol hears alice", carol)
	// Who speaks: the roster says alice does, bob not.
	bob.ev.waitCall(t, "alice shown speaking", func(c CallInfo) bool {
		return slices.ContainsFunc(c.Participants, func(p Participant) bool { return p.ID == "alice" && p.Speaking }) &&
			slices.ContainsFunc(c.Participants, func(p Participant) bool { return p.ID == "bob" && p.Me && !p.Speaking })
	})
	// Anyone can leave; the others go on.
	bob.Hangup()
	alice.ev.waitCall(t, "two left", hasParticipants(2))
	assertHears(t, "carol hears alice after bob left", carol)
}

// holdMusic decodes the service's hold music asset (two periods' worth,
// for NCC against a looping signal).
func holdMusic(t *testing.T) []int16 {
	t.Helper()
	b, err := os.ReadFile("../server/sfu/holdmusic.opus")
	if err != nil {
		t.Fatal(err)
	}
	rd, _, err := oggreader.NewWith(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	dec, err := opus.NewDecoder(audio.SampleRate, audio.Channels)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	var out []int16
	pcm := make([]int16, 5760)
	for {
		page, _, err := rd.ParseNextPage()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if bytes.HasPrefix(page, []byte("OpusTags")) {
			continue
		}
		n, err := dec.Decode(page, pcm)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, pcm[:n]...)
	}
	return append(out, out...)
}

// Hold: the held side sees "On hold" and hears the music, the one holding
// hears nothing of the call; resume brings the voice back.
func TestHoldPlaysMusicToTheOtherSide(t *testing.T) {
	t.Parallel()
	_, us := serviceUsers(t, []string{"alice", "bob"}, speaking("alice", "bob"))
	alice, bob := us[0], us[1]
	placeCall(t, alice, bob)
	assertHears(t, "bob hears alice", bob)
	alice.SetHeld(true)
	bob.ev.waitCall(t, "bob sees on hold", func(c CallInfo) bool { return c.OnHold })
	alice.ev.waitCall(t, "alice holds", func(c CallInfo) bool { return c.Held })
	assertHearsRef(t, "bob hears the hold music", bob, holdMusic(t))
	assertSilent(t, "alice, holding, hears bob", alice)
	alice.SetHeld(false)
	bob.ev.waitCall(t, "bob sees the hold end", func(c CallInfo) bool { return !c.OnHold })
	assertHears(t, "bob hears alice again", bob)
}

// Merge: Alice holds her call with Bob, calls Carol, and merges the two.
func TestMergeHeldAndActiveCalls(t *testing.T) {
	t.Parallel()
	_, us := serviceUsers(t, []string{"alice", "bob", "carol"}, speaking("bob"))
	alice, bob, carol := us[0], us[1], us[2]
	placeCall(t, alice, bob)
	assertHears(t, "alice hears bob", alice)
	alice.SetHeld(true)
	bob.ev.waitCall(t, "bob on hold", func(c CallInfo) bool { return c.OnHold })

	seenA, seenC := alice.ev.count(), carol.ev.count()
	ca, _ := placeCallAfter(t, alice, carol, seenA, seenC)
	if ca.HeldCall == nil || ca.HeldCall.Peer.ID != "bob" {
		t.Fatalf("alice's second call does not show the held one: %+v", ca.HeldCall)
	}
	alice.Merge()
	bob.ev.waitCall(t, "bob moved into the merged call", func(c CallInfo) bool { return c.ID == ca.ID && len(c.Participants) == 3 })
	carol.ev.waitCall(t, "carol sees three", hasParticipants(3))
	assertHears(t, "carol hears bob", carol)
	assertHears(t, "alice hears bob in the merged call", alice)
}

// A standard call's media does not need the signaling link: when it drops
// and comes back (resume), the call goes on through the service.
func TestStandardCallSurvivesLostLink(t *testing.T) {
	t.Parallel()
	url := startServerGrace(t, time.Minute)
	alice := startUser(t, url, "alice", false, audio.Chirp())
	bob := startUser(t, url, "bob", false, audio.Chirp())
	ca, _ := placeCall(t, alice, bob)
	if !ca.ViaService {
		t.Fatalf("not through the media service: %+v", ca)
	}
	bob.ev.waitCall(t, "bob's first audio", func(c CallInfo) bool { return c.AudioReceived })
	survivesLostLink(t, alice, bob)
	// The service still reaches bob: a hold from alice shows on his new link.
	alice.SetHeld(true)
	bob.ev.waitCall(t, "bob sees on hold after the resume", func(c CallInfo) bool { return c.OnHold })
}

// Recording through the organization's real media service: the call's
// forwarded packets reach the recorder, from both participants.
func TestRecordingThroughMediaService(t *testing.T) {
	t.Parallel()
	o, us := serviceUsers(t, []string{"alice", "bob"}, speaking("alice", "bob"))
	alice, bob := us[0], us[1]
	ca, _ := placeCall(t, alice, bob)
	assertHears(t, "bob hears alice", bob)
	if st := feature(ca, FeatureRecording); st.Available != alice.ev.lastPolicy().RecordingAllowed {
		t.Fatalf("recording %+v with policy %+v", st, alice.ev.lastPolicy())
	}
	if !alice.ev.lastPolicy().RecordingAllowed {
		t.Skip("the local organization's policy does not allow recording")
	}
	alice.StartRecording()
	for _, u := range []*testUser{alice, bob} {
		u.ev.waitCall(t, u.Me().ID+" sees the recording", func(c CallInfo) bool { return c.Recording })
	}
	assertHears(t, "alice hears bob while recording", alice)
	st, ok := o.Recordings.Stats(ca.ID)
	if !ok || st.Written < 100 {
		t.Fatalf("recorder stats %+v (%v): the service's packets did not reach it", st, ok)
	}
	bob.StopRecording()
	alice.ev.waitCall(t, "recording stopped", func(c CallInfo) bool { return !c.Recording && !c.Ended() })
}

func (e *events) lastPolicy() Policy {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.policy == nil {
		return Policy{}
	}
	return *e.policy
}
