// SPDX-FileCopyrightText: 2026 The Pion community <https://pion.ly>
// SPDX-License-Identifier: MIT

package ice

import (
	"errors"
	"io"

	"github.com/pion/transport/v5/packetio"
)

// inboundHandler is what Conn.HandleInbound registered.
type inboundHandler struct {
	conn   *Conn
	handle func(packet []byte, attrs packetio.Attributes)
	closed func()
}

// HandleInbound makes the Conn hand each application packet it receives
// (everything but STUN) to handle, on the goroutine that received it,
// instead of buffering it for Read; a reader of the Conn that would pass
// the packet on at once saves a goroutine hand-off a packet. Packets
// buffered before the call are handed over first, in order. handle is
// never called concurrently, and packet and attrs are only valid during
// the call. closed is called once when the agent closes, after the last
// call to handle. Read must not be used after HandleInbound returned true;
// it returns false, and changes nothing, when a handler is registered
// already or the agent is closed.
func (c *Conn) HandleInbound(handle func(packet []byte, attrs packetio.Attributes), closed func()) bool {
	agent := c.agent
	agent.inboundMu.Lock()
	defer agent.inboundMu.Unlock()
	if agent.inbound != nil || agent.inboundClosed {
		return false
	}
	packet := make([]byte, receiveMTU)
	var attrs packetio.Attributes
	for agent.buf.Count() > 0 {
		var (
			n   int
			err error
		)
		n, attrs, err = agent.buf.Read(packet, attrs)
		if errors.Is(err, io.ErrShortBuffer) {
			continue
		} else if err != nil {
			break
		}
		c.bytesReceived.Add(uint64(n)) //nolint:gosec // G115
		handle(packet[:n], attrs)
	}
	agent.inbound = &inboundHandler{conn: c, handle: handle, closed: closed}

	return true
}

// deliverInbound hands an application packet to the registered handler,
// or buffers it for Conn.Read when there is none.
func (a *Agent) deliverInbound(packet []byte, attrs packetio.Attributes) (int, error) {
	a.inboundMu.Lock()
	defer a.inboundMu.Unlock()
	if h := a.inbound; h != nil {
		h.conn.bytesReceived.Add(uint64(len(packet)))
		h.handle(packet, attrs)

		return len(packet), nil
	}

	return a.buf.Write(packet, attrs)
}

// closeInbound ends the handler's registration and tells it, once no
// packet can reach it any more.
func (a *Agent) closeInbound() {
	a.inboundMu.Lock()
	h := a.inbound
	a.inbound, a.inboundClosed = nil, true
	a.inboundMu.Unlock()
	if h != nil && h.closed != nil {
		h.closed()
	}
}
