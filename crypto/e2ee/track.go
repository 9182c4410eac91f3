package e2ee

import (
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
)

// Track names one media track of a call for keying. Every track has its own
// base key per direction and its own KIDs, so its SFrame counters never
// share a key (and so a nonce) with another track's, and a frame moved from
// one track to another fails to open (ErrWrongTrack).
type Track uint8

// The tracks of a call. TrackAudio keys are the handshake's media keys
// themselves (and its KIDs are epoch<<1 | direction, as before video); the
// others are derived from them.
const (
	TrackAudio  Track = 0
	TrackCamera Track = 1
	TrackScreen Track = 2
	// MaxTrack is the highest track number (4 bits of the KID).
	MaxTrack Track = 15
)

// trackShift puts the track above the 57-bit epoch and the direction bit.
const trackShift = 58

// kidOf is the SFrame KID of one track, direction and epoch.
func kidOf(t Track, epoch, dir uint64) uint64 { return uint64(t)<<trackShift | kidFor(epoch, dir) }

// kidTrack and kidEpoch take a KID apart.
func kidTrack(kid uint64) Track  { return Track(kid >> trackShift) }
func kidEpoch(kid uint64) uint64 { return kid & (1<<trackShift - 1) >> 1 }

// trackLabel is the HKDF-Expand info prefix of a track's epoch-0 key.
const trackLabel = "parley-e2ee/v2 track"

// trackKey derives track t's epoch-0 base key of one direction from the
// handshake's: HKDF-Expand(SHA-256, base, label || t || dir, 32). Track 0
// (audio) uses base itself.
func trackKey(base *[baseKeySize]byte, t Track, dir uint64) ([baseKeySize]byte, error) {
	if t == TrackAudio {
		return *base, nil
	}
	var out [baseKeySize]byte
	k, err := hkdf.Expand(sha256.New, base[:], trackLabel+string([]byte{byte(t), byte(dir)}), baseKeySize)
	if err != nil {
		return out, err
	}
	copy(out[:], k)
	clear(k)
	return out, nil
}

// NewTrackCiphers builds one MediaCipher per track from a completed
// handshake's result, each with its own keys and KIDs in both directions,
// and then erases r (as NewMediaCipher does). The ratchet, replay window,
// grace and erasure rules are the same for every track: each cipher runs
// them on its own keys. On error r is left as it was.
func NewTrackCiphers(r *Result, tracks []Track, opts ...MediaOption) ([]*MediaCipher, error) {
	if r == nil || r.send == nil || r.recv == nil {
		return nil, fmt.Errorf("e2ee: new media cipher: %w", ErrErased)
	}
	seen := map[Track]bool{}
	for _, t := range tracks {
		if t > MaxTrack || seen[t] {
			return nil, fmt.Errorf("%w: track %d repeated or over %d", ErrInvalidConfig, t, MaxTrack)
		}
		seen[t] = true
	}
	out := make([]*MediaCipher, 0, len(tracks))
	fail := func(err error) ([]*MediaCipher, error) {
		for _, c := range out {
			c.Close()
		}
		return nil, err
	}
	for _, t := range tracks {
		c, err := newMediaCipher(r, t, opts)
		if err != nil {
			return fail(err)
		}
		out = append(out, c)
	}
	r.Erase()
	return out, nil
}
