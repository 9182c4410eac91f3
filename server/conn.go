package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/coder/websocket"
	"golang.org/x/time/rate"

	"github.com/parley-voip/parley/signaling"
)

// conn is one signed-in client. The handler goroutine reads and
// dispatches; everything else only enqueues. A writer goroutine runs
// only while frames wait (writeLoop), and the queue is a slice that
// exists only then: an idle connection holds neither a second goroutine
// stack nor SendQueue preallocated slots.
type conn struct {
	ws     *websocket.Conn
	user   signaling.User
	device string // Identity.Device
	seq    uint64 // registration order, newest rings first
	log    *slog.Logger
	cfg    *Config

	ctx     context.Context // the handler's: ends the writer
	mu      sync.Mutex      // guards queue, writing, finished
	queue   []outbound      // frames to write, at most SendQueue; nil when empty
	writing bool            // a writeLoop goroutine runs
	// finished: the handler is done and waits for the writer; nothing
	// more is queued.
	finished  bool
	writers   sync.WaitGroup
	closing   chan struct{} // closed by closeWith/closeAfterFlush
	closeOnce sync.Once

	limiter    *rate.Limiter
	violations int // touched only by the handler goroutine
	// errLimiter bounds the rate-limited error replies themselves, so a
	// flooder cannot fill its own send queue with them and must meet the
	// 1008 close instead.
	errLimiter *rate.Limiter

	call     *call    // guarded by hub.mu
	heldCall *call    // a call c holds while in call (media.go); guarded by hub.mu
	watching []string // user ids whose presence c subscribed to; guarded by hub.mu
	watchAll bool     // c subscribed to everyone; guarded by hub.mu

	// relay, when set, makes c a party on another node (cluster.go):
	// frames for it go there instead of to a WebSocket.
	relay func([]byte) bool
}

// outbound is a frame to write, or (when close is set) the instruction to
// close once everything before it has been written.
type outbound struct {
	data  []byte
	close *closeRequest
}

type closeRequest struct {
	code   websocket.StatusCode
	reason string
}

func (s *Server) handleWS(w http.ResponseWriter, r *http.Request) {
	s.conns.Add(1)
	defer s.conns.Done()
	ws, err := websocket.Accept(w, r, nil)
	if err != nil {
		s.cfg.Logger.Debug("websocket upgrade failed", "remote", r.RemoteAddr, "err", err)
		return
	}
	defer ws.CloseNow()
	ws.SetReadLimit(s.cfg.MaxMessageBytes)
	log := s.cfg.Logger.With("remote", r.RemoteAddr)

	id, err := s.hello(r, ws)
	if err != nil {
		log.Info("hello refused", "err", err)
		return
	}
	user := id.User
	c := &conn{
		ws:      ws,
		user:    user,
		device:  id.Device,
		log:     log.With("user", user.ID),
		cfg:     &s.cfg,
		closing: make(chan struct{}),
		limiter: rate.NewLimiter(s.cfg.RateLimit, s.cfg.RateBurst),
		// Up to 10 at once, then one a second.
		errLimiter: rate.NewLimiter(1, 10),
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
	defer cancel()
	c.ctx = ctx
	if err := s.hub.register(c, s.cfg.Version); errors.Is(err, ErrTooManyConnections) {
		c.log.Info("refused", "err", err)
		// Nothing was queued: close here, waiting for the handshake, so
		// the client reads the reason.
		_ = ws.Close(signaling.CloseTooManyConnections,
			fmt.Sprintf("too many connections for this user (limit %d)", s.cfg.MaxConnsPerUser))
	} else if err != nil {
		c.closeWith(websocket.StatusGoingAway, "server shutting down")
	} else {
		c.log.Info("connected")
		for _, f := range s.onConnect {
			f(user.ID)
		}
		c.readLoop(ctx, s)
		s.hub.unregister(c)
		c.log.Info("disconnected")
	}
	c.mu.Lock()
	c.finished = true
	c.mu.Unlock()
	cancel() // a writer stuck on a client that does not read stops
	c.writers.Wait()
}

// hello reads and checks the first message and authenticates it. On
// failure it has already told the client why and closed the connection.
func (s *Server) hello(r *http.Request, ws *websocket.Conn) (Identity, error) {
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.HelloTimeout)
	defer cancel()
	refuse := func(code signaling.ErrorCode, ref string, err error) (Identity, error) {
		b, encErr := signaling.Encode(errorMessage(code, errorText(err), ref, ""))
		if encErr == nil {
			_ = ws.Write(ctx, websocket.MessageText, b)
		}
		_ = ws.Close(websocket.StatusPolicyViolation, string(code))
		return Identity{}, err
	}
	typ, b, err := ws.Read(ctx)
	if err != nil {
		return Identity{}, fmt.Errorf("reading hello: %w", err)
	}
	if typ != websocket.MessageText {
		return refuse(signaling.CodeMalformed, "", fmt.Errorf("%w: binary frame", signaling.ErrMalformed))
	}
	if !utf8.Valid(b) {
		_ = ws.Close(websocket.StatusInvalidFramePayloadData, "text frame is not valid UTF-8")
		return Identity{}, fmt.Errorf("%w: hello is not valid UTF-8", signaling.ErrMalformed)
	}
	m, err := signaling.DecodeLimit(b, int(s.cfg.MaxMessageBytes))
	if err != nil {
		var de *signaling.DecodeError
		errors.As(err, &de)
		return refuse(de.Code(), de.Ref, err)
	}
	if m.Type != signaling.TypeHello {
		return refuse(signaling.CodeHelloRequired, m.ID, fmt.Errorf("first message is %s, not hello", m.Type))
	}
	id, err := s.auth.Authenticate(ctx, r, m)
	if errors.Is(err, ErrUnauthorized) {
		return refuse(signaling.CodeUnauthorized, m.ID, err)
	}
	if err != nil {
		s.cfg.Logger.Error("authenticating hello", "err", err)
		return refuse(signaling.CodeInternal, m.ID, errors.New("internal error"))
	}
	return id, nil
}

func (c *conn) readLoop(ctx context.Context, s *Server) {
	for {
		typ, b, err := c.ws.Read(ctx)
		if err != nil {
			if s := websocket.CloseStatus(err); s == -1 {
				c.log.Debug("read ended", "err", err)
			} else {
				c.log.Debug("closed by peer", "status", int(s))
			}
			return
		}
		select {
		case <-c.closing:
			continue // closing: read on until the peer's close frame
		default:
		}
		if !c.allow(b) {
			continue
		}
		if typ != websocket.MessageText {
			c.sendError(signaling.CodeMalformed, "binary frames are not supported", "", "")
			continue
		}
		if !utf8.Valid(b) {
			// RFC 6455 §8.1: a text frame that is not UTF-8 fails the
			// connection with 1007.
			c.log.Debug("invalid UTF-8 in a text frame")
			c.closeWith(websocket.StatusInvalidFramePayloadData, "text frame is not valid UTF-8")
			continue
		}
		m, err := signaling.DecodeLimit(b, int(c.cfg.MaxMessageBytes))
		if err != nil {
			var de *signaling.DecodeError
			errors.As(err, &de)
			c.log.Debug("bad message", "err", err)
			c.sendError(de.Code(), errorText(err), de.Ref, "")
			continue
		}
		s.dispatch(ctx, c, m)
	}
}

// allow applies the rate limit to frame b: a limited message gets an error
// reply naming it (ref), and a connection that keeps going past
// RateAbuseLimit is closed with 1008. The error replies are limited too
// (errLimiter, and never more than half the send queue), so that a
// flooder that does not read meets the close, not a full queue.
func (c *conn) allow(b []byte) bool {
	if c.limiter.Allow() {
		return true
	}
	c.violations++
	if c.violations > c.cfg.RateAbuseLimit {
		c.closeAfterFlush(websocket.StatusPolicyViolation, "rate limit exceeded")
		return false
	}
	if c.queued() < c.cfg.SendQueue/2 && c.errLimiter.Allow() {
		c.sendError(signaling.CodeRateLimited, "too many messages", signaling.PeekID(b), "")
	}
	return false
}

// queued is the number of frames waiting.
func (c *conn) queued() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.queue)
}

// push queues o and starts a writer unless one runs; false when the
// queue is full or the handler has finished.
func (c *conn) push(o outbound) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.finished || len(c.queue) >= c.cfg.SendQueue {
		return false
	}
	c.queue = append(c.queue, o)
	if !c.writing {
		c.writing = true
		c.writers.Add(1)
		go c.writeLoop()
	}
	return true
}

// writeLoop writes the queued frames until the queue is empty, a close
// request comes or a write fails, then exits.
func (c *conn) writeLoop() {
	defer c.writers.Done()
	for {
		c.mu.Lock()
		if len(c.queue) == 0 || c.ctx.Err() != nil {
			c.queue, c.writing = nil, false
			c.mu.Unlock()
			return
		}
		o := c.queue[0]
		c.queue[0] = outbound{}
		c.queue = c.queue[1:]
		c.mu.Unlock()
		if o.close != nil {
			c.closeWith(o.close.code, o.close.reason)
			c.stopWriting()
			return
		}
		wctx, cancel := context.WithTimeout(c.ctx, c.cfg.WriteTimeout)
		err := c.ws.Write(wctx, websocket.MessageText, o.data)
		cancel()
		if err != nil {
			c.log.Info("write failed, dropping connection", "err", err)
			c.drop()
			c.stopWriting()
			return
		}
	}
}

// stopWriting forgets what is queued after a close or a failed write
// (closing is closed: nothing more gets queued).
func (c *conn) stopWriting() {
	c.mu.Lock()
	c.queue, c.writing = nil, false
	c.mu.Unlock()
}

// send enqueues m without blocking. A full queue means the client does not
// keep up; it is dropped rather than allowed to hold the hub.
func (c *conn) send(m *signaling.Message) {
	b, err := signaling.Encode(m)
	if err != nil {
		// Only server-built messages get here; an invalid one is a bug.
		c.log.Error("encoding outgoing message", "type", m.Type, "err", err)
		return
	}
	c.enqueue(outbound{data: b})
}

// enqueue queues o and reports whether it was queued: not on a connection
// that is closing, nor on one whose queue is full (which is dropped).
func (c *conn) enqueue(o outbound) bool {
	if c.relay != nil {
		return o.data != nil && c.relay(o.data)
	}
	select {
	case <-c.closing:
		return false
	default:
	}
	if c.push(o) {
		return true
	}
	if c.queued() >= c.cfg.SendQueue {
		c.log.Warn("send queue full, dropping connection")
		c.drop()
	}
	return false
}

func (c *conn) sendError(code signaling.ErrorCode, text, ref, callID string) {
	c.send(errorMessage(code, text, ref, callID))
}

// closeWith starts the closing handshake now. It runs in the background
// because Close waits for the peer's reply.
func (c *conn) closeWith(code websocket.StatusCode, reason string) {
	c.closeOnce.Do(func() {
		close(c.closing)
		go func() { _ = c.ws.Close(code, reason) }()
	})
}

// drop cuts the connection without a closing handshake: a client that
// cannot keep up would not read our close frame either.
func (c *conn) drop() {
	c.closeOnce.Do(func() {
		close(c.closing)
		_ = c.ws.CloseNow()
	})
}

// closeAfterFlush closes once the frames already queued are written, so the
// client sees why it is being closed. With the queue full it closes at
// once: the close frame still tells the client why.
func (c *conn) closeAfterFlush(code websocket.StatusCode, reason string) {
	select {
	case <-c.closing:
		return
	default:
	}
	if !c.push(outbound{close: &closeRequest{code: code, reason: reason}}) {
		c.closeWith(code, reason)
	}
}

func errorMessage(code signaling.ErrorCode, text, ref, callID string) *signaling.Message {
	return &signaling.Message{
		Type:   signaling.TypeError,
		CallID: callID,
		Error:  &signaling.ErrorInfo{Code: code, Message: text, Ref: ref},
	}
}

// errorText makes err fit the error message field: printable, bounded.
func errorText(err error) string {
	s := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, err.Error())
	if len(s) > signaling.MaxErrorTextLen {
		s = s[:signaling.MaxErrorTextLen]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}
