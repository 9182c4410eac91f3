package e2ee

import (
	"bytes"
	"errors"
	"testing"
)

func trackCiphers(t *testing.T, tracks []Track, opts ...MediaOption) ([]*MediaCipher, []*MediaCipher) {
	t.Helper()
	ri, rr := pair(t, mustNew(t, testConfig(Initiator)), mustNew(t, testConfig(Responder)))
	a, err := NewTrackCiphers(ri, tracks, opts...)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewTrackCiphers(rr, tracks, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if !ri.Erased() || !rr.Erased() {
		t.Fatal("NewTrackCiphers left the result's keys")
	}
	return a, b
}

// TestTrackCiphers: each track has its own keys and KIDs in each
// direction; a frame opens only on its own track's cipher of the peer, and
// the audio track keeps the KIDs calls had before video.
func TestTrackCiphers(t *testing.T) {
	t.Parallel()
	tracks := []Track{TrackAudio, TrackCamera, TrackScreen}
	a, b := trackCiphers(t, tracks)
	kids := map[uint64]bool{}
	var sealed [3][]byte
	for i := range tracks {
		for n := range 3 {
			roundtrip(t, a[i], b[i], n)
			roundtrip(t, b[i], a[i], n)
		}
		s, err := a[i].Seal(nil, frame(99))
		if err != nil {
			t.Fatal(err)
		}
		sealed[i] = s
		for _, c := range []*MediaCipher{a[i], b[i]} {
			k := c.kid(0, c.sendDir)
			if kids[k] {
				t.Fatalf("track %d reuses KID %d", tracks[i], k)
			}
			kids[k] = true
		}
	}
	if a[0].kid(0, a[0].sendDir) != kidFor(0, a[0].sendDir) {
		t.Fatal("audio KIDs changed")
	}
	// The same plaintext at the same counter under two tracks: different
	// keys, so different ciphertexts (no shared nonce).
	if bytes.Equal(sealed[1][len(sealed[1])-20:], sealed[2][len(sealed[2])-20:]) {
		t.Fatal("camera and screen seal alike")
	}
	for i := range tracks {
		for j := range tracks {
			if i == j {
				continue
			}
			if _, err := b[j].Open(nil, sealed[i]); !errors.Is(err, ErrWrongTrack) {
				t.Fatalf("track %d frame on track %d cipher: %v, want ErrWrongTrack", tracks[i], tracks[j], err)
			}
		}
	}
}

// TestTrackRatchet: a video track rekeys and follows on its own, under its
// own KIDs, with the old key erased after the grace.
func TestTrackRatchet(t *testing.T) {
	t.Parallel()
	a, b := trackCiphers(t, []Track{TrackAudio, TrackCamera}, WithRekeyEvery(5), WithGraceFrames(2))
	for n := range 23 {
		roundtrip(t, a[1], b[1], n)
	}
	if a[1].SendEpoch() != 4 || b[1].ReceiveEpoch() != 4 {
		t.Fatalf("camera epochs %d/%d, want 4", a[1].SendEpoch(), b[1].ReceiveEpoch())
	}
	if a[0].SendEpoch() != 0 {
		t.Fatal("the audio track moved with the camera's")
	}
	if b[1].recv.HasKey(a[1].kid(3, a[1].sendDir)) {
		t.Fatal("epoch 3 key kept after the grace")
	}
}

// TestTrackCiphersConfig: repeated and out-of-range tracks are refused and
// leave the result usable.
func TestTrackCiphersConfig(t *testing.T) {
	t.Parallel()
	ri, _ := pair(t, mustNew(t, testConfig(Initiator)), mustNew(t, testConfig(Responder)))
	for _, tr := range [][]Track{{TrackCamera, TrackCamera}, {MaxTrack + 1}} {
		if _, err := NewTrackCiphers(ri, tr); !errors.Is(err, ErrInvalidConfig) {
			t.Fatalf("%v: %v", tr, err)
		}
	}
	if ri.Erased() {
		t.Fatal("a refused call erased the result")
	}
}
