package signaling

import (
	"context"
	"fmt"

	"github.com/coder/websocket"
)

// Dial connects to serverURL (ws:// or wss://…/ws), sends hello for user and
// waits for welcome. Against an organization server pass WithToken; user may
// then be zero, and the welcome says who the token belongs to. When the server refuses, the error is a *ServerError.
// Presence comes only after a subscribe (ProtocolVersion 2).
func Dial(ctx context.Context, serverURL string, user User, opts ...DialOption) (*Conn, error) {
	cfg := defaultDialConfig()
	for _, o := range opts {
		o(&cfg)
	}
	hello := &Message{Type: TypeHello, ID: "hello", Protocol: ProtocolVersion}
	if user != (User{}) {
		hello.User = &user
	}
	b, err := Encode(hello)
	if err != nil {
		return nil, fmt.Errorf("signaling: dial: %w", err)
	}
	ws, _, err := websocket.Dial(ctx, serverURL, &websocket.DialOptions{
		HTTPClient: cfg.httpClient,
		HTTPHeader: cfg.header,
	})
	if err != nil {
		return nil, fmt.Errorf("signaling: dial %s: %w", serverURL, err)
	}
	ws.SetReadLimit(cfg.readLimit)
	c := &Conn{
		ws:           ws,
		writeTimeout: cfg.writeTimeout,
		readLimit:    cfg.readLimit,
		incoming:     make(chan incoming, cfg.recvBuffer),
		done:         make(chan struct{}),
	}
	if err := c.handshake(ctx, b); err != nil {
		ws.CloseNow()
		return nil, err
	}
	// The reader outlives Dial's ctx; Close cancels it.
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	c.cancel = cancel
	go c.readLoop(rctx)
	return c, nil
}

func (c *Conn) handshake(ctx context.Context, hello []byte) error {
	if err := c.sendRaw(ctx, hello); err != nil {
		return fmt.Errorf("signaling: hello: %w", err)
	}
	typ, b, err := c.ws.Read(ctx)
	if err != nil {
		return fmt.Errorf("signaling: waiting for welcome: %w", wrapClose(err))
	}
	if typ != websocket.MessageText {
		return fmt.Errorf("signaling: waiting for welcome: %w: binary frame", ErrUnexpectedMessage)
	}
	m, err := DecodeLimit(b, int(c.readLimit))
	if err != nil {
		return fmt.Errorf("signaling: waiting for welcome: %w", err)
	}
	switch m.Type {
	case TypeWelcome:
		c.welcome = Welcome{User: *m.User, ServerVersion: m.ServerVersion, Protocol: m.Protocol, Media: m.MediaService}
		return nil
	case TypeError:
		return m.Err()
	default:
		return fmt.Errorf("signaling: waiting for welcome: %w: %s", ErrUnexpectedMessage, m.Type)
	}
}
