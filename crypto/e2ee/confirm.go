package e2ee

// Confirm is message 4, responder → initiator: the responder's identity
// signature over the transcript hash and its key confirmation MAC, sent
// only after it verified the initiator's.
type Confirm struct {
	Signature [signatureSize]byte
	MAC       [macSize]byte
}

// ParseConfirm decodes a Confirm message strictly.
func ParseConfirm(msg []byte) (*Confirm, error) {
	r, err := openMessage(msg, TypeConfirm)
	if err != nil {
		return nil, err
	}
	var m Confirm
	if err := r.field("signature", m.Signature[:]); err != nil {
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

// Marshal encodes m; it is the inverse of ParseConfirm.
func (m *Confirm) Marshal() []byte {
	b := make([]byte, 0, ConfirmSize)
	b = appendHeader(b, TypeConfirm)
	b = appendField(b, m.Signature[:])
	return appendField(b, m.MAC[:])
}
