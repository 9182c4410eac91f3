package server

import (
	"log/slog"
	"net"
)

// perAddrListener closes, right after accepting, a connection whose remote
// address (IPv4 address or IPv6 /64) already holds max connections, and accepts the next one: one address
// cannot take the process's descriptors, and everyone else is still
// served. It sits under TLS, so a refused client costs no handshake.
type perAddrListener struct {
	net.Listener
	lim *keyedLimit
	log *slog.Logger
}

func (ln *perAddrListener) Accept() (net.Conn, error) {
	for {
		c, err := ln.Listener.Accept()
		if err != nil {
			return nil, err
		}
		ip := addrKeyOf(c.RemoteAddr())
		release := ln.lim.acquire(ip)
		if release == nil {
			ln.log.Debug("connection refused: too many from this address", "remote", ip, "limit", ln.lim.max)
			_ = c.Close()
			continue
		}
		return &countedConn{Conn: c, release: release}, nil
	}
}

// countedConn gives its place back when closed, also after an HTTP
// handler hijacked it (WebSockets).
type countedConn struct {
	net.Conn
	release func()
}

func (c *countedConn) Close() error {
	err := c.Conn.Close()
	c.release()
	return err
}
