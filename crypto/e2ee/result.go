package e2ee

import (
	"fmt"

	"github.com/parley-voip/parley/crypto/identity"
	"github.com/parley-voip/parley/crypto/sframe"
)

// Result is what a completed handshake hands to the call layer: the
// security code to display and the media keys to build a MediaCipher from.
type Result struct {
	code  SecurityCode
	role  Role
	suite sframe.Suite
	peer  identity.PublicKey
	send  *MediaKey
	recv  *MediaKey
}

// Code is the 20-digit security code.
func (r *Result) Code() SecurityCode { return r.code }

// Role is this side's role.
func (r *Result) Role() Role { return r.role }

// Suite is the SFrame suite both sides committed to.
func (r *Result) Suite() sframe.Suite { return r.suite }

// PeerIdentity is the identity key of the device on the other side: it
// signed this call's transcript, so it is the key that took part (and a man
// in the middle shows its own key here, not the peer's).
func (r *Result) PeerIdentity() identity.PublicKey { return r.peer }

// SendKey is the epoch-0 key this side encrypts with; nil once erased.
func (r *Result) SendKey() *MediaKey { return r.send }

// ReceiveKey is the epoch-0 key this side decrypts with; nil once erased.
func (r *Result) ReceiveKey() *MediaKey { return r.recv }

// Erase overwrites the media keys and drops them; it is safe to call more
// than once. NewMediaCipher takes the keys over and erases r itself; a
// MediaCipher built after Erase fails with ErrErased. The code, role, suite
// and peer identity stay readable.
func (r *Result) Erase() {
	if r.send != nil {
		r.send.erase()
	}
	if r.recv != nil {
		r.recv.erase()
	}
	r.send, r.recv = nil, nil
}

// Erased reports whether the media keys are gone.
func (r *Result) Erased() bool { return r.send == nil && r.recv == nil }

// Format prints the code and role, never key material.
func (r *Result) Format(f fmt.State, _ rune) {
	if r == nil {
		fmt.Fprint(f, "e2ee.Result(nil)")
		return
	}
	fmt.Fprintf(f, "e2ee.Result{role: %v, suite: 0x%04x, code: %s, peer: %s}", r.role, uint16(r.suite), r.code, r.peer)
}
