package app

import (
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/netsim"
	"github.com/parley-voip/parley/media/audio"
)

// withSetupTimeout bounds the user's call set-up.
func withSetupTimeout(d time.Duration) userOption {
	return func(c *Config) { c.SetupTimeout = d }
}

// withReportsEvery sets how often the user's calls report their media,
// which is also when the media watchdog looks (mediawatch.go).
func withReportsEvery(d time.Duration) userOption {
	return func(c *Config) { c.MediaReportInterval = d }
}

// A call whose network lets nothing through (here the Windows case: no
// UDP and no TURN server) is answered, and with E2EE its keys are agreed
// over signaling, but alice has no media path. Her call must never show
// as connected (Active, its timer running) and must end as a failed
// connection. On the direct path (E2EE) bob has no path either; a
// standard call goes through the media service, to which bob's own path
// is up: his side of it is Active.
func TestCallWithNoMediaPathNeverShowsActive(t *testing.T) {
	eachPath(t, func(t *testing.T, tc pathCase) {
		url := startServer(t) // no TURN server
		alice := startUser(t, url, "alice", tc.e2ee, audio.Chirp(), withRTC(withoutUDP(t)), withSetupTimeout(4*time.Second))
		bob := startUser(t, url, "bob", tc.e2ee, audio.Chirp())
		ca, _ := placeCall(t, alice, bob)
		if !ca.Ended() {
			t.Fatalf("a call without a media path became active: %v", ca.State)
		}
		alice.endsWith(t, EndConnectionFailed)
		bob.endsWith(t, EndRemoteHangup) // told by alice's hangup "error"
		noPath := []*testUser{alice}
		if tc.e2ee {
			noPath = append(noPath, bob)
		}
		for _, u := range noPath {
			if u.ev.everShown(func(c CallInfo) bool { return c.State == CallActive || !c.Started.IsZero() || c.AudioReceived }) {
				t.Fatalf("%s's call showed as connected without a media path", u.Me().ID)
			}
		}
		if tc.e2ee && !alice.ev.everShown(func(c CallInfo) bool { return c.State == CallSecuring && c.E2EE && c.Code != "" }) {
			// The point of the E2EE case: the keys were agreed, which
			// used to be enough to show the call as connected.
			t.Fatal("the E2EE key agreement did not complete; the test shows nothing")
		}
		if !tc.e2ee && !ca.ViaService {
			t.Fatal("the standard call did not go through the media service")
		}
	})
}

// A call whose media stops mid-call while ICE has not noticed yet (its
// timeouts here are longer than the outage): the watchdog sees no frame
// arrive, the call screen says so, the caller restarts ICE, and once the
// network is back the audio returns and the line goes. The call, its keys
// and its code carry on.
func TestCallThatLosesItsMediaShowsNoAudioUntilItRecovers(t *testing.T) {
	w := netsim.New(t)
	o := startTURNOrg(t, natTURN(w))
	url := o.Server.URL()
	const slowICE = 30 * time.Second
	watch := withReportsEvery(250 * time.Millisecond)
	alice := startUser(t, url, "alice", true, audio.Chirp(), withRTC(onNetICE(w.A, slowICE, slowICE)), watch)
	bob := startUser(t, url, "bob", true, audio.Chirp(), withRTC(onNetICE(w.B, slowICE, slowICE)), watch)
	ca, cb := placeCall(t, alice, bob)
	if !ca.E2EE || !cb.E2EE {
		t.Fatalf("want an E2EE call: %s / %s", ca.EndMessage(), cb.EndMessage())
	}
	assertHears(t, "bob hears alice before the outage", bob)
	assertHears(t, "alice hears bob before the outage", alice)
	if alice.ev.everShown(func(c CallInfo) bool { return c.NoAudio }) {
		t.Fatal("the watchdog fired on a call with audio flowing")
	}

	both := []*testUser{alice, bob}
	seen := counts(both)
	w.CutA(true)
	cut := time.Now()
	for i, c := range waitEach(t, both, seen, "notices the audio is gone", func(c CallInfo) bool { return c.NoAudio }) {
		if c.Ended() || c.State != CallActive || !c.Reconnecting {
			t.Fatalf("%s: ended=%v state=%v reconnecting=%v: %s", both[i].Me().ID, c.Ended(), c.State, c.Reconnecting, c.EndMessage())
		}
	}
	t.Logf("no audio noticed %v after the cut", time.Since(cut).Round(time.Millisecond))
	for _, u := range both {
		// Not even for one snapshot: the screen would say "no audio"
		// without "reconnecting".
		if u.ev.everShown(func(c CallInfo) bool { return c.NoAudio && !c.Reconnecting && !c.Ended() }) {
			t.Fatalf("%s showed no audio without reconnecting", u.Me().ID)
		}
	}
	time.Sleep(time.Until(cut.Add(outage)))
	if alice.restarts() == 0 {
		t.Fatal("the caller made no ICE restart for a call without audio")
	}
	seen = counts(both)
	w.CutA(false)
	back := time.Now()
	for i, c := range waitEach(t, both, seen, "has audio again", func(c CallInfo) bool { return !c.NoAudio && !c.Reconnecting }) {
		if c.Ended() || c.State != CallActive || !c.E2EE || c.Code != ca.Code {
			t.Fatalf("%s after the outage: ended=%v state=%v e2ee=%v code %q (was %q): %s", both[i].Me().ID, c.Ended(), c.State, c.E2EE, c.Code, ca.Code, c.EndMessage())
		}
	}
	t.Logf("line cleared %v after the network returned; restarts: alice %d, bob %d", time.Since(back).Round(time.Millisecond), alice.restarts(), bob.restarts())
	assertHears(t, "bob hears alice after the outage", bob)
	assertHears(t, "alice hears bob after the outage", alice)
	for _, u := range []*testUser{alice, bob} {
		if c := u.ev.lastCall(); c.NoAudio || c.Reconnecting {
			t.Fatalf("%s shows no audio while it hears: %+v", u.Me().ID, c)
		}
	}
	alice.Hangup()
	alice.endsWith(t, EndHangup)
	bob.endsWith(t, EndRemoteHangup)
}

// counts is how many call snapshots each user has reported so far.
func counts(us []*testUser) []int {
	n := make([]int, len(us))
	for i, u := range us {
		n[i] = u.ev.count()
	}
	return n
}

// waitEach waits, for each user, for a call snapshot newer than its first
// seen[i] that satisfies cond or has ended, and returns them.
func waitEach(t testing.TB, us []*testUser, seen []int, what string, cond func(CallInfo) bool) []CallInfo {
	t.Helper()
	got := make([]CallInfo, len(us))
	for i, u := range us {
		got[i] = u.ev.waitCallAfter(t, seen[i], u.Me().ID+" "+what, func(c CallInfo) bool { return cond(c) || c.Ended() })
	}
	return got
}

// Silence is not an outage: while one side holds the call or both are
// muted, frames still arrive (DTX's comfort noise every 400 ms; through
// the media service, hold music), or none are expected (the holder,
// through the service), and the watchdog says nothing on either side.
func TestNoAudioWatchdogIsQuietOnHoldAndMute(t *testing.T) {
	eachPath(t, func(t *testing.T, tc pathCase) {
		url := startServer(t)
		watch := withReportsEvery(250 * time.Millisecond)
		alice := startUser(t, url, "alice", tc.e2ee, audio.Chirp(), watch)
		bob := startUser(t, url, "bob", tc.e2ee, audio.Chirp(), watch)
		ca, _ := placeCall(t, alice, bob)
		if ca.Ended() || ca.ViaService == tc.e2ee {
			t.Fatalf("the call is not on the path under test: %+v", ca)
		}
		assertHears(t, "alice hears bob", alice)
		quiet := 3 * noAudioAfter // a dozen reports
		bob.SetHeld(true)
		alice.ev.waitCall(t, "alice sees bob's hold", func(c CallInfo) bool { return c.PeerHeld || c.OnHold || c.Ended() })
		time.Sleep(quiet)
		bob.SetHeld(false)
		alice.SetMuted(true)
		bob.SetMuted(true)
		time.Sleep(quiet)
		for _, u := range []*testUser{alice, bob} {
			if u.ev.everShown(func(c CallInfo) bool { return c.NoAudio || c.Reconnecting }) {
				t.Fatalf("%s: the watchdog took hold or mute for lost audio", u.Me().ID)
			}
			if c := u.ev.lastCall(); c.State != CallActive {
				t.Fatalf("%s's call: %v %s", u.Me().ID, c.State, c.EndMessage())
			}
		}
		alice.Hangup()
		alice.endsWith(t, EndHangup)
		bob.endsWith(t, EndRemoteHangup)
	})
}

// pathCase is a call path a test runs on: E2EE calls go direct, standard
// ones through the media service.
type pathCase struct {
	name string
	e2ee bool
}

// eachPath runs f on both call paths, in parallel subtests.
func eachPath(t *testing.T, f func(*testing.T, pathCase)) {
	for _, tc := range []pathCase{{"E2EE direct", true}, {"standard through the media service", false}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f(t, tc)
		})
	}
}
