package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/parley-voip/parley/crypto/identity"
)

// Trust is what this user knows about a contact's device keys.
type Trust int

const (
	// TrustUnverified: no code was compared with this contact (or device).
	TrustUnverified Trust = iota
	// TrustVerified: the key that took part was marked verified after a
	// code comparison.
	TrustVerified
	// TrustChanged: the contact had verified keys and a call presented
	// another one; until the code is compared again the contact is not
	// verified.
	TrustChanged
)

// KeyChangedWarning is the warning on the call screen and in the contact
// list for a contact whose security key changed.
func KeyChangedWarning(name string) string {
	return name + "'s security key has changed — compare the code again"
}

// VerifiedContactsFile holds the verified contacts inside the app's data
// folder (0600).
const VerifiedContactsFile = "verified-contacts.json"

// maxVerifiedFile bounds the file read at start: thousands of contacts
// with several devices each fit well below it.
const maxVerifiedFile = 4 << 20

// VerifiedContacts remembers, for each local user, the device identity
// keys of other users that were verified by comparing the code, and which
// contacts presented a different key since. It is safe for concurrent use
// and saves every change at once when it has a file.
type VerifiedContacts struct {
	path string // "" keeps it in memory

	mu   sync.Mutex
	data verifiedData
}

type verifiedData struct {
	Version int `json:"version"`
	// Users maps the local user id to its contacts by user id.
	Users map[string]map[string]*verifiedPeer `json:"users"`
}

type verifiedPeer struct {
	// Keys are the verified device keys, one per device.
	Keys []identity.PublicKey `json:"keys"`
	// Changed is set when a call presented a key not in Keys.
	Changed bool `json:"changed,omitempty"`
}

// NewVerifiedContacts is a store kept in memory only (tests, or an app
// without a data folder).
func NewVerifiedContacts() *VerifiedContacts { return &VerifiedContacts{} }

// OpenVerifiedContacts reads the store at path; a missing file is an empty
// store. A file that cannot be parsed is an error, never silently emptied:
// that would drop every verification without a warning.
func OpenVerifiedContacts(path string) (*VerifiedContacts, error) {
	v := &VerifiedContacts{path: path}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return v, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrVerifiedStore, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxVerifiedFile+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrVerifiedStore, err)
	}
	if len(b) > maxVerifiedFile {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrVerifiedStore, path, maxVerifiedFile)
	}
	if err := json.Unmarshal(b, &v.data); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrVerifiedStore, path, err)
	}
	if v.data.Version != 1 {
		return nil, fmt.Errorf("%w: %s: unknown version %d", ErrVerifiedStore, path, v.data.Version)
	}
	return v, nil
}

// OpenVerifiedContactsIn opens the store in the app's data folder dir.
func OpenVerifiedContactsIn(dir string) (*VerifiedContacts, error) {
	return OpenVerifiedContacts(filepath.Join(dir, VerifiedContactsFile))
}

func (v *VerifiedContacts) peer(me, peer string, create bool) *verifiedPeer {
	peers := v.data.Users[me]
	if peers == nil {
		if !create {
			return nil
		}
		if v.data.Users == nil {
			v.data.Users = map[string]map[string]*verifiedPeer{}
		}
		peers = map[string]*verifiedPeer{}
		v.data.Users[me] = peers
	}
	p := peers[peer]
	if p == nil && create {
		p = &verifiedPeer{}
		peers[peer] = p
	}
	return p
}

func hasKey(keys []identity.PublicKey, k identity.PublicKey) bool {
	return slices.ContainsFunc(keys, k.Equal)
}

// Seen records that a completed E2EE call between me and peer was
// authenticated by peer's device key k, and says what the call screen
// shows: Verified for a verified key, Changed (and the contact marked so)
// for a contact that has verified keys but not this one, else Unverified.
func (v *VerifiedContacts) Seen(me, peer string, k identity.PublicKey) (Trust, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	p := v.peer(me, peer, false)
	switch {
	case p == nil || len(p.Keys) == 0:
		return TrustUnverified, nil
	case hasKey(p.Keys, k):
		return TrustVerified, nil
	}
	if !p.Changed {
		p.Changed = true
		if err := v.saveLocked(); err != nil {
			return TrustChanged, err
		}
	}
	return TrustChanged, nil
}

// Verify marks peer's device key k verified for me (the code was
// compared), which also clears a key-change warning.
func (v *VerifiedContacts) Verify(me, peer string, k identity.PublicKey) error {
	if k.IsZero() {
		return fmt.Errorf("%w: no key to verify", ErrVerifiedStore)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	p := v.peer(me, peer, true)
	if !hasKey(p.Keys, k) {
		p.Keys = append(p.Keys, k)
	}
	p.Changed = false
	return v.saveLocked()
}

// Contact is the contact list's view of peer: Changed while a key change
// is not resolved, Verified with at least one verified device, else
// Unverified.
func (v *VerifiedContacts) Contact(me, peer string) Trust {
	v.mu.Lock()
	defer v.mu.Unlock()
	p := v.peer(me, peer, false)
	switch {
	case p == nil || len(p.Keys) == 0:
		return TrustUnverified
	case p.Changed:
		return TrustChanged
	}
	return TrustVerified
}

func (v *VerifiedContacts) saveLocked() error {
	if v.path == "" {
		return nil
	}
	v.data.Version = 1
	b, err := json.MarshalIndent(&v.data, "", "  ")
	if err != nil {
		return fmt.Errorf("%w: %w", ErrVerifiedStore, err)
	}
	if err := writePrivate(v.path, b); err != nil {
		return fmt.Errorf("%w: %w", ErrVerifiedStore, err)
	}
	return nil
}
