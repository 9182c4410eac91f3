package app

import (
	"context"
	"time"

	"github.com/parley-voip/parley/signaling"
)

// A call in progress survives the loss of the server link: its media goes
// peer to peer (or through TURN), so when the link drops the Client keeps
// the call, dials again with backoff and, once welcomed, sends resume for
// the call; the server holds the call for its grace period meanwhile
// (server.Config.ResumeGrace). If the link is not back within ResumeWindow
// the call ends as before ("lost the connection to the server"); if the
// server no longer knows the call (unknown-call) it ends as "peer gone".

// DefaultResumeWindow matches the server's default grace period.
const DefaultResumeWindow = 30 * time.Second

// Backoff between dials while a call waits for its link.
const (
	relinkFirstBackoff = 250 * time.Millisecond
	relinkMaxBackoff   = 5 * time.Second
)

// callInProgress reports whether there is an accepted call whose signaling
// is worth resuming.
func (c *Client) callInProgress() bool {
	return c.call != nil && c.call.accepts(evLinkLost) == nil
}

// linkGone ends the call when the server link is lost for good: there is
// no one to tell.
func (c *Client) linkGone() {
	c.end(c.call, ending{reason: EndError, detail: "lost the connection to the server", by: noOneToTell})
}

// relink dials the server again until it answers, ResumeWindow passes or
// the session turns out to be signed out; the channel yields the new link,
// or nil when there is none.
func (c *Client) relink(ctx context.Context, why error) <-chan SignalConn {
	c.log.Warn("server link lost during a call; reconnecting", "err", why)
	c.book.linkDown() // in-flight chats fail now and go again on the new link
	c.cfg.Listener.Notice("Lost the connection to the server; the call goes on while Parley reconnects.")
	out := make(chan SignalConn)
	go func() {
		deadline := time.Now().Add(c.cfg.ResumeWindow)
		backoff := relinkFirstBackoff
		var next SignalConn
		for time.Now().Before(deadline) {
			dctx, cancel := context.WithDeadline(ctx, deadline)
			conn, err := c.cfg.Dial(dctx, c.cfg.ServerURL, signaling.User{ID: c.cfg.Me.ID, Name: c.cfg.Me.Name})
			cancel()
			if err == nil {
				next = conn
				break
			}
			if ctx.Err() != nil || signedOut(err) {
				break
			}
			c.log.Debug("reconnect failed", "err", err, "retry in", backoff)
			select {
			case <-ctx.Done():
			case <-time.After(min(backoff, time.Until(deadline))):
			}
			backoff = min(2*backoff, relinkMaxBackoff)
		}
		select {
		case out <- next:
		case <-ctx.Done():
			if next != nil {
				_ = next.Close()
			}
		}
	}()
	return out
}

// resumeCall tells the server, on a new link, that the call goes on; or,
// when the user hung up while the link was down (the hangup went nowhere),
// resumes it only to send that hangup again, so the peer is not left
// waiting for the server's grace period.
func (c *Client) resumeCall() {
	k := c.heldCall
	if k == nil || k != c.call {
		return
	}
	resume := &signaling.Message{Type: signaling.TypeResume, CallID: k.info.ID, To: k.info.Peer.ID}
	if k.ended() {
		c.log.Info("hanging up the call ended while the link was down", "call", k.info.ID)
		c.send(resume)
		if k.farewell != nil {
			bye := *k.farewell
			bye.ID = ""
			c.send(&bye)
		}
		return
	}
	c.log.Info("resuming the call's signaling", "call", k.info.ID)
	c.send(resume)
}
