package e2ee

// Reveal is message 3, initiator → responder: the committed hello (X25519
// key and nonce), the ML-KEM-768 ciphertext encapsulated to the responder's
// key, and the initiator's key confirmation MAC.
type Reveal struct {
	X25519     [x25519Size]byte
	Nonce      [nonceSize]byte
	Ciphertext [mlkemCTSize]byte
	MAC        [macSize]byte
}

// ParseReveal decodes a Reveal message strictly.
func ParseReveal(msg []byte) (*Reveal, error) {
	r, err := openMessage(msg, TypeReveal)
	if err != nil {
		return nil, err
	}
	var m Reveal
	if err := r.field("x25519 key", m.X25519[:]); err != nil {
		return nil, err
	}
	if err := r.field("nonce", m.Nonce[:]); err != nil {
		return nil, err
	}
	if err := r.field("ml-kem ciphertext", m.Ciphertext[:]); err != nil {
		return nil, err
	}
	if err := r.field("mac", m.MAC[:]); err != nil {
		return nil, err
	}
	if err := r.end(); err != nil {
		return nil, err
	}
	return &m, nil
}

// Marshal encodes m; it is the inverse of ParseReveal.
func (m *Reveal) Marshal() []byte {
	b := make([]byte, 0, RevealSize)
	b = appendHeader(b, TypeReveal)
	b = appendField(b, m.X25519[:])
	b = appendField(b, m.Nonce[:])
	b = appendField(b, m.Ciphertext[:])
	return appendField(b, m.MAC[:])
}

func (m *Reveal) hello() initiatorHello {
	return initiatorHello{x25519: m.X25519, nonce: m.Nonce}
}
