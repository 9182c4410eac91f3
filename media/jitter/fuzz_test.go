package jitter

import (
	"testing"
)

// FuzzBuffer drives the buffer with arbitrary push/pop sequences (sequence
// numbers come from the network) and checks its invariants: every accepted
// frame is played, dropped or still held; frames come out intact and in
// sequence order between restarts; the buffer never exceeds its capacity.
func FuzzBuffer(f *testing.F) {
	f.Add([]byte{0, 1, 0, 0, 2, 0, 0, 3, 0, 1, 0, 0, 1, 0, 0})
	f.Add([]byte{0, 0xff, 0xfe, 0, 0xff, 0xff, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0})
	f.Add([]byte{0, 0, 5, 0, 0, 3, 2, 0, 9, 1, 0, 0, 0, 0x80, 0, 1, 0, 0})
	f.Fuzz(func(t *testing.T, ops []byte) {
		b, err := New(Config{Delay: 2, Capacity: 8})
		if err != nil {
			t.Fatal(err)
		}
		dst := make([]byte, 0, 8)
		var last uint16
		haveLast := false
		resets := uint64(0)
		for len(ops) >= 3 {
			op, seq := ops[0]%3, uint16(ops[1])<<8|uint16(ops[2])
			ops = ops[3:]
			switch op {
			case 0:
				_ = b.Push(1, seq, uint32(seq), payloadFor(seq))
			case 2:
				_ = b.Push(2, seq, uint32(seq), payloadFor(seq))
			case 1:
				frame, status := b.Pop(dst)
				if st := b.Stats(); st.Resets != resets {
					resets, haveLast = st.Resets, false
				}
				switch status {
				case Buffering:
					haveLast = false
				case Ready:
					if string(frame.Payload) != string(payloadFor(frame.Seq)) {
						t.Fatalf("frame %d carries %x", frame.Seq, frame.Payload)
					}
					if haveLast && seqDiff(frame.Seq, last) <= 0 {
						t.Fatalf("frame %d played after %d", frame.Seq, last)
					}
					last, haveLast = frame.Seq, true
				case Compress:
					if string(frame.Payload) != string(payloadFor(frame.Seq)) || string(frame.Next) != string(payloadFor(frame.Seq+1)) {
						t.Fatalf("compressed frames %d, %d carry %x, %x", frame.Seq, frame.Seq+1, frame.Payload, frame.Next)
					}
					if haveLast && seqDiff(frame.Seq, last) <= 0 {
						t.Fatalf("frame %d played after %d", frame.Seq, last)
					}
					last, haveLast = frame.Seq+1, true
				case Lost:
					if len(frame.Payload) > 0 && string(frame.Payload) != string(payloadFor(frame.Seq)) {
						t.Fatalf("fec frame %d carries %x", frame.Seq, frame.Payload)
					}
				}
			}
			st := b.Stats()
			if st.Buffered > 8 || st.Buffered < 0 {
				t.Fatalf("buffered %d", st.Buffered)
			}
			if st.Pushed != st.Played+st.Dropped+uint64(st.Buffered) {
				t.Fatalf("frames unaccounted for: %+v", st)
			}
		}
	})
}
