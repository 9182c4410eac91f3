package sframe

import (
	"crypto/aes"
	"crypto/cipher"
	"fmt"
	"testing"
)

// Frame sizes: 80 bytes is a 20 ms Opus voice frame at 32 kbit/s; 1200
// bytes is a full-MTU payload; 2500, 8000 and 25000 bytes are VP8 frames
// (a 360p delta frame at 600 kbit/s and 30 fps, a 720p delta frame at
// 2 Mbit/s, a 360p keyframe): video seals whole frames.
var benchSizes = []int{80, 1200, 2500, 8000, 25000}

var benchSuites = []Suite{AES_128_CTR_HMAC_SHA256_80, AES_128_GCM_SHA256_128}

func BenchmarkEncrypt(b *testing.B) {
	for _, s := range benchSuites {
		for _, size := range benchSizes {
			b.Run(fmt.Sprintf("suite=%d/%dB", s, size), func(b *testing.B) {
				send, _ := pair(b, s, 1)
				pt := make([]byte, size)
				dst := make([]byte, 0, size+MaxHeaderSize+16)
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := send.Encrypt(dst, 1, nil, pt); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkDecrypt(b *testing.B) {
	// Each frame decrypts once (replays are refused), so the benchmark
	// cycles through a ring of fresh frames and clears the receiver's
	// window each time round; the clear is one store per ring.
	const ring = 1024
	for _, s := range benchSuites {
		for _, size := range benchSizes {
			b.Run(fmt.Sprintf("suite=%d/%dB", s, size), func(b *testing.B) {
				send, recv := pair(b, s, 1)
				pt := make([]byte, size)
				frames := make([][]byte, ring)
				for i := range frames {
					frames[i] = mustEncrypt(b, send, 1, nil, pt)
				}
				entry := recv.lookup(1)
				dst := make([]byte, 0, size)
				b.SetBytes(int64(size))
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					if i == ring {
						i = 0
						entry.window = replayWindow{}
					}
					if _, err := recv.Decrypt(dst, nil, frames[i]); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		}
	}
}

// BenchmarkRawAESGCM is the yardstick: AES-128-GCM sealing the same sizes
// with no SFrame around it.
func BenchmarkRawAESGCM(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			block, err := aes.NewCipher(testKey(1)[:16])
			if err != nil {
				b.Fatal(err)
			}
			gcm, err := cipher.NewGCM(block)
			if err != nil {
				b.Fatal(err)
			}
			nonce := make([]byte, gcm.NonceSize())
			pt := make([]byte, size)
			dst := make([]byte, 0, size+gcm.Overhead())
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				nonce[11]++
				gcm.Seal(dst, nonce, pt, nil)
			}
		})
	}
}
