package e2ee

// Reveal is message 3, initiator → responder: the committed hello (X25519
// key, identity key and nonce), the ML-KEM-768 ciphertext encapsulated to
// the responder's key, the initiator's identity signature over the
// transcript hash and its key confirmation MAC.
type Reveal struct {
	X25519     [x25519Size]byte
	Identity   [identitySize]byte
	Nonce      [nonceSize]byte
	Ciphertext [mlkemCTSize]byte
	Signature  [signatureSize]byte
	MAC        [macSize]byte
}

// ParseReveal decodes a Reveal message strictly.
func ParseReveal(msg []byte) (*Reveal, error) {
	r, err := openMessage(msg, TypeReveal)
	if err != nil {
		return nil, err
	}
	var m Reveal
	for _, f := range []struct {
		name string
		dst  []byte
	}{
		{"x25519 key", m.X25519[:]},
		{"identity key", m.Identity[:]},
		{"nonce", m.Nonce[:]},
		{"ml-kem ciphertext", m.Ciphertext[:]},
		{"signature", m.Signature[:]},
		{"mac", m.MAC[:]},
	} {
		if err := r.field(f.name, f.dst); err != nil {
			return nil, err
		}
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
	b = appendField(b, m.Identity[:])
	b = appendField(b, m.Nonce[:])
	b = appendField(b, m.Ciphertext[:])
	b = appendField(b, m.Signature[:])
	return appendField(b, m.MAC[:])
}

func (m *Reveal) hello() initiatorHello {
	return initiatorHello{x25519: m.X25519, identity: m.Identity, nonce: m.Nonce}
}
