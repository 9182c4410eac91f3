package app

import (
	"slices"
	"strings"
	"testing"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/server/org/orgtest"
	"github.com/parley-voip/parley/server/recording/recordingtest"
)

func (e *events) sawNotice(sub string) bool {
	return slices.ContainsFunc(e.notices, func(n string) bool { return strings.Contains(n, sub) })
}

// TestRecordingIndicator: in a standard call, a recording started by one
// party shows on both call screens (CallInfo.Recording) with a notice, a
// refusal comes back as a notice with the server's reason and leaves the
// call up, and either party stops it.
func TestRecordingIndicator(t *testing.T) {
	t.Parallel()
	media := recordingtest.NewMedia()
	url := orgtest.Start(t, org.Config{Local: true, RecordingMedia: media}).Server.URL()
	alice := startUser(t, url, "alice", false, audio.Chirp())
	bob := startUser(t, url, "bob", false, audio.Chirp())
	ca, _ := placeCall(t, alice, bob)
	if ca.Ended() {
		t.Fatalf("call ended: %s", ca.EndMessage())
	}

	alice.StartRecording() // the media service does not carry the call yet
	alice.ev.waitFor(t, "refusal notice", func(e *events) bool { return e.sawNotice("media service") })
	if c := alice.ev.lastCall(); c.Ended() || c.Recording {
		t.Fatalf("after a refusal: %+v", c)
	}

	media.Carry(ca.ID)
	alice.StartRecording()
	for _, u := range []*testUser{alice, bob} {
		c := u.ev.waitCall(t, "recording shown", func(c CallInfo) bool { return c.Recording })
		if c.RecordingID == "" || c.RecordingBy == "" {
			t.Fatalf("%s: %+v", u.Me().ID, c)
		}
		u.ev.waitFor(t, "recording notice", func(e *events) bool { return e.sawNotice("started recording") })
	}
	bob.StopRecording()
	for _, u := range []*testUser{alice, bob} {
		u.ev.waitCall(t, "recording gone", func(c CallInfo) bool { return !c.Recording && !c.Ended() })
		u.ev.waitFor(t, "stopped notice", func(e *events) bool { return e.sawNotice(NoticeRecordingStopped) })
	}
	bob.Hangup()
	alice.ev.waitCall(t, "ended", CallInfo.Ended)
}
