// SPDX-FileCopyrightText: 2026 The Pion community <https://pion.ly>
// SPDX-License-Identifier: MIT

package srtp

import (
	"errors"
	"io"
	"net"
	"sync"
	"time"

	"github.com/pion/logging"
	"github.com/pion/transport/v5/packetio"
)

type streamSession interface {
	Close() error
	write([]byte) (int, error)
	decrypt([]byte, packetio.Attributes) error
}

type session struct {
	localContextMutex           sync.Mutex
	remoteContextMutex          sync.Mutex
	localContext, remoteContext *Context
	localOptions, remoteOptions []ContextOption

	newStream           chan readStream
	acceptStreamTimeout time.Time

	started chan any
	closed  chan any

	readStreamsClosed bool
	readStreams       map[uint32]readStream
	readStreamsLock   sync.Mutex

	log           logging.LeveledLogger
	bufferFactory func(packetType packetio.BufferPacketType, ssrc uint32) io.ReadWriteCloser

	nextConn net.Conn
}

// Config is used to configure a session.
// You can provide either a KeyingMaterialExporter to export keys
// or directly pass the keys themselves.
// After a Config is passed to a session it must not be modified.
type Config struct {
	Keys    SessionKeys
	Profile ProtectionProfile

	BufferFactory       func(packetType packetio.BufferPacketType, ssrc uint32) io.ReadWriteCloser
	LoggerFactory       logging.LoggerFactory
	AcceptStreamTimeout time.Time

	// List of local/remote context options.
	// ReplayProtection is enabled on remote context by default.
	// Default replay protection window size is 64.
	LocalOptions, RemoteOptions []ContextOption
}

// SessionKeys bundles the keys required to setup an SRTP session.
type SessionKeys struct {
	LocalMasterKey   []byte
	LocalMasterSalt  []byte
	RemoteMasterKey  []byte
	RemoteMasterSalt []byte
}

func (s *session) getOrCreateReadStream(ssrc uint32, child streamSession, proto func() readStream) (readStream, bool) {
	s.readStreamsLock.Lock()
	defer s.readStreamsLock.Unlock()

	if s.readStreamsClosed {
		return nil, false
	}

	rStream, ok := s.readStreams[ssrc]
	if ok {
		return rStream, false
	}

	// Create the readStream.
	rStream = proto()

	if err := rStream.init(child, ssrc); err != nil {
		return nil, false
	}

	s.readStreams[ssrc] = rStream

	return rStream, true
}

func (s *session) removeReadStream(ssrc uint32) {
	s.readStreamsLock.Lock()
	defer s.readStreamsLock.Unlock()

	if s.readStreamsClosed {
		return
	}

	delete(s.readStreams, ssrc)
}

func (s *session) close() error {
	if s.nextConn == nil {
		return nil
	} else if err := s.nextConn.Close(); err != nil {
		return err
	}

	<-s.closed

	return nil
}

//nolint:cyclop
func (s *session) start(
	localMasterKey, localMasterSalt, remoteMasterKey, remoteMasterSalt []byte,
	profile ProtectionProfile,
	child streamSession,
) error {
	var err error
	s.localContext, err = CreateContext(localMasterKey, localMasterSalt, profile, s.localOptions...)
	if err != nil {
		return err
	}

	s.remoteContext, err = CreateContext(remoteMasterKey, remoteMasterSalt, profile, s.remoteOptions...)
	if err != nil {
		return err
	}

	if err = s.nextConn.SetReadDeadline(s.acceptStreamTimeout); err != nil {
		return err
	}

	go func() {
		defer func() {
			close(s.newStream)

			s.readStreamsLock.Lock()
			s.readStreamsClosed = true
			s.readStreamsLock.Unlock()
			close(s.closed)
		}()

		if s.handleInbound(child) {
			return
		}

		b := make([]byte, 8192)
		var attrs packetio.Attributes
		for {
			var i int
			i, attrs, err = readWithAttributes(s.nextConn, b, attrs)
			if err != nil {
				if !errors.Is(err, io.EOF) {
					s.log.Error(err.Error())
				}

				return
			}

			if err = child.decrypt(b[:i], attrs); err != nil {
				s.log.Info(err.Error())
			}
		}
	}()

	close(s.started)

	return nil
}

// inboundHandler is a conn that can hand each packet it receives to a
// function on its receive goroutine instead of being read. handle may
// modify the packet.
type inboundHandler interface {
	HandleInbound(handle func(packet []byte, attrs packetio.Attributes), closed func()) bool
}

// handleInbound has nextConn decrypt each packet on its receive goroutine,
// which saves a goroutine hand-off a packet, and returns when nextConn
// closes; it returns false at once if nextConn cannot, and when an
// AcceptStreamTimeout needs the read loop's deadline.
func (s *session) handleInbound(child streamSession) bool {
	conn, ok := s.nextConn.(inboundHandler)
	if !ok || !s.acceptStreamTimeout.IsZero() {
		return false
	}
	closed := make(chan struct{})
	handle := func(packet []byte, attrs packetio.Attributes) {
		if err := child.decrypt(packet, attrs); err != nil {
			s.log.Info(err.Error())
		}
	}
	if !conn.HandleInbound(handle, func() { close(closed) }) {
		return false
	}
	<-closed

	return true
}

// updateKey validates both directions before replacing either context.
func (s *session) updateKey(keys SessionKeys, profile ProtectionProfile) error {
	s.localContextMutex.Lock()
	defer s.localContextMutex.Unlock()
	s.remoteContextMutex.Lock()
	defer s.remoteContextMutex.Unlock()

	local, err := s.localContext.contextWithKey(keys.LocalMasterKey, keys.LocalMasterSalt, profile)
	if err != nil {
		return err
	}
	remote, err := s.remoteContext.contextWithKey(keys.RemoteMasterKey, keys.RemoteMasterSalt, profile)
	if err != nil {
		return err
	}

	s.localContext, s.remoteContext = local, remote

	return nil
}
