package sframe

import (
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
)

// usage records which direction a key serves. RFC 9605 section 4.4.1:
// a base key is usable for encryption or for decryption, never both; this
// also stops a reflected copy of our own frames from being accepted.
type usage uint8

const (
	usageUnbound usage = iota // added with AddKey, bound by its first use
	usageSend
	usageReceive
)

// keyEntry is one KID's state in a Context.
type keyEntry struct {
	mu        sync.Mutex
	fk        *frameKey // nil once removed
	use       usage
	next      uint64 // next CTR to send
	exhausted bool   // every CTR has been used
	window    replayWindow
	// Frame counts live here, under mu, so the hot path pays no atomic
	// operation for statistics; Stats adds them up.
	sealed, opened uint64
}

// Context is the stateful SFrame endpoint used for media: one cipher suite,
// a set of keys by KID, a send counter per sending KID and a replay window
// per receiving KID (RFC 9605 Appendix A). Create it with NewContext. It is
// safe for concurrent use; frames of different KIDs proceed in parallel.
type Context struct {
	suite Suite
	p     *suiteParams
	// keys is replaced, never modified: keys change a few times per call
	// while frames arrive fifty times a second per direction, so lookups
	// take no lock. mu serialises the replacements and Stats.
	keys  atomic.Pointer[map[uint64]*keyEntry]
	mu    sync.Mutex
	stats counters
}

// NewContext returns an empty Context for suite s.
func NewContext(s Suite) (*Context, error) {
	p, err := s.params()
	if err != nil {
		return nil, err
	}
	c := &Context{suite: s, p: p}
	c.keys.Store(&map[uint64]*keyEntry{})
	return c, nil
}

// Suite returns the cipher suite of c.
func (c *Context) Suite() Suite { return c.suite }

// AddKey derives the key and salt for kid from baseKey. The key is bound to
// sending by its first successful Encrypt, or to receiving by its first
// authenticated Decrypt, and is refused in the other direction from then
// on. Use AddSendKey or AddReceiveKey to bind it at once. The base key is
// not retained; the caller should wipe it.
func (c *Context) AddKey(kid uint64, baseKey []byte) error {
	return c.add(kid, baseKey, usageUnbound)
}

// AddSendKey is AddKey for a key that will only encrypt. Its counter starts
// at 0.
func (c *Context) AddSendKey(kid uint64, baseKey []byte) error {
	return c.add(kid, baseKey, usageSend)
}

// AddReceiveKey is AddKey for a key that will only decrypt.
func (c *Context) AddReceiveKey(kid uint64, baseKey []byte) error {
	return c.add(kid, baseKey, usageReceive)
}

func (c *Context) add(kid uint64, baseKey []byte, u usage) error {
	fk, err := newFrameKey(c.suite, kid, baseKey)
	if err != nil {
		return fmt.Errorf("sframe: add key %d: %w", kid, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := *c.keys.Load()
	if _, ok := old[kid]; ok {
		fk.erase()
		return keyError(kid, ErrKeyExists)
	}
	next := maps.Clone(old)
	next[kid] = &keyEntry{fk: fk, use: u}
	c.keys.Store(&next)
	return nil
}

// RemoveKey forgets kid and overwrites the derived key material held for
// it. Frames for kid then fail with ErrUnknownKID. Removing a key and adding
// the same base key again restarts its counter, which reuses nonces: the
// ratchet in crypto/e2ee always moves to a new base key and KID instead.
func (c *Context) RemoveKey(kid uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := *c.keys.Load()
	e, ok := old[kid]
	if !ok {
		return
	}
	next := maps.Clone(old)
	delete(next, kid)
	c.keys.Store(&next)
	c.retire(e)
}

// Close removes every key, as RemoveKey does.
func (c *Context) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.keys.Swap(&map[uint64]*keyEntry{})
	for _, e := range *old {
		c.retire(e)
	}
}

// retire wipes a key that is no longer reachable by new lookups and folds
// its frame counts into the Context's. A frame that looked the entry up
// before it was replaced waits on e.mu and then finds fk nil. c.mu is held.
func (c *Context) retire(e *keyEntry) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.fk.erase()
	e.fk = nil
	e.window = replayWindow{}
	c.stats.sealed.Add(e.sealed)
	c.stats.opened.Add(e.opened)
	e.sealed, e.opened = 0, 0
}

// HasKey reports whether a key is installed for kid.
func (c *Context) HasKey(kid uint64) bool {
	return c.lookup(kid) != nil
}

// Stats returns a snapshot of c's counters.
func (c *Context) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.stats.snapshot()
	for _, e := range *c.keys.Load() {
		e.mu.Lock()
		st.Sealed += e.sealed
		st.Opened += e.opened
		e.mu.Unlock()
	}
	return st
}

func (c *Context) lookup(kid uint64) *keyEntry {
	return (*c.keys.Load())[kid]
}

// Encrypt seals plaintext with the key of kid and the next counter of that
// key, and appends the SFrame ciphertext (header || ciphertext || tag) to
// dst. metadata is authenticated but not sent. It allocates only when dst
// lacks capacity. dst's spare capacity must not overlap plaintext or
// metadata.
func (c *Context) Encrypt(dst []byte, kid uint64, metadata, plaintext []byte) ([]byte, error) {
	if len(plaintext) > MaxFrameSize {
		return nil, fmt.Errorf("%w: plaintext %d bytes, limit %d", ErrTooLarge, len(plaintext), MaxFrameSize)
	}
	if len(metadata) > MaxMetadataSize {
		return nil, fmt.Errorf("%w: metadata %d bytes, limit %d", ErrTooLarge, len(metadata), MaxMetadataSize)
	}
	e := c.lookup(kid)
	if e == nil {
		return nil, keyError(kid, ErrUnknownKID)
	}
	e.mu.Lock()
	dst, err := c.encryptLocked(e, dst, kid, metadata, plaintext)
	e.mu.Unlock()
	return dst, err
}

func (c *Context) encryptLocked(e *keyEntry, dst []byte, kid uint64, metadata, plaintext []byte) ([]byte, error) {
	switch {
	case e.fk == nil:
		return nil, keyError(kid, ErrUnknownKID)
	case e.use == usageReceive:
		return nil, keyError(kid, ErrKeyUsage)
	case e.exhausted:
		return nil, keyError(kid, ErrCounterExhausted)
	}
	ctr := e.next
	hl := HeaderSize(kid, ctr)
	need := hl + len(plaintext) + c.p.nt
	if outputOverlaps(dst, need, plaintext, metadata) {
		return nil, ErrBufferOverlap
	}
	dst = slices.Grow(dst, need)
	start := len(dst)
	dst = AppendHeader(dst, kid, ctr)
	dst = e.fk.seal(dst, ctr, dst[start:start+hl], metadata, plaintext)

	e.use = usageSend
	e.next++
	e.exhausted = e.next == 0
	e.sealed++
	return dst, nil
}

// Decrypt authenticates and decrypts an SFrame ciphertext and appends the
// plaintext to dst. It allocates only when dst lacks capacity. dst's spare
// capacity must not overlap the ciphertext or metadata.
func (c *Context) Decrypt(dst, metadata, sframeCiphertext []byte) ([]byte, error) {
	_, _, pt, err := c.DecryptKID(dst, metadata, sframeCiphertext)
	return pt, err
}

// DecryptKID is Decrypt that also returns the KID and CTR of the frame, so
// that the caller knows which key (and so which sender and ratchet step)
// authenticated it. On error the KID is returned when the header parsed.
func (c *Context) DecryptKID(dst, metadata, sframeCiphertext []byte) (kid, ctr uint64, plaintext []byte, err error) {
	if len(sframeCiphertext) > maxCiphertextSize || len(metadata) > MaxMetadataSize {
		c.stats.malformed.Add(1)
		return 0, 0, nil, fmt.Errorf("%w: ciphertext %d bytes, metadata %d bytes", ErrTooLarge, len(sframeCiphertext), len(metadata))
	}
	kid, ctr, n, err := ParseHeader(sframeCiphertext)
	if err != nil {
		c.stats.malformed.Add(1)
		return 0, 0, nil, err
	}
	body := sframeCiphertext[n:]
	if len(body) < c.p.nt {
		c.stats.malformed.Add(1)
		return kid, ctr, nil, fmt.Errorf("%w: %d bytes after header, tag is %d", ErrShortCiphertext, len(body), c.p.nt)
	}
	if outputOverlaps(dst, len(body)-c.p.nt, sframeCiphertext, metadata) {
		c.stats.malformed.Add(1)
		return kid, ctr, nil, ErrBufferOverlap
	}
	e := c.lookup(kid)
	if e == nil {
		c.stats.unknownKIDs.Add(1)
		return kid, ctr, nil, keyError(kid, ErrUnknownKID)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	switch {
	case e.fk == nil:
		c.stats.unknownKIDs.Add(1)
		return kid, ctr, nil, keyError(kid, ErrUnknownKID)
	case e.use == usageSend:
		c.stats.unknownKIDs.Add(1)
		return kid, ctr, nil, keyError(kid, ErrKeyUsage)
	}
	if err := e.window.check(ctr); err != nil {
		if err == ErrReplay {
			c.stats.replays.Add(1)
		} else {
			c.stats.tooOld.Add(1)
		}
		return kid, ctr, nil, keyError(kid, err)
	}
	plaintext, err = e.fk.open(dst, ctr, sframeCiphertext[:n], metadata, body)
	if err != nil {
		c.stats.badTags.Add(1)
		return kid, ctr, nil, keyError(kid, err)
	}
	e.window.accept(ctr)
	e.use = usageReceive
	e.opened++
	return kid, ctr, plaintext, nil
}
