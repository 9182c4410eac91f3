package signaling

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// scriptServer accepts one WebSocket, reads hello, then runs script. It
// stands in for the real server (tested in package server) so that the
// client's own error handling can be driven precisely.
func scriptServer(t *testing.T, script func(ctx context.Context, ws *websocket.Conn, hello *Message)) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer ws.CloseNow()
		_, b, err := ws.Read(r.Context())
		if err != nil {
			return
		}
		hello, err := Decode(b)
		if err != nil {
			t.Errorf("server got bad hello: %v", err)
			return
		}
		script(r.Context(), ws, hello)
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

func writeMsg(ctx context.Context, ws *websocket.Conn, m *Message) error {
	b, err := Encode(m)
	if err != nil {
		return err
	}
	return ws.Write(ctx, websocket.MessageText, b)
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestDialWelcomeAndRecv(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	url := scriptServer(t, func(ctx context.Context, ws *websocket.Conn, hello *Message) {
		_ = writeMsg(ctx, ws, &Message{Type: TypeWelcome, User: hello.User, ServerVersion: "test"})
		// A malformed frame must not end the client's connection.
		_ = ws.Write(ctx, websocket.MessageText, []byte(`{"type":"offer"`))
		_ = ws.Write(ctx, websocket.MessageBinary, []byte{1, 2})
		_ = writeMsg(ctx, ws, &Message{Type: TypePresence, Users: []PresenceEntry{{ID: hello.User.ID, Status: StatusOnline}}})
		// Echo what the client sends, then close with a policy status.
		_, b, err := ws.Read(ctx)
		if err != nil {
			return
		}
		_ = ws.Write(ctx, websocket.MessageText, b)
		_ = ws.Close(websocket.StatusPolicyViolation, "enough")
	})
	c, err := Dial(ctx, url, User{ID: "alice", Name: "Alice"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if w := c.Welcome(); w.User.ID != "alice" || w.ServerVersion != "test" {
		t.Fatalf("Welcome = %+v", w)
	}
	for range 2 {
		_, err := c.Recv(ctx)
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Fatalf("Recv = %v, want *DecodeError", err)
		}
	}
	m, err := c.Recv(ctx)
	if err != nil || m.Type != TypePresence || m.Users[0].ID != "alice" {
		t.Fatalf("Recv = %+v, %v", m, err)
	}
	// A Recv that times out leaves the connection usable.
	short, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.Recv(short); !errors.Is(err, context.Canceled) {
		t.Fatalf("Recv(cancelled) = %v", err)
	}
	sent := &Message{Type: TypeHangup, ID: "x", CallID: "c1", Reason: ReasonHangup}
	if err := c.Send(ctx, sent); err != nil {
		t.Fatal(err)
	}
	m, err = c.Recv(ctx)
	if err != nil || m.Type != TypeHangup || m.ID != "x" {
		t.Fatalf("echo = %+v, %v", m, err)
	}
	_, err = c.Recv(ctx)
	var ce *CloseError
	if !errors.As(err, &ce) || ce.Code != int(websocket.StatusPolicyViolation) || !errors.Is(err, ErrClosed) {
		t.Fatalf("Recv after server close = %v", err)
	}
}

func TestDialRefused(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	url := scriptServer(t, func(ctx context.Context, ws *websocket.Conn, hello *Message) {
		_ = writeMsg(ctx, ws, &Message{Type: TypeError, Error: &ErrorInfo{Code: CodeUnauthorized, Ref: hello.ID}})
	})
	_, err := Dial(ctx, url, User{ID: "mallory"})
	var se *ServerError
	if !errors.As(err, &se) || se.Code != CodeUnauthorized || se.Ref != "hello" {
		t.Fatalf("Dial = %v, want unauthorized ServerError", err)
	}
}

func TestDialUnexpectedReply(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	url := scriptServer(t, func(ctx context.Context, ws *websocket.Conn, hello *Message) {
		_ = writeMsg(ctx, ws, &Message{Type: TypeRinging, CallID: "c"})
	})
	if _, err := Dial(ctx, url, User{ID: "alice"}); !errors.Is(err, ErrUnexpectedMessage) {
		t.Fatalf("Dial = %v, want ErrUnexpectedMessage", err)
	}
}

func TestDialInvalidUser(t *testing.T) {
	t.Parallel()
	if _, err := Dial(testCtx(t), "ws://127.0.0.1:1/ws", User{ID: "has space"}); !errors.Is(err, ErrInvalidField) {
		t.Fatalf("Dial = %v, want ErrInvalidField", err)
	}
}

func TestSendTooLarge(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	url := scriptServer(t, func(ctx context.Context, ws *websocket.Conn, hello *Message) {
		_ = writeMsg(ctx, ws, &Message{Type: TypeWelcome, User: hello.User})
		_, _, _ = ws.Read(ctx)
	})
	c, err := Dial(ctx, url, User{ID: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	users := make([]PresenceEntry, 4000)
	for i := range users {
		users[i] = PresenceEntry{ID: strings.Repeat("u", 20), Status: StatusOnline}
	}
	// Valid per field, but over the frame limit as a whole.
	err = c.Send(ctx, &Message{Type: TypePresence, Users: users})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Send = %v, want ErrTooLarge", err)
	}
}

func TestCloseAfterServerClosed(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	url := scriptServer(t, func(ctx context.Context, ws *websocket.Conn, hello *Message) {
		_ = writeMsg(ctx, ws, &Message{Type: TypeWelcome, User: hello.User})
		_ = ws.Close(websocket.StatusGoingAway, "bye")
	})
	c, err := Dial(ctx, url, User{ID: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.Done():
	case <-ctx.Done():
		t.Fatal("connection did not end after the server closed it")
	}
	if err := c.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
	if _, err := c.Recv(ctx); !errors.Is(err, ErrClosed) {
		t.Fatalf("Recv after Close = %v", err)
	}
	if err := c.Send(ctx, &Message{Type: TypeHangup, CallID: "c"}); !errors.Is(err, ErrClosed) {
		t.Fatalf("Send after Close = %v", err)
	}
}
