package server

import (
	"context"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"github.com/parley-voip/parley/signaling"
)

// rawDial opens a WebSocket without the signaling client, so tests can send
// frames the client would never produce.
func rawDial(t *testing.T, s *Server) *websocket.Conn {
	t.Helper()
	ws, _, err := websocket.Dial(testCtx(t), s.URL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ws.SetReadLimit(signaling.MaxServerMessageBytes)
	t.Cleanup(func() { ws.CloseNow() })
	return ws
}

func rawWrite(t *testing.T, ws *websocket.Conn, typ websocket.MessageType, frame string) {
	t.Helper()
	if err := ws.Write(testCtx(t), typ, []byte(frame)); err != nil {
		t.Fatalf("write %.40q: %v", frame, err)
	}
}

// rawNext returns the next message that is not presence, or the read error.
func rawNext(ctx context.Context, t *testing.T, ws *websocket.Conn) (*signaling.Message, error) {
	t.Helper()
	for {
		_, b, err := ws.Read(ctx)
		if err != nil {
			return nil, err
		}
		m, err := signaling.DecodeLimit(b, signaling.MaxServerMessageBytes)
		if err != nil {
			t.Fatalf("server sent an invalid frame %q: %v", b, err)
		}
		if m.Type != signaling.TypePresence {
			return m, nil
		}
	}
}

func rawHello(t *testing.T, ws *websocket.Conn, id string) {
	t.Helper()
	rawWrite(t, ws, websocket.MessageText, `{"type":"hello","user":{"id":"`+id+`"}}`)
	m, err := rawNext(testCtx(t), t, ws)
	if err != nil || m.Type != signaling.TypeWelcome {
		t.Fatalf("welcome = %+v, %v", m, err)
	}
}

func TestBadInputGetsErrorAndConnectionStaysUsable(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{})
	bob := dial(t, s, "bob")
	ws := rawDial(t, s)
	rawHello(t, ws, "alice")
	cases := []struct {
		name  string
		typ   websocket.MessageType
		frame string
		code  signaling.ErrorCode
		ref   string
	}{
		{"not json", websocket.MessageText, `{"type":`, signaling.CodeMalformed, ""},
		{"unknown field", websocket.MessageText, `{"type":"hangup","id":"u1","call_id":"c","evil":1}`, signaling.CodeMalformed, "u1"},
		{"trailing data", websocket.MessageText, `{"type":"hangup","id":"u2","call_id":"c"} x`, signaling.CodeMalformed, "u2"},
		{"missing field", websocket.MessageText, `{"type":"offer","id":"u3","call_id":"c"}`, signaling.CodeMalformed, "u3"},
		{"unknown type", websocket.MessageText, `{"type":"teleport","id":"u4"}`, signaling.CodeUnknownType, "u4"},
		{"binary frame", websocket.MessageBinary, `{"type":"hangup","call_id":"c"}`, signaling.CodeMalformed, ""},
		{"server-only type", websocket.MessageText, `{"type":"presence","id":"u5"}`, signaling.CodeNotAllowed, "u5"},
		{"second hello", websocket.MessageText, `{"type":"hello","id":"u6","user":{"id":"bob"}}`, signaling.CodeNotAllowed, "u6"},
		{"unknown call", websocket.MessageText, `{"type":"offer","id":"u7","call_id":"nope","sdp":"v=0"}`, signaling.CodeUnknownCall, "u7"},
		{"control characters", websocket.MessageText, "{\"type\":\"hangup\",\"id\":\"u8\",\"call_id\":\"a\\u0007b\"}", signaling.CodeMalformed, "u8"},
	}
	// Sequential on purpose: one connection, replies in order.
	for _, tc := range cases {
		rawWrite(t, ws, tc.typ, tc.frame)
		m, err := rawNext(testCtx(t), t, ws)
		if err != nil {
			t.Fatalf("%s: connection ended: %v", tc.name, err)
		}
		if m.Type != signaling.TypeError || m.Error.Code != tc.code || m.Error.Ref != tc.ref {
			t.Errorf("%s: got %s %+v, want error %s ref %q", tc.name, m.Type, m.Error, tc.code, tc.ref)
		}
	}
	// Still usable: a real call from the raw connection reaches bob.
	rawWrite(t, ws, websocket.MessageText, `{"type":"invite","to":"bob","call_id":"c1"}`)
	if m := bob.expect(signaling.TypeInvite); m.From != "alice" {
		t.Fatalf("invite = %+v", m)
	}
}

func TestOversizedFrameClosesOnlyThatConnection(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{MaxMessageBytes: 4096})
	bob, carol := dial(t, s, "bob"), dial(t, s, "carol")
	setupCall(bob, carol, "bc")
	ws := rawDial(t, s)
	rawHello(t, ws, "alice")
	bob.awaitPresence("alice online", presenceIs("alice=available", "bob=in-call", "carol=in-call"))

	big := `{"type":"offer","call_id":"c","sdp":"` + strings.Repeat("a", 4096) + `"}`
	rawWrite(t, ws, websocket.MessageText, big)
	_, err := rawNext(testCtx(t), t, ws)
	if got := websocket.CloseStatus(err); got != websocket.StatusMessageTooBig {
		t.Fatalf("after oversized frame: %v (status %d), want close 1009", err, got)
	}
	bob.awaitPresence("alice gone", presenceIs("bob=in-call", "carol=in-call"))
	// Everyone else is still served.
	bob.send(&signaling.Message{Type: signaling.TypeOffer, CallID: "bc", SDP: "v=0"})
	carol.expect(signaling.TypeOffer)
	carol.expectQuiet()
}

func TestFirstMessageMustBeHello(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{})
	bob := dial(t, s, "bob")
	for _, tc := range []struct {
		name, frame string
		code        signaling.ErrorCode
	}{
		{"not hello", `{"type":"invite","id":"x","to":"bob","call_id":"c"}`, signaling.CodeHelloRequired},
		{"malformed", `{"type":"hello","user":{}}`, signaling.CodeMalformed},
		{"garbage", `hello`, signaling.CodeMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ws := rawDial(t, s)
			rawWrite(t, ws, websocket.MessageText, tc.frame)
			m, err := rawNext(testCtx(t), t, ws)
			if err != nil || m.Type != signaling.TypeError || m.Error.Code != tc.code {
				t.Fatalf("reply = %+v, %v; want error %s", m, err, tc.code)
			}
			_, err = rawNext(testCtx(t), t, ws)
			if got := websocket.CloseStatus(err); got != websocket.StatusPolicyViolation {
				t.Fatalf("then %v, want close 1008", err)
			}
		})
	}
	t.Cleanup(func() { bob.expectQuiet() })
}
