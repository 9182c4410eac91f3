//go:build cgo && unix

package vp8_test

import (
	"fmt"
	"image"
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/cputime"
	"github.com/parley-voip/parley/media/quality"
	"github.com/parley-voip/parley/media/vp8"
)

// benchCases are the call's sizes at the bitrates the sender uses for
// them, for a camera and for a shared screen.
var benchCases = []struct {
	name          string
	w, h, bitrate int
	content       vp8.Content
}{
	{"360p", 640, 360, 600_000, vp8.Motion},
	{"720p", 1280, 720, 2_000_000, vp8.Motion},
	{"720p-screen", 1280, 720, 1_000_000, vp8.Detail},
}

// BenchmarkEncode encodes the moving test pattern frame after frame and
// reports frames per second on one goroutine (libvpx may use a second
// thread: Threads 2).
func BenchmarkEncode(b *testing.B) {
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			cfg := vp8.DefaultEncoderConfig()
			cfg.Width, cfg.Height, cfg.Bitrate, cfg.Content = c.w, c.h, c.bitrate, c.content
			cfg.MaxBitrate = max(cfg.MaxBitrate, c.bitrate)
			enc, _ := newCodec(b, cfg)
			frames := renderFrames(b, c.w, c.h, 60)
			var buf []byte
			var bytes int
			n := 0
			start := time.Now()
			for b.Loop() {
				var err error
				buf, _, err = enc.Encode(buf[:0], frames[n%len(frames)], false)
				if err != nil {
					b.Fatal(err)
				}
				bytes += len(buf)
				n++
			}
			b.ReportMetric(float64(n)/time.Since(start).Seconds(), "fps")
			b.ReportMetric(float64(bytes)/float64(n), "B/frame")
		})
	}
}

// BenchmarkDecode decodes a 2 s stream over and over.
func BenchmarkDecode(b *testing.B) {
	for _, c := range benchCases[:2] {
		b.Run(c.name, func(b *testing.B) {
			cfg := vp8.DefaultEncoderConfig()
			cfg.Width, cfg.Height, cfg.Bitrate = c.w, c.h, c.bitrate
			enc, _ := newCodec(b, cfg)
			var stream [][]byte
			for i, f := range renderFrames(b, c.w, c.h, 60) {
				out, _, err := enc.Encode(nil, f, i == 0)
				if err != nil {
					b.Fatal(err)
				}
				stream = append(stream, out)
			}
			var dec *vp8.Decoder
			n := 0
			start := time.Now()
			for b.Loop() {
				if n%len(stream) == 0 {
					if dec != nil {
						dec.Close()
					}
					var err error
					if dec, err = vp8.NewDecoder(); err != nil {
						b.Fatal(err)
					}
				}
				if _, err := dec.Decode(stream[n%len(stream)]); err != nil {
					b.Fatal(err)
				}
				n++
			}
			dec.Close()
			b.ReportMetric(float64(n)/time.Since(start).Seconds(), "fps")
		})
	}
}

func renderFrames(b *testing.B, w, h, n int) []*image.YCbCr {
	p := pattern(b, w, h)
	out := make([]*image.YCbCr, n)
	for i := range out {
		out[i] = p.Render(uint32(i))
	}
	return out
}

// BenchmarkEncodeSettings encodes 720p (2 Mbit/s) and 360p (600 kbit/s)
// camera pictures at libvpx's realtime speeds and thread counts, and
// reports frames per second of one encoder, the CPU it takes per frame
// (libvpx's threads included) and the quality (mean luma PSNR of the
// decoded pictures): the figures the default Speed and Threads are chosen
// from (docs/media.md "Encoder settings").
func BenchmarkEncodeSettings(b *testing.B) {
	for _, c := range benchCases[:2] {
		for _, speed := range []int{6, 8, 10, 12, 16} {
			for _, threads := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/speed=%d/threads=%d", c.name, speed, threads), func(b *testing.B) {
					cfg := vp8.DefaultEncoderConfig()
					cfg.Width, cfg.Height, cfg.Bitrate = c.w, c.h, c.bitrate
					cfg.Speed, cfg.Threads = speed, threads
					enc, dec := newCodec(b, cfg)
					frames := renderFrames(b, c.w, c.h, 60)
					var buf []byte
					var psnr float64
					n := 0
					cpu0, start := cputime.Process(), time.Now()
					for b.Loop() {
						var err error
						buf, _, err = enc.Encode(buf[:0], frames[n%len(frames)], n == 0)
						if err != nil {
							b.Fatal(err)
						}
						b.StopTimer()
						img, err := dec.Decode(buf)
						if err != nil {
							b.Fatal(err)
						}
						psnr += quality.PSNR(frames[n%len(frames)], img)
						b.StartTimer()
						n++
					}
					_ = start
					b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "fps")
					b.ReportMetric(psnr/float64(n), "dB")
					b.ReportMetric(float64((cputime.Process()-cpu0).Microseconds())/float64(n)/1000, "ms-cpu/frame")
				})
			}
		}
	}
}
