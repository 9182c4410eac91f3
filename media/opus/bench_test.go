package opus

import (
	"testing"
)

// BenchmarkEncode20ms encodes one 20 ms frame at the default complexity
// (libopus's 9) and at 5, the usual choice when CPU matters more, with
// FEC planned for the default 10 % loss; and at complexity 5 with FEC
// off or planned for 5 %, at which libopus adds no FEC data to a 32 kb/s
// frame (what that costs: docs/media.md, "Side by side with baresip").
func BenchmarkEncode20ms(b *testing.B) {
	cases := []struct {
		name       string
		complexity int
		fec        bool
		loss       int
	}{
		{"complexity=default", 0, true, DefaultPacketLossPercent},
		{"complexity=5", 5, true, DefaultPacketLossPercent},
		{"complexity=5/fec=off", 5, false, 0},
		{"complexity=5/loss=5", 5, true, 5},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			cfg := DefaultEncoderConfig()
			cfg.Complexity = c.complexity
			cfg.FEC, cfg.PacketLossPercent = c.fec, c.loss
			enc, err := NewEncoder(cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer enc.Close()
			src := voiced(testRate)
			dst := make([]byte, MaxPacketSize)
			frames := len(src) / testFrame
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				off := (i % frames) * testFrame
				if _, err := enc.Encode(src[off:off+testFrame], dst); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func BenchmarkDecode20ms(b *testing.B) {
	enc, err := NewEncoder(DefaultEncoderConfig())
	if err != nil {
		b.Fatal(err)
	}
	pkts := encodeAll(b, enc, voiced(testRate))
	enc.Close()
	dec, err := NewDecoder(testRate, 1)
	if err != nil {
		b.Fatal(err)
	}
	defer dec.Close()
	pcm := make([]int16, testFrame)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := dec.Decode(pkts[i%len(pkts)], pcm); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
