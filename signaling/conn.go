package signaling

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Welcome is what the server said in answer to hello.
type Welcome struct {
	User          User
	ServerVersion string
	Protocol      int  // the server's ProtocolVersion; 0: version 1
	Media         bool // the server has a media service for standard calls
}

// Conn is a client's signaling connection. Recv must be called from one
// goroutine; Send and Close may be called from any number of goroutines.
type Conn struct {
	ws           *websocket.Conn
	welcome      Welcome
	writeTimeout time.Duration
	readLimit    int64

	// The reader goroutine owns ws reads: coder/websocket closes the
	// connection when a Read's context ends, which would make a Recv timeout
	// fatal. Recv waits on this channel instead.
	incoming chan incoming
	done     chan struct{} // closed when the reader goroutine exits
	cancel   context.CancelFunc

	closeOnce sync.Once
	closeErr  error
	readErr   error // set before done is closed
}

type incoming struct {
	msg *Message
	err error // a *DecodeError: the connection stays usable
}

// Welcome returns the server's answer to hello.
func (c *Conn) Welcome() Welcome { return c.welcome }

// Send encodes m and writes it as one text frame. If ctx ends while the
// frame is being written the connection is closed, as a half-written frame
// cannot be recovered.
func (c *Conn) Send(ctx context.Context, m *Message) error {
	b, err := Encode(m)
	if err != nil {
		return err
	}
	if len(b) > MaxMessageBytes {
		return fmt.Errorf("signaling: send %s: %w: %d bytes", m.Type, ErrTooLarge, len(b))
	}
	return c.sendRaw(ctx, b)
}

func (c *Conn) sendRaw(ctx context.Context, b []byte) error {
	ctx, cancel := context.WithTimeout(ctx, c.writeTimeout)
	defer cancel()
	if err := c.ws.Write(ctx, websocket.MessageText, b); err != nil {
		return fmt.Errorf("signaling: send: %w", wrapClose(err))
	}
	return nil
}

// Recv returns the next message from the server. A frame that fails to
// decode is returned as a *DecodeError and the connection stays usable; any
// other error means the connection is gone (errors.Is(err, ErrClosed) when
// it was closed, *CloseError carries the peer's status code).
func (c *Conn) Recv(ctx context.Context) (*Message, error) {
	select {
	case in := <-c.incoming:
		return in.msg, in.err
	default:
	}
	select {
	case in := <-c.incoming:
		return in.msg, in.err
	case <-c.done:
		// Drain what the reader queued before it stopped.
		select {
		case in := <-c.incoming:
			return in.msg, in.err
		default:
		}
		return nil, c.readErr
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Close closes the connection with a normal closure status. Closing a
// connection the server already ended is not an error.
func (c *Conn) Close() error {
	c.closeOnce.Do(func() {
		select {
		case <-c.done:
			// Already ended by the server or the network: nothing to say.
			_ = c.ws.CloseNow()
			c.cancel()
			return
		default:
		}
		err := c.ws.Close(websocket.StatusNormalClosure, "")
		c.cancel()
		<-c.done
		var ce websocket.CloseError
		if err != nil && !errors.As(err, &ce) && !errors.Is(err, context.Canceled) {
			c.closeErr = fmt.Errorf("signaling: close: %w", err)
		}
	})
	return c.closeErr
}

// Done is closed once the connection has stopped receiving.
func (c *Conn) Done() <-chan struct{} { return c.done }

func (c *Conn) readLoop(ctx context.Context) {
	defer close(c.done)
	for {
		typ, b, err := c.ws.Read(ctx)
		if err != nil {
			c.readErr = wrapClose(err)
			return
		}
		in := incoming{}
		if typ != websocket.MessageText {
			in.err = &DecodeError{Err: fmt.Errorf("%w: binary frame", ErrMalformed)}
		} else {
			in.msg, in.err = DecodeLimit(b, int(c.readLimit))
		}
		select {
		case c.incoming <- in:
		case <-ctx.Done():
			c.readErr = ErrClosed
			return
		}
	}
}

// wrapClose turns the websocket library's close error into *CloseError so
// callers need not import it.
func wrapClose(err error) error {
	var ce websocket.CloseError
	if errors.As(err, &ce) {
		return &CloseError{Code: int(ce.Code), Reason: ce.Reason}
	}
	return fmt.Errorf("%w: %w", ErrClosed, err)
}
