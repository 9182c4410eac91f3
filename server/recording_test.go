package server

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/parley-voip/parley/server/policy"
	"github.com/parley-voip/parley/server/recording"
	"github.com/parley-voip/parley/server/recording/recordingtest"
	"github.com/parley-voip/parley/server/store/storetest"
	"github.com/parley-voip/parley/signaling"
)

// recordingOrg is an organization whose calls can be recorded on a
// stand-in media service; the Global policy is as the caller sets it.
func recordingOrg(t *testing.T, global policy.Policy) (*org, *recordingtest.Media) {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t)
	kr, reload := recordingtest.Keys(t)
	pol, err := policy.NewService(policy.Config{Store: policy.NewMemStore()})
	if err != nil {
		t.Fatal(err)
	}
	if err := pol.UpdatePolicy(ctx, global); err != nil {
		t.Fatal(err)
	}
	media := recordingtest.NewMedia()
	recs, err := recording.New(ctx, recording.Config{DB: db.SQL(), Dir: filepath.Join(t.TempDir(), "rec"), Keys: kr, Reload: reload, Media: media, Policies: pol})
	if err != nil {
		t.Fatal(err)
	}
	o := startOrgWith(t, Config{ResumeGrace: time.Hour}, []Option{WithRecordings(recs)}, "alice", "bob", "carol", "admin")
	recs.Register(o.srv.Mux(), o.acc.Middleware)
	return o, media
}

// get fetches path with token and returns the status and body.
func (o *org) get(path, token string) (int, []byte) {
	o.t.Helper()
	resp := o.do(http.MethodGet, path, token, nil)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// expectPast returns the next message other than a call-record (the
// history of an ended call is pushed in the background, in any order with
// what follows) and checks its type.
func expectPast(c *client, typ signaling.Type) *signaling.Message {
	c.t.Helper()
	for {
		m := c.next()
		if m.Type == signaling.TypeCallRecord {
			continue
		}
		if m.Type != typ {
			c.t.Fatalf("%s got %s %+v (error %+v), want %s", c.id, m.Type, m, m.Error, typ)
		}
		return m
	}
}

func expectRecording(c *client, active bool, by string) *signaling.RecordingInfo {
	c.t.Helper()
	m := expectPast(c, signaling.TypeRecording)
	if m.Recording.Active != active || m.Recording.By != by {
		c.t.Fatalf("%s: recording %+v, want active=%v by %s", c.id, m.Recording, active, by)
	}
	return m.Recording
}

// TestRecordAStandardCall: a party starts recording and both are told;
// someone outside the call cannot start, stop or read it; the other party
// stops it, gets the recording in the chat and downloads it; only the
// starter and an admin may delete it; it is in the call's history.
func TestRecordAStandardCall(t *testing.T) {
	t.Parallel()
	o, media := recordingOrg(t, policy.DefaultGlobal())
	alice, aliceS := o.connect("alice")
	bob, bobS := o.connect("bob")
	carol, carolS := o.connect("carol")
	adminS := o.signIn("admin")
	setupCall(alice, bob, "c1")
	media.Carry("c1")

	carol.send(&signaling.Message{Type: signaling.TypeRecordStart, ID: "x", CallID: "c1"})
	carol.expectError(signaling.CodeUnknownCall)
	alice.send(&signaling.Message{Type: signaling.TypeRecordStart, CallID: "nope"})
	alice.expectError(signaling.CodeUnknownCall)

	alice.send(&signaling.Message{Type: signaling.TypeRecordStart, ID: "r1", CallID: "c1"})
	started := expectRecording(alice, true, "alice")
	if got := expectRecording(bob, true, "alice"); got.ID != started.ID || got.Started == 0 {
		t.Fatalf("bob was told %+v, alice %+v", got, started)
	}
	bob.send(&signaling.Message{Type: signaling.TypeRecordStart, CallID: "c1"})
	if e := bob.expectError(signaling.CodeNotAllowed); !strings.Contains(e.Error.Message, "already") {
		t.Fatalf("second start: %+v", e.Error)
	}
	carol.send(&signaling.Message{Type: signaling.TypeRecordStop, CallID: "c1"})
	carol.expectError(signaling.CodeUnknownCall)

	tap := media.Tap("c1")
	for i, u := range []string{"alice", "bob"} {
		s := recordingtest.NewSender(u, uint32(i+1), [][]byte{{0xf8, 0xff, 0xfe}, {0xf8, 0xff, 0xfe}})
		tap.Joined(s.P)
		for s.Send(tap) {
		}
	}
	bob.send(&signaling.Message{Type: signaling.TypeRecordStop, CallID: "c1"})
	expectRecording(alice, false, "bob")
	expectRecording(bob, false, "bob")
	chatMsg := bob.expect(signaling.TypeChat).Chat
	if chatMsg.From != "alice" || chatMsg.CallID != "c1" || !strings.Contains(chatMsg.Text, "/api/recordings/"+started.ID) {
		t.Fatalf("chat %+v", chatMsg)
	}

	base := "/api/recordings/" + started.ID
	for _, c := range []struct {
		name, path, token string
		want              int
	}{
		{"unauthenticated", base, "", http.StatusUnauthorized},
		{"unauthenticated track", base + "/tracks/0", "", http.StatusUnauthorized},
		{"not a participant", base, carolS.Token, http.StatusNotFound},
		{"not a participant's track", base + "/tracks/0", carolS.Token, http.StatusNotFound},
		{"admin who was not in the call", base + "/tracks/0", adminS.Token, http.StatusNotFound},
		{"participant", base, bobS.Token, http.StatusOK},
		{"no such track", base + "/tracks/9", bobS.Token, http.StatusNotFound},
		{"bad track number", base + "/tracks/-1", bobS.Token, http.StatusNotFound},
		{"no such recording", "/api/recordings/recnope", aliceS.Token, http.StatusNotFound},
	} {
		if got, body := o.get(c.path, c.token); got != c.want {
			t.Errorf("%s: GET %s = %d %s, want %d", c.name, c.path, got, body, c.want)
		}
	}
	for n := range 2 {
		code, body := o.get(base+"/tracks/"+string(rune('0'+n)), bobS.Token)
		if code != http.StatusOK || !strings.HasPrefix(string(body), "OggS") {
			t.Fatalf("bob downloads track %d: %d %q", n, code, body[:min(len(body), 8)])
		}
	}
	var list struct{ Recordings []recording.Info }
	if o.api("GET", "/api/recordings", carolS.Token, nil, &list); len(list.Recordings) != 0 {
		t.Fatalf("carol lists %+v", list)
	}
	if o.api("GET", "/api/recordings", bobS.Token, nil, &list); len(list.Recordings) != 1 {
		t.Fatalf("bob lists %+v", list)
	}

	alice.send(&signaling.Message{Type: signaling.TypeHangup, CallID: "c1", Reason: signaling.ReasonHangup})
	bob.expect(signaling.TypeHangup)
	var hist struct{ Calls []signaling.CallRecord }
	deadline := time.Now().Add(testTimeout)
	for o.api("GET", "/api/calls", aliceS.Token, nil, &hist); len(hist.Calls) == 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond) // history is written in the background
		o.api("GET", "/api/calls", aliceS.Token, nil, &hist)
	}
	if len(hist.Calls) != 1 || len(hist.Calls[0].Recordings) != 1 || hist.Calls[0].Recordings[0] != started.ID {
		t.Fatalf("alice's history %+v", hist.Calls)
	}

	for _, c := range []struct {
		name, token string
		want        int
	}{
		{"unauthenticated", "", http.StatusUnauthorized},
		{"another user", carolS.Token, http.StatusNotFound},
		{"a participant who did not start it", bobS.Token, http.StatusForbidden},
		{"its starter", aliceS.Token, http.StatusNoContent},
		{"again", aliceS.Token, http.StatusNotFound},
	} {
		if got := o.api("DELETE", base, c.token, nil, nil); got != c.want {
			t.Errorf("delete by %s: %d, want %d", c.name, got, c.want)
		}
	}
}

// TestRecordingRefusals: policy, an E2EE call and a call not yet
// accepted are refused with reasons; a party who resumes during a
// recording is told it is on; an admin deletes what others recorded.
func TestRecordingRefusals(t *testing.T) {
	t.Parallel()
	noRec := policy.DefaultGlobal()
	noRec.AllowRecording = false
	o, media := recordingOrg(t, noRec)
	alice, _ := o.connect("alice")
	bob, _ := o.connect("bob")
	setupCall(alice, bob, "c1")
	media.Carry("c1")
	alice.send(&signaling.Message{Type: signaling.TypeRecordStart, CallID: "c1"})
	if e := alice.expectError(signaling.CodeNotAllowed); !strings.Contains(e.Error.Message, "policy") {
		t.Fatalf("policy refusal: %+v", e.Error)
	}

	o2, media2 := recordingOrg(t, policy.DefaultGlobal())
	a2, _ := o2.connect("alice")
	b2, _ := o2.connect("bob")
	c2, _ := o2.connect("carol")
	setupCall(a2, b2, "secret")
	media2.E2EE("secret")
	a2.send(&signaling.Message{Type: signaling.TypeRecordStart, CallID: "secret"})
	if e := a2.expectError(signaling.CodeNotAllowed); !strings.Contains(e.Error.Message, "end-to-end encrypted") {
		t.Fatalf("E2EE refusal: %+v", e.Error)
	}
	a2.send(&signaling.Message{Type: signaling.TypeHangup, CallID: "secret", Reason: signaling.ReasonHangup})
	b2.expect(signaling.TypeHangup)

	a2.send(&signaling.Message{Type: signaling.TypeInvite, To: "carol", CallID: "ringing"})
	expectPast(c2, signaling.TypeInvite)
	media2.Carry("ringing")
	a2.send(&signaling.Message{Type: signaling.TypeRecordStart, CallID: "ringing"})
	if e := expectPast(a2, signaling.TypeError); e.Error.Code != signaling.CodeUnknownCall {
		t.Fatalf("record a ringing call: %+v", e.Error)
	}
	c2.send(&signaling.Message{Type: signaling.TypeAccept, CallID: "ringing"})
	expectPast(a2, signaling.TypeAccept)
	a2.send(&signaling.Message{Type: signaling.TypeRecordStart, CallID: "ringing"})
	rec := expectRecording(a2, true, "alice")
	expectRecording(c2, true, "alice")

	// carol's link drops; her new connection resumes and is told.
	if err := c2.conn.Close(); err != nil {
		t.Fatal(err)
	}
	c3, _ := o2.connect("carol")
	c3.send(&signaling.Message{Type: signaling.TypeResume, CallID: "ringing", To: "alice"})
	if got := expectRecording(c3, true, "alice"); got.ID != rec.ID {
		t.Fatalf("resumed carol told %+v", got)
	}
	// The call ends: the recording stops with it and reaches the chat.
	a2.send(&signaling.Message{Type: signaling.TypeHangup, CallID: "ringing", Reason: signaling.ReasonHangup})
	expectPast(c3, signaling.TypeHangup)
	if m := expectPast(c3, signaling.TypeChat); !strings.Contains(m.Chat.Text, rec.ID) {
		t.Fatalf("chat after the call: %+v", m.Chat)
	}
	adminS := o2.signIn("admin")
	if got := o2.api("DELETE", "/api/recordings/"+rec.ID, adminS.Token, nil, nil); got != http.StatusNoContent {
		t.Fatalf("admin delete: %d", got)
	}
}

// TestRecordStartUnauthenticated: a connection that has not signed in
// cannot record (hello required, then closed), and neither can one whose
// hello carries no valid session.
func TestRecordStartUnauthenticated(t *testing.T) {
	t.Parallel()
	o, media := recordingOrg(t, policy.DefaultGlobal())
	alice, _ := o.connect("alice")
	bob, _ := o.connect("bob")
	setupCall(alice, bob, "c1")
	media.Carry("c1")
	for _, c := range []struct{ name, first string }{
		{"no hello", `{"type":"record-start","id":"r","call_id":"c1"}`},
		{"hello without a session", `{"type":"hello","token":"not-a-session"}`},
	} {
		ws := rawDial(t, o.srv)
		rawWrite(t, ws, websocket.MessageText, c.first)
		m, err := rawNext(testCtx(t), t, ws)
		if err != nil || m.Type != signaling.TypeError {
			t.Fatalf("%s: reply %+v %v, want an error", c.name, m, err)
		}
		rawWrite(t, ws, websocket.MessageText, `{"type":"record-start","id":"r2","call_id":"c1"}`)
		for err == nil {
			m, err = rawNext(testCtx(t), t, ws)
			if err == nil && m.Type == signaling.TypeRecording {
				t.Fatalf("%s: the recording started", c.name)
			}
		}
	}
	if _, ok := media.Tap("c1").(*recording.Recorder); ok {
		t.Fatal("a tap was added")
	}
	alice.expectQuiet()
}

// TestRecordingToldToWhoJoinsLater: someone the media service sees join a
// call that is being recorded (added to it) is told at once, on every
// device; the parties it started with are not told twice.
func TestRecordingToldToWhoJoinsLater(t *testing.T) {
	t.Parallel()
	o, media := recordingOrg(t, policy.DefaultGlobal())
	alice, _ := o.connect("alice")
	bob, _ := o.connect("bob")
	carol, _ := o.connect("carol")
	setupCall(alice, bob, "c1")
	media.Carry("c1")
	alice.send(&signaling.Message{Type: signaling.TypeRecordStart, CallID: "c1"})
	rec := expectRecording(alice, true, "alice")
	expectRecording(bob, true, "alice")
	tap := media.Tap("c1")
	for _, u := range []string{"alice", "bob", "carol"} {
		tap.Joined(recordingtest.NewSender(u, 1, nil).P)
	}
	if got := expectRecording(carol, true, "alice"); got.ID != rec.ID || got.Started == 0 {
		t.Fatalf("carol told %+v", got)
	}
	alice.expectQuiet()
	bob.expectQuiet()
}
