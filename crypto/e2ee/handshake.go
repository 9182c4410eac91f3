package e2ee

import (
	"crypto/ecdh"
	"crypto/mlkem"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"io"

	"github.com/parley-voip/parley/crypto/identity"
)

type state uint8

const (
	stateNew         state = iota // initiator before Start, responder before Commit
	stateWaitHello                // initiator sent Commit
	stateWaitReveal               // responder sent ResponderHello
	stateWaitConfirm              // initiator sent Reveal
	stateDone                     // confirmation complete
	stateFailed                   // an error ended the handshake
)

// Handshake is one side of the key agreement. It is a strictly ordered state
// machine: Start (initiator), then Handle for each message received, each
// returning the next message to send. The first error ends it for good, so
// that a man in the middle cannot probe it twice. A Handshake is not safe
// for concurrent use.
type Handshake struct {
	cfg   Config
	ctx   []byte // encodeContext(cfg)
	state state
	seen  [TypeConfirm + 1]bool           // message types received
	recvd [TypeConfirm + 1][hashSize]byte // SHA-256 of each, for duplicates
	err   error

	// encapsulate is ML-KEM-768 encapsulation; tests replace it to make a
	// handshake deterministic.
	encapsulate func(*mlkem.EncapsulationKey768) (sharedKey, ciphertext []byte, err error)

	xPriv     *ecdh.PrivateKey
	dk        *mlkem.DecapsulationKey768 // responder
	hi        initiatorHello             // initiator: own; responder: revealed
	hr        ResponderHello
	commitMsg []byte
	helloMsg  []byte
	committed [hashSize]byte // responder: the initiator's commitment

	peer   identity.PublicKey // the peer's identity key, once received
	code   SecurityCode
	th     [hashSize]byte
	keys   *keySchedule
	result *Result
}

// New returns a handshake for cfg, after validating it.
func New(cfg Config) (*Handshake, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Handshake{
		cfg:         c,
		ctx:         encodeContext(&c),
		encapsulate: encapsulate768,
	}, nil
}

func encapsulate768(ek *mlkem.EncapsulationKey768) ([]byte, []byte, error) {
	ss, ct := ek.Encapsulate()
	return ss, ct, nil
}

// Start begins the handshake. The initiator gets the Commit message to send;
// the responder gets nil, nil and waits for the Commit.
func (h *Handshake) Start() ([]byte, error) {
	if h.state == stateFailed {
		return nil, h.aborted()
	}
	if h.cfg.Role == Responder {
		return nil, nil
	}
	if h.state != stateNew {
		return nil, h.fail(fmt.Errorf("%w: start called twice", ErrUnexpectedMessage))
	}
	msg, err := h.startInitiator()
	if err != nil {
		return nil, h.fail(err)
	}
	return msg, nil
}

// Handle processes one received message and returns the message to send in
// reply, or nil when there is none (the initiator after Confirm).
func (h *Handshake) Handle(msg []byte) ([]byte, error) {
	if h.state == stateFailed {
		return nil, h.aborted()
	}
	t, err := PeekType(msg)
	if err == nil && h.seen[t] && h.recvd[t] == sha256.Sum256(msg) {
		// An exact copy carries nothing new and probes nothing: ignored in
		// every state, so at-least-once delivery cannot end a call.
		return nil, fmt.Errorf("e2ee: %v: %w: %s", h.cfg.Role, ErrDuplicate, t)
	}
	if h.state == stateDone {
		// A completed handshake has nothing left to lose: a late message
		// is reported but does not take back keys already handed out.
		if err == nil {
			return nil, fmt.Errorf("e2ee: %v: %w: %s", h.cfg.Role, ErrLate, t)
		}
		return nil, fmt.Errorf("e2ee: %v: %w: %w", h.cfg.Role, ErrLate, err)
	}
	if err != nil {
		return nil, h.fail(err)
	}
	if h.seen[t] {
		return nil, h.fail(fmt.Errorf("%w: second %s message", ErrReplayed, t))
	}
	want, ok := h.expected()
	if !ok || t != want {
		return nil, h.fail(fmt.Errorf("%w: %s message while %s", ErrUnexpectedMessage, t, h.describe()))
	}
	h.seen[t] = true
	h.recvd[t] = sha256.Sum256(msg)
	var reply []byte
	switch t {
	case TypeCommit:
		reply, err = h.handleCommit(msg)
	case TypeResponderHello:
		reply, err = h.handleHello(msg)
	case TypeReveal:
		reply, err = h.handleReveal(msg)
	case TypeConfirm:
		err = h.handleConfirm(msg)
	}
	if err != nil {
		return nil, h.fail(err)
	}
	return reply, nil
}

// Done reports whether key confirmation completed on this side: the
// initiator has verified the responder's MAC, or the responder has verified
// the initiator's (its Confirm reply carries its own).
func (h *Handshake) Done() bool { return h.state == stateDone }

// Result returns the code and media keys once Done. NewMediaCipher takes
// the keys out of it; after Erase, Result fails with ErrErased.
func (h *Handshake) Result() (*Result, error) {
	switch h.state {
	case stateDone:
		if h.result == nil {
			return nil, fmt.Errorf("e2ee: %v: result: %w", h.cfg.Role, ErrErased)
		}
		return h.result, nil
	case stateFailed:
		return nil, h.aborted()
	default:
		return nil, fmt.Errorf("e2ee: %w (%s)", ErrNotDone, h.describe())
	}
}

// Erase drops every secret the handshake still holds: the ephemeral private
// keys, the key schedule and the Result's media keys. The call layer erases
// the handshake as soon as the MediaCipher exists, and on hang-up. After
// Done the handshake keeps recognising duplicates and late messages (both
// ignorable), and Result fails with ErrErased; before Done, Erase ends it.
// It is safe to call more than once.
func (h *Handshake) Erase() {
	switch h.state {
	case stateDone:
		h.wipe()
		if h.result != nil {
			h.result.Erase()
			h.result = nil
		}
	case stateFailed: // fail already erased everything
	default:
		_ = h.fail(fmt.Errorf("%w: handshake erased before completion", ErrErased))
	}
}

// Erased reports whether the handshake holds no secret any more: no
// ephemeral private key, no key schedule, no media key in its Result. That
// is so once NewMediaCipher has taken the Result's keys, after Erase, and
// after a failure.
func (h *Handshake) Erased() bool {
	return h.xPriv == nil && h.dk == nil && h.keys == nil && (h.result == nil || h.result.Erased())
}

// Err returns the error that ended the handshake, or nil.
func (h *Handshake) Err() error { return h.err }

// expected returns the message type this side waits for.
func (h *Handshake) expected() (MessageType, bool) {
	switch {
	case h.cfg.Role == Responder && h.state == stateNew:
		return TypeCommit, true
	case h.state == stateWaitHello:
		return TypeResponderHello, true
	case h.state == stateWaitReveal:
		return TypeReveal, true
	case h.state == stateWaitConfirm:
		return TypeConfirm, true
	}
	return 0, false
}

func (h *Handshake) describe() string {
	if want, ok := h.expected(); ok {
		return fmt.Sprintf("%v waits for %s", h.cfg.Role, want)
	}
	switch h.state {
	case stateNew:
		return fmt.Sprintf("%v not started", h.cfg.Role)
	case stateDone:
		return fmt.Sprintf("%v done", h.cfg.Role)
	}
	return fmt.Sprintf("%v failed", h.cfg.Role)
}

// fail ends the handshake and drops every secret it holds.
func (h *Handshake) fail(err error) error {
	err = fmt.Errorf("e2ee: %v: %w", h.cfg.Role, err)
	h.state = stateFailed
	h.err = err
	h.wipe()
	if h.result != nil {
		h.result.Erase()
		h.result = nil
	}
	return err
}

func (h *Handshake) aborted() error {
	return fmt.Errorf("%w: %w", ErrAborted, h.err)
}

// wipe drops the ephemeral private keys and the confirmation keys. The
// standard library's key types cannot be overwritten; dropping the last
// reference is the best Go allows for them.
func (h *Handshake) wipe() {
	h.xPriv = nil
	h.dk = nil
	if h.keys != nil {
		h.keys.erase()
		h.keys = nil
	}
}

// newX25519 draws a scalar from cfg.Rand. NewPrivateKey clamps it as RFC
// 7748 requires.
func (h *Handshake) newX25519() (*ecdh.PrivateKey, error) {
	var seed [x25519Size]byte
	defer clear(seed[:])
	if _, err := io.ReadFull(h.cfg.Rand, seed[:]); err != nil {
		return nil, fmt.Errorf("reading randomness: %w", err)
	}
	return ecdh.X25519().NewPrivateKey(seed[:])
}

func (h *Handshake) startInitiator() ([]byte, error) {
	priv, err := h.newX25519()
	if err != nil {
		return nil, err
	}
	h.xPriv = priv
	copy(h.hi.x25519[:], priv.PublicKey().Bytes())
	copy(h.hi.identity[:], h.cfg.Identity.Public().Bytes())
	if _, err := io.ReadFull(h.cfg.Rand, h.hi.nonce[:]); err != nil {
		return nil, fmt.Errorf("reading randomness: %w", err)
	}
	m := Commit{Suite: h.cfg.Suite, Commitment: h.hi.commitment()}
	h.commitMsg = m.Marshal()
	h.state = stateWaitHello
	return h.commitMsg, nil
}

// handleCommit is the responder's step 1: store the commitment, then (and
// only then) choose its own values.
func (h *Handshake) handleCommit(msg []byte) ([]byte, error) {
	m, err := ParseCommit(msg)
	if err != nil {
		return nil, err
	}
	if m.Suite != h.cfg.Suite {
		return nil, fmt.Errorf("%w: initiator committed to 0x%04x, want 0x%04x", ErrSuite, uint16(m.Suite), uint16(h.cfg.Suite))
	}
	h.committed = m.Commitment
	h.commitMsg = append([]byte(nil), msg...)

	priv, err := h.newX25519()
	if err != nil {
		return nil, err
	}
	var seed [mlkemSeedSize]byte
	defer clear(seed[:])
	if _, err := io.ReadFull(h.cfg.Rand, seed[:]); err != nil {
		return nil, fmt.Errorf("reading randomness: %w", err)
	}
	dk, err := mlkem.NewDecapsulationKey768(seed[:])
	if err != nil {
		return nil, err
	}
	h.xPriv, h.dk = priv, dk
	copy(h.hr.X25519[:], priv.PublicKey().Bytes())
	copy(h.hr.Identity[:], h.cfg.Identity.Public().Bytes())
	copy(h.hr.EncapsulationKey[:], dk.EncapsulationKey().Bytes())
	if _, err := io.ReadFull(h.cfg.Rand, h.hr.Nonce[:]); err != nil {
		return nil, fmt.Errorf("reading randomness: %w", err)
	}
	h.helloMsg = h.hr.Marshal()
	h.state = stateWaitReveal
	return h.helloMsg, nil
}

// handleHello is the initiator's step 2: it now knows everything, derives
// the keys and reveals.
func (h *Handshake) handleHello(msg []byte) ([]byte, error) {
	m, err := ParseResponderHello(msg)
	if err != nil {
		return nil, err
	}
	ek, err := mlkem.NewEncapsulationKey768(m.EncapsulationKey[:])
	if err != nil {
		return nil, fmt.Errorf("%w: responder hello: %w", ErrMalformed, err)
	}
	peer, err := ecdh.X25519().NewPublicKey(m.X25519[:])
	if err != nil {
		return nil, fmt.Errorf("%w: responder hello: %w", ErrMalformed, err)
	}
	peerID, err := peerIdentity(&m.Identity)
	if err != nil {
		return nil, err
	}
	ssX, err := h.xPriv.ECDH(peer)
	if err != nil { // low-order point: the shared secret would be zero
		return nil, fmt.Errorf("%w: responder hello: x25519: %w", ErrMalformed, err)
	}
	defer clear(ssX)
	ssK, ct, err := h.encapsulate(ek)
	if err != nil {
		return nil, fmt.Errorf("ml-kem encapsulation: %w", err)
	}
	defer clear(ssK)

	h.hr, h.peer = *m, peerID
	h.helloMsg = append([]byte(nil), msg...)
	rv := Reveal{X25519: h.hi.x25519, Identity: h.hi.identity, Nonce: h.hi.nonce}
	copy(rv.Ciphertext[:], ct)
	h.code = codeFromDigest(codeDigest(h.ctx, &h.hi, &h.hr))
	h.th = transcriptHash(h.ctx, h.commitMsg, h.helloMsg, &h.hi, &rv.Ciphertext)
	if h.keys, err = deriveKeys(ssX, ssK, &h.th); err != nil {
		return nil, err
	}
	h.xPriv = nil
	rv.Signature = signTranscript(h.cfg.Identity, signInitiatorLabel, &h.th)
	rv.MAC = confirmationMAC(&h.keys.confirmI, &h.th)
	h.state = stateWaitConfirm
	return rv.Marshal(), nil
}

// openReveal is the cheap first half of the responder's step 3: check the
// commitment and compute the code and transcript hash. It runs before any
// key agreement, and it is where the code's independence from the
// ciphertext is decided.
func (h *Handshake) openReveal(m *Reveal) (SecurityCode, [hashSize]byte, error) {
	hi := m.hello()
	c := hi.commitment()
	if subtle.ConstantTimeCompare(c[:], h.committed[:]) != 1 {
		return SecurityCode{}, [hashSize]byte{}, fmt.Errorf("%w: revealed hello does not hash to the commitment", ErrCommitmentMismatch)
	}
	code := codeFromDigest(codeDigest(h.ctx, &hi, &h.hr))
	return code, transcriptHash(h.ctx, h.commitMsg, h.helloMsg, &hi, &m.Ciphertext), nil
}

// handleReveal is the responder's step 3: verify the commitment, agree,
// verify the initiator's MAC, and confirm.
func (h *Handshake) handleReveal(msg []byte) ([]byte, error) {
	m, err := ParseReveal(msg)
	if err != nil {
		return nil, err
	}
	code, th, err := h.openReveal(m)
	if err != nil {
		return nil, err
	}
	peerID, err := peerIdentity(&m.Identity)
	if err != nil {
		return nil, err
	}
	peer, err := ecdh.X25519().NewPublicKey(m.X25519[:])
	if err != nil {
		return nil, fmt.Errorf("%w: reveal: %w", ErrMalformed, err)
	}
	ssX, err := h.xPriv.ECDH(peer)
	if err != nil {
		return nil, fmt.Errorf("%w: reveal: x25519: %w", ErrMalformed, err)
	}
	defer clear(ssX)
	// Decapsulation never fails on a well-sized ciphertext: a forged one
	// yields an unrelated key (implicit rejection) and the MAC check fails.
	ssK, err := h.dk.Decapsulate(m.Ciphertext[:])
	if err != nil {
		return nil, fmt.Errorf("%w: reveal: ml-kem: %w", ErrMalformed, err)
	}
	defer clear(ssK)
	h.xPriv, h.dk = nil, nil
	h.hi, h.code, h.th, h.peer = m.hello(), code, th, peerID
	if h.keys, err = deriveKeys(ssX, ssK, &h.th); err != nil {
		return nil, err
	}
	want := confirmationMAC(&h.keys.confirmI, &h.th)
	if subtle.ConstantTimeCompare(want[:], m.MAC[:]) != 1 {
		return nil, fmt.Errorf("%w: initiator's mac", ErrConfirmationFailed)
	}
	if err := verifyTranscript(h.peer, signInitiatorLabel, &h.th, &m.Signature); err != nil {
		return nil, err
	}
	reply := Confirm{
		Signature: signTranscript(h.cfg.Identity, signResponderLabel, &h.th),
		MAC:       confirmationMAC(&h.keys.confirmR, &h.th),
	}
	h.finish()
	return reply.Marshal(), nil
}

// handleConfirm is the initiator's step 4.
func (h *Handshake) handleConfirm(msg []byte) error {
	m, err := ParseConfirm(msg)
	if err != nil {
		return err
	}
	want := confirmationMAC(&h.keys.confirmR, &h.th)
	if subtle.ConstantTimeCompare(want[:], m.MAC[:]) != 1 {
		return fmt.Errorf("%w: responder's mac", ErrConfirmationFailed)
	}
	if err := verifyTranscript(h.peer, signResponderLabel, &h.th, &m.Signature); err != nil {
		return err
	}
	h.finish()
	return nil
}

// finish builds the Result and erases what the handshake no longer needs.
func (h *Handshake) finish() {
	ir := &MediaKey{kid: kidFor(0, dirInitiatorToResponder), key: h.keys.mediaIR}
	ri := &MediaKey{kid: kidFor(0, dirResponderToInitiator), key: h.keys.mediaRI}
	r := &Result{code: h.code, role: h.cfg.Role, suite: h.cfg.Suite, peer: h.peer, send: ir, recv: ri}
	if h.cfg.Role == Responder {
		r.send, r.recv = ri, ir
	}
	h.result = r
	h.wipe()
	h.state = stateDone
}
