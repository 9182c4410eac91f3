package e2ee

// ResponderHello is message 2, responder → initiator: the responder's
// ephemeral X25519 public key, its long-term identity public key, its
// ephemeral ML-KEM-768 encapsulation key and a nonce. The responder sends it
// only after it holds the initiator's commitment.
type ResponderHello struct {
	X25519           [x25519Size]byte
	Identity         [identitySize]byte
	EncapsulationKey [mlkemEKSize]byte
	Nonce            [nonceSize]byte
}

// ParseResponderHello decodes a ResponderHello message strictly. It checks
// the encoding only; the handshake validates the keys.
func ParseResponderHello(msg []byte) (*ResponderHello, error) {
	r, err := openMessage(msg, TypeResponderHello)
	if err != nil {
		return nil, err
	}
	var m ResponderHello
	if err := r.field("x25519 key", m.X25519[:]); err != nil {
		return nil, err
	}
	if err := r.field("identity key", m.Identity[:]); err != nil {
		return nil, err
	}
	if err := r.field("ml-kem encapsulation key", m.EncapsulationKey[:]); err != nil {
		return nil, err
	}
	if err := r.field("nonce", m.Nonce[:]); err != nil {
		return nil, err
	}
	if err := r.end(); err != nil {
		return nil, err
	}
	return &m, nil
}

// Marshal encodes m; it is the inverse of ParseResponderHello.
func (m *ResponderHello) Marshal() []byte {
	b := make([]byte, 0, ResponderHelloSize)
	b = appendHeader(b, TypeResponderHello)
	b = appendField(b, m.X25519[:])
	b = appendField(b, m.Identity[:])
	b = appendField(b, m.EncapsulationKey[:])
	return appendField(b, m.Nonce[:])
}
