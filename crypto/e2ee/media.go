package e2ee

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/parley-voip/parley/crypto/sframe"
)

// MediaCipher protects the encoded frames of one E2EE call with SFrame: it
// seals outgoing frames with this side's key and opens incoming frames with
// the peer's, ratcheting both forward during the call. It implements the
// FrameCipher interface of package media. Seal and Rekey may run on one
// goroutine while Open runs on another; each direction has its own lock.
type MediaCipher struct {
	opts  mediaOptions
	track Track

	sendMu    sync.Mutex
	send      *sframe.Context
	sendDir   uint64
	sendKey   [baseKeySize]byte // base key of sendEpoch, the ratchet seed
	sendEpoch uint64
	sendCount uint64    // frames sealed in sendEpoch
	sendSince time.Time // when sendEpoch began
	sendDone  bool      // closed

	recvMu    sync.Mutex
	recv      *sframe.Context
	recvDir   uint64
	recvKey   [baseKeySize]byte // base key of recvEpoch
	recvEpoch uint64
	prevLive  bool   // the previous epoch's key is still installed
	prevEpoch uint64 // valid when prevLive
	recvCount int    // frames opened in recvEpoch while prevLive
	recvDone  bool   // closed
}

// NewMediaCipher builds the audio track's cipher from a completed
// handshake's result and takes its keys over: on success r is erased
// (r.Erased()), so the epoch-0 keys exist only inside the cipher, which
// overwrites them at the first rekey. Code, role, suite and peer identity
// stay readable on r. On error r is left as it was. A call with video
// builds all its tracks' ciphers at once with NewTrackCiphers.
func NewMediaCipher(r *Result, opts ...MediaOption) (*MediaCipher, error) {
	cs, err := NewTrackCiphers(r, []Track{TrackAudio}, opts...)
	if err != nil {
		return nil, err
	}
	return cs[0], nil
}

// newMediaCipher builds track t's cipher from r's keys, leaving r as it is.
func newMediaCipher(r *Result, t Track, opts []MediaOption) (*MediaCipher, error) {
	o := defaultMediaOptions()
	for _, opt := range opts {
		opt(&o)
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	send, err := sframe.NewContext(r.suite)
	if err != nil {
		return nil, fmt.Errorf("e2ee: new media cipher: %w", err)
	}
	recv, err := sframe.NewContext(r.suite)
	if err != nil {
		return nil, fmt.Errorf("e2ee: new media cipher: %w", err)
	}
	c := &MediaCipher{
		opts:      o,
		track:     t,
		send:      send,
		sendDir:   r.send.kid & 1,
		sendEpoch: r.send.Epoch(),
		sendSince: o.now(),
		recv:      recv,
		recvDir:   r.recv.kid & 1,
		recvEpoch: r.recv.Epoch(),
	}
	if c.sendKey, err = trackKey(&r.send.key, t, c.sendDir); err != nil {
		c.Close()
		return nil, fmt.Errorf("e2ee: new media cipher: %w", err)
	}
	if c.recvKey, err = trackKey(&r.recv.key, t, c.recvDir); err != nil {
		c.Close()
		return nil, fmt.Errorf("e2ee: new media cipher: %w", err)
	}
	if err := send.AddSendKey(c.kid(c.sendEpoch, c.sendDir), c.sendKey[:]); err != nil {
		c.Close()
		return nil, fmt.Errorf("e2ee: new media cipher: %w", err)
	}
	if err := recv.AddReceiveKey(c.kid(c.recvEpoch, c.recvDir), c.recvKey[:]); err != nil {
		c.Close()
		return nil, fmt.Errorf("e2ee: new media cipher: %w", err)
	}
	return c, nil
}

// kid is this cipher's track's KID for one epoch and direction.
func (c *MediaCipher) kid(epoch, dir uint64) uint64 { return kidOf(c.track, epoch, dir) }

// Track is the call track the cipher keys.
func (c *MediaCipher) Track() Track { return c.track }

// Seal encrypts one frame under the current sending epoch and appends the
// SFrame ciphertext to dst, rekeying first when the policy says so.
func (c *MediaCipher) Seal(dst, frame []byte) ([]byte, error) {
	c.sendMu.Lock()
	defer c.sendMu.Unlock()
	if c.sendDone {
		return dst, fmt.Errorf("e2ee: seal: %w", ErrErased)
	}
	if c.rekeyDue() {
		if err := c.rekeyLocked(); err != nil {
			return dst, err
		}
	}
	out, err := c.send.Encrypt(dst, c.kid(c.sendEpoch, c.sendDir), nil, frame)
	if errors.Is(err, sframe.ErrCounterExhausted) {
		if err := c.rekeyLocked(); err != nil {
			return dst, err
		}
		out, err = c.send.Encrypt(dst, c.kid(c.sendEpoch, c.sendDir), nil, frame)
	}
	if err != nil {
		return dst, fmt.Errorf("e2ee: seal: %w", err)
	}
	c.sendCount++
	return out, nil
}

func (c *MediaCipher) rekeyDue() bool {
	if c.opts.rekeyFrames > 0 && c.sendCount >= c.opts.rekeyFrames {
		return true
	}
	return c.opts.rekeyInterval > 0 && c.opts.now().Sub(c.sendSince) >= c.opts.rekeyInterval
}

// Rekey moves the sending side to the next epoch now: a new base key
// ratcheted from the current one, under a new KID, with the old key erased.
// The peer follows when it sees the new KID.
func (c *MediaCipher) Rekey() error {
	c.sendMu.Lock()
	defer c.sendMu.Unlock()
	return c.rekeyLocked()
}

func (c *MediaCipher) rekeyLocked() error {
	if c.sendDone {
		return fmt.Errorf("e2ee: rekey: %w", ErrErased)
	}
	if c.sendEpoch >= MaxEpoch {
		return fmt.Errorf("e2ee: rekey: %w", ErrEpochExhausted)
	}
	epoch := c.sendEpoch + 1
	next, err := ratchet(&c.sendKey, epoch, c.sendDir)
	if err != nil {
		return fmt.Errorf("e2ee: rekey: %w", err)
	}
	defer clear(next[:])
	if err := c.send.AddSendKey(c.kid(epoch, c.sendDir), next[:]); err != nil {
		return fmt.Errorf("e2ee: rekey: %w", err)
	}
	c.send.RemoveKey(c.kid(c.sendEpoch, c.sendDir))
	c.sendKey = next // overwrites the old seed in place
	c.sendEpoch = epoch
	c.sendCount = 0
	c.sendSince = c.opts.now()
	return nil
}

// Open authenticates and decrypts one SFrame ciphertext from the peer and
// appends the frame to dst. A frame of a later epoch (up to MaxEpochSkip
// ahead) moves the receiver forward, but only once it authenticates, so a
// forged KID cannot make it drop the current key.
func (c *MediaCipher) Open(dst, sealed []byte) ([]byte, error) {
	kid, _, _, err := sframe.ParseHeader(sealed)
	if err != nil {
		return dst, fmt.Errorf("e2ee: open: %w", err)
	}
	if kidTrack(kid) != c.track {
		return dst, fmt.Errorf("e2ee: open: kid %d: %w", kid, ErrWrongTrack)
	}
	if kid&1 != c.recvDir {
		return dst, fmt.Errorf("e2ee: open: kid %d: %w", kid, ErrWrongDirection)
	}
	epoch := kidEpoch(kid)

	c.recvMu.Lock()
	defer c.recvMu.Unlock()
	if c.recvDone {
		return dst, fmt.Errorf("e2ee: open: %w", ErrErased)
	}
	switch {
	case epoch == c.recvEpoch:
		out, err := c.recv.Decrypt(dst, nil, sealed)
		if err != nil {
			return dst, fmt.Errorf("e2ee: open: %w", err)
		}
		if c.prevLive {
			c.recvCount++
			c.expirePrevious()
		}
		return out, nil
	case c.prevLive && epoch == c.prevEpoch:
		out, err := c.recv.Decrypt(dst, nil, sealed)
		if err != nil {
			return dst, fmt.Errorf("e2ee: open: %w", err)
		}
		return out, nil
	case epoch > c.recvEpoch && epoch-c.recvEpoch <= MaxEpochSkip:
		return c.openNext(dst, sealed, epoch)
	default:
		return dst, fmt.Errorf("e2ee: open: epoch %d while at %d: %w", epoch, c.recvEpoch, ErrUnknownEpoch)
	}
}

// openNext derives the key of a later epoch, tries the frame with it and
// moves forward only if it authenticates.
func (c *MediaCipher) openNext(dst, sealed []byte, epoch uint64) ([]byte, error) {
	key := c.recvKey
	defer clear(key[:])
	for e := c.recvEpoch + 1; e <= epoch; e++ {
		next, err := ratchet(&key, e, c.recvDir)
		if err != nil {
			return dst, fmt.Errorf("e2ee: open: %w", err)
		}
		key = next
		clear(next[:])
	}
	kid := c.kid(epoch, c.recvDir)
	if err := c.recv.AddReceiveKey(kid, key[:]); err != nil {
		return dst, fmt.Errorf("e2ee: open: %w", err)
	}
	out, err := c.recv.Decrypt(dst, nil, sealed)
	if err != nil {
		c.recv.RemoveKey(kid)
		return dst, fmt.Errorf("e2ee: open: %w", err)
	}
	if c.prevLive {
		c.recv.RemoveKey(c.kid(c.prevEpoch, c.recvDir))
	}
	c.prevEpoch, c.prevLive = c.recvEpoch, true
	c.recvKey, c.recvEpoch = key, epoch // overwrites the old seed in place
	c.recvCount = 1
	c.expirePrevious()
	return out, nil
}

// expirePrevious erases the previous epoch's key once the grace is over.
func (c *MediaCipher) expirePrevious() {
	if c.recvCount >= c.opts.graceFrames {
		c.recv.RemoveKey(c.kid(c.prevEpoch, c.recvDir))
		c.prevLive = false
	}
}

// SendEpoch is the current sending epoch.
func (c *MediaCipher) SendEpoch() uint64 {
	c.sendMu.Lock()
	defer c.sendMu.Unlock()
	return c.sendEpoch
}

// ReceiveEpoch is the newest epoch received from the peer.
func (c *MediaCipher) ReceiveEpoch() uint64 {
	c.recvMu.Lock()
	defer c.recvMu.Unlock()
	return c.recvEpoch
}

// OldestEpoch is the oldest epoch whose key the cipher still holds, in
// either direction (the receiver keeps the previous epoch during the
// grace). Keys of earlier epochs are erased, and what the cipher holds
// cannot rebuild them: the ratchet only runs forward. After Close it is
// MaxEpoch + 1: the cipher holds nothing.
func (c *MediaCipher) OldestEpoch() uint64 {
	c.sendMu.Lock()
	send, sendDone := c.sendEpoch, c.sendDone
	c.sendMu.Unlock()
	c.recvMu.Lock()
	recv, recvDone := c.recvEpoch, c.recvDone
	if c.prevLive {
		recv = c.prevEpoch
	}
	c.recvMu.Unlock()
	if sendDone && recvDone {
		return MaxEpoch + 1
	}
	return min(send, recv)
}

// Close erases every key; Seal and Open fail afterwards. It is safe to call
// more than once.
func (c *MediaCipher) Close() {
	c.sendMu.Lock()
	c.send.Close()
	clear(c.sendKey[:])
	c.sendDone = true
	c.sendMu.Unlock()
	c.recvMu.Lock()
	c.recv.Close()
	clear(c.recvKey[:])
	c.prevLive = false
	c.recvDone = true
	c.recvMu.Unlock()
}

// Format prints the epochs, never key material.
func (c *MediaCipher) Format(f fmt.State, _ rune) {
	if c == nil {
		fmt.Fprint(f, "e2ee.MediaCipher(nil)")
		return
	}
	fmt.Fprintf(f, "e2ee.MediaCipher{send epoch: %d, receive epoch: %d}", c.SendEpoch(), c.ReceiveEpoch())
}
