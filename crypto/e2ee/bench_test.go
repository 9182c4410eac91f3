package e2ee

import (
	"fmt"
	"testing"
)

// BenchmarkHandshake is the whole key agreement, both sides, per op: key
// generation, X25519 twice, ML-KEM encapsulation and decapsulation, hashing,
// HKDF and both MACs.
func BenchmarkHandshake(b *testing.B) {
	ci, cr := testConfig(Initiator), testConfig(Responder)
	b.ReportAllocs()
	for b.Loop() {
		i, _ := New(ci)
		r, _ := New(cr)
		commit, _ := i.Start()
		hello, _ := r.Handle(commit)
		reveal, _ := i.Handle(hello)
		confirm, _ := r.Handle(reveal)
		if _, err := i.Handle(confirm); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTrackSeal is what a video frame costs in a call: the camera
// track's MediaCipher (rekey check, lock, SFrame with the call's suite)
// sealing VP8 frame sizes (see crypto/sframe's BenchmarkRawAESGCM for the
// yardstick).
func BenchmarkTrackSeal(b *testing.B) {
	for _, size := range []int{2500, 8000, 25000} {
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			ri, _ := pair(b, mustNew(b, testConfig(Initiator)), mustNew(b, testConfig(Responder)))
			cs, err := NewTrackCiphers(ri, []Track{TrackCamera}, WithRekeyEvery(0))
			if err != nil {
				b.Fatal(err)
			}
			pt := make([]byte, size)
			dst := make([]byte, 0, size+64)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := cs[0].Seal(dst, pt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
