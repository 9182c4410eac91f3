package rtc

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/pion/webrtc/v4"
)

// WriteFrame sends one encoded (maybe SFrame-sealed) audio frame of duration
// d as one RTP packet; the RTP timestamp advances by d at 48 kHz and the
// sequence number by one. Frames written before the connection is up are
// discarded, as a live source's frames should be; so are frames written
// before the peer's certificate has been checked against RemoteFingerprint.
// WriteFrame and SkipFrame
// have a single caller (the engine's sender).
func (p *Peer) WriteFrame(frame []byte, d time.Duration) error {
	if p.closed() {
		return ErrClosed
	}
	if len(frame) > MaxFrameSize {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrFrameTooLarge, len(frame), MaxFrameSize)
	}
	p.packets.packet(&p.sendPkt, frame, d)
	p.addLevel(&p.sendPkt)
	if !p.certOK.Load() {
		return nil // not connected, or the peer's certificate not yet checked
	}
	if err := p.track.WriteRTP(&p.sendPkt); err != nil {
		if p.closed() || errors.Is(err, io.ErrClosedPipe) {
			return ErrClosed
		}
		return fmt.Errorf("rtc: write frame: %w", err)
	}
	return nil
}

// SkipFrame accounts for a frame of duration d that is not sent (Opus DTX:
// silence): the RTP timestamp advances, the sequence number does not, so
// the pause is neither loss to the far end nor a shift of its timeline.
func (p *Peer) SkipFrame(d time.Duration) error {
	if p.closed() {
		return ErrClosed
	}
	p.packets.skip(d)
	return nil
}

// ReadFrame returns the next audio frame from the remote side, blocking until
// the remote track exists and a packet arrives. It returns ErrClosed after
// Close, and os.ErrDeadlineExceeded once a read deadline passes. Frame.Payload
// is valid until the next call. Only one goroutine may call it at a time.
// Nothing is returned before the peer's certificate has been checked.
func (p *Peer) ReadFrame() (Frame, error) {
	if p.service {
		return p.readServiceFrame()
	}
	track, err := p.waitTrack()
	if err != nil {
		return Frame{}, err
	}
	n, _, err := track.Read(p.readBuf)
	for err == nil && !p.certOK.Load() {
		// Packets that arrive in the instant between DTLS completing and
		// the certificate check are dropped, never delivered.
		n, _, err = track.Read(p.readBuf)
	}
	if err != nil {
		switch {
		case p.closed() || errors.Is(err, io.EOF):
			return Frame{}, ErrClosed
		case isTimeout(err):
			return Frame{}, fmt.Errorf("rtc: read frame: %w", os.ErrDeadlineExceeded)
		}
		return Frame{}, fmt.Errorf("rtc: read frame: %w", err)
	}
	return p.frameOf(p.readBuf[:n])
}

// frameOf parses one received RTP packet into p.pkt and returns its frame.
func (p *Peer) frameOf(b []byte) (Frame, error) {
	if err := p.pkt.Unmarshal(b); err != nil {
		return Frame{}, fmt.Errorf("%w: %w", ErrMalformedRTP, err)
	}
	return Frame{
		Payload:   p.pkt.Payload,
		Seq:       p.pkt.SequenceNumber,
		Timestamp: p.pkt.Timestamp,
		SSRC:      p.pkt.SSRC,
		Marker:    p.pkt.Marker,
	}, nil
}

// SetReadDeadline makes a blocked or future ReadFrame return
// os.ErrDeadlineExceeded at t (zero: no deadline). The media engine uses it
// to stop its receive loop when a call is detached without closing the peer.
func (p *Peer) SetReadDeadline(t time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.deadline = t
	close(p.deadlineSet)
	p.deadlineSet = make(chan struct{})
	if p.remote != nil {
		if err := p.remote.SetReadDeadline(t); err != nil {
			return fmt.Errorf("rtc: set read deadline: %w", err)
		}
	}
	return nil
}

func (p *Peer) waitTrack() (*webrtc.TrackRemote, error) {
	for {
		p.mu.Lock()
		remote, deadline, changed := p.remote, p.deadline, p.deadlineSet
		p.mu.Unlock()
		if remote != nil {
			return remote, nil
		}
		var timer *time.Timer
		var expired <-chan time.Time
		if !deadline.IsZero() {
			wait := time.Until(deadline)
			if wait <= 0 {
				return nil, fmt.Errorf("rtc: wait for remote track: %w", os.ErrDeadlineExceeded)
			}
			timer = time.NewTimer(wait)
			expired = timer.C
		}
		select {
		case <-p.trackReady:
		case <-p.done:
			return nil, ErrClosed
		case <-changed:
		case <-expired:
		}
		if timer != nil {
			timer.Stop()
		}
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}
