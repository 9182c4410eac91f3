package signaling

import "testing"

// BenchmarkDecode measures the strict decoder on a typical candidate frame.
func BenchmarkDecode(b *testing.B) {
	frame := []byte(`{"type":"candidate","from":"alice","to":"bob","call_id":"bench","candidate":{"candidate":"candidate:842163049 1 udp 1677729535 192.0.2.10 53705 typ srflx raddr 0.0.0.0 rport 0 generation 0","sdpMid":"0","sdpMLineIndex":0}}`)
	b.ReportAllocs()
	b.SetBytes(int64(len(frame)))
	for b.Loop() {
		if _, err := Decode(frame); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncode measures validation plus marshalling of the same frame.
func BenchmarkEncode(b *testing.B) {
	mid, idx := "0", uint16(0)
	m := &Message{Type: TypeCandidate, From: "alice", To: "bob", CallID: "bench", Candidate: &Candidate{
		Candidate: "candidate:842163049 1 udp 1677729535 192.0.2.10 53705 typ srflx raddr 0.0.0.0 rport 0 generation 0",
		SDPMid:    &mid, SDPMLineIndex: &idx,
	}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Encode(m); err != nil {
			b.Fatal(err)
		}
	}
}
