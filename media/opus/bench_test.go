package opus

import (
	"fmt"
	"testing"
)

// BenchmarkEncode20ms encodes one 20 ms frame at the default complexity
// (libopus's 9) and at 5, the usual choice when CPU matters more.
func BenchmarkEncode20ms(b *testing.B) {
	for _, complexity := range []int{0, 5} {
		name := "complexity=default"
		if complexity > 0 {
			name = fmt.Sprintf("complexity=%d", complexity)
		}
		b.Run(name, func(b *testing.B) {
			cfg := DefaultEncoderConfig()
			cfg.Complexity = complexity
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
