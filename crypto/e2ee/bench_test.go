package e2ee

import "testing"

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
