//go:build cgo

package vp8_test

import (
	"errors"
	"testing"

	"github.com/parley-voip/parley/media/quality"
	"github.com/parley-voip/parley/media/video"
	"github.com/parley-voip/parley/media/vp8"
)

func pattern(t testing.TB, w, h int) *video.Pattern {
	t.Helper()
	cfg := video.DefaultPatternConfig()
	cfg.Width, cfg.Height = w, h
	p, err := video.NewPattern(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func newCodec(t testing.TB, cfg vp8.EncoderConfig) (*vp8.Encoder, *vp8.Decoder) {
	t.Helper()
	enc, err := vp8.NewEncoder(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(enc.Close)
	dec, err := vp8.NewDecoder()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(dec.Close)
	return enc, dec
}

// TestRoundTrip: 60 frames of the moving pattern at 360p through encoder
// and decoder keep the picture (PSNR) and every frame counter.
func TestRoundTrip(t *testing.T) {
	cfg := vp8.DefaultEncoderConfig()
	enc, dec := newCodec(t, cfg)
	p := pattern(t, cfg.Width, cfg.Height)
	var total int
	minPSNR := 1e9
	for n := range uint32(60) {
		src := p.Render(n)
		frame, key, err := enc.Encode(nil, src, false)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 && !key {
			t.Fatal("first frame is not a keyframe")
		}
		if key != vp8.IsKeyframe(frame) {
			t.Fatalf("frame %d: encoder says key=%v, IsKeyframe %v", n, key, vp8.IsKeyframe(frame))
		}
		total += len(frame)
		got, err := dec.Decode(frame)
		if err != nil {
			t.Fatalf("frame %d: %v", n, err)
		}
		if c, ok := video.ReadCounter(got); !ok || c != n {
			t.Fatalf("frame %d: counter %d, %v", n, c, ok)
		}
		minPSNR = min(minPSNR, quality.PSNR(src, got))
	}
	kbps := total * 8 * 30 / 60 / 1000
	t.Logf("60 frames, %d kbit/s, min PSNR %.1f dB", kbps, minPSNR)
	if minPSNR < 30 {
		t.Fatalf("min PSNR %.1f dB < 30", minPSNR)
	}
	if kbps > 2*cfg.Bitrate/1000 {
		t.Fatalf("%d kbit/s, target %d", kbps, cfg.Bitrate/1000)
	}
}

// TestForceKeyframe: a requested keyframe comes as the next frame, and a
// fresh decoder starts from it (what a PLI achieves after loss).
func TestForceKeyframe(t *testing.T) {
	enc, _ := newCodec(t, vp8.DefaultEncoderConfig())
	p := pattern(t, 640, 360)
	for n := range uint32(10) {
		if _, _, err := enc.Encode(nil, p.Render(n), false); err != nil {
			t.Fatal(err)
		}
	}
	delta, key, err := enc.Encode(nil, p.Render(10), false)
	if err != nil || key {
		t.Fatalf("frame 10: key %v, %v", key, err)
	}
	late, err := vp8.NewDecoder()
	if err != nil {
		t.Fatal(err)
	}
	defer late.Close()
	if _, err := late.Decode(delta); !errors.Is(err, vp8.ErrNoKeyframe) {
		t.Fatalf("delta frame first: %v, want ErrNoKeyframe", err)
	}
	kf, key, err := enc.Encode(nil, p.Render(11), true)
	if err != nil || !key {
		t.Fatalf("forced: key %v, %v", key, err)
	}
	got, err := late.Decode(kf)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := video.ReadCounter(got); !ok || c != 11 {
		t.Fatalf("counter %d, %v", c, ok)
	}
}

// TestBitrate: the target follows SetBitrate within the configured range,
// and a lower target gives smaller frames.
func TestBitrate(t *testing.T) {
	cfg := vp8.DefaultEncoderConfig()
	enc, _ := newCodec(t, cfg)
	p := pattern(t, 640, 360)
	size := func(from uint32) int {
		var total int
		for n := from; n < from+60; n++ {
			f, _, err := enc.Encode(nil, p.Render(n), false)
			if err != nil {
				t.Fatal(err)
			}
			total += len(f)
		}
		return total
	}
	if got, _ := enc.SetBitrate(2_000_000); got != 2_000_000 {
		t.Fatalf("SetBitrate(2M) = %d", got)
	}
	high := size(0)
	if got, _ := enc.SetBitrate(1); got != cfg.MinBitrate {
		t.Fatalf("SetBitrate(1) = %d, want the minimum %d", got, cfg.MinBitrate)
	}
	size(60) // let the rate control settle
	low := size(120)
	t.Logf("2 s at 2 Mbit/s: %d bytes; at %d bit/s: %d bytes", high, cfg.MinBitrate, low)
	if low*3 > high {
		t.Fatalf("low rate %d bytes not well under high rate %d", low, high)
	}
}

// TestResize: a picture of another size restarts the encoder on a keyframe.
func TestResize(t *testing.T) {
	enc, dec := newCodec(t, vp8.DefaultEncoderConfig())
	for i, sz := range [][2]int{{640, 360}, {1280, 720}, {640, 360}} {
		p := pattern(t, sz[0], sz[1])
		f, key, err := enc.Encode(nil, p.Render(uint32(i)), false)
		if err != nil || !key {
			t.Fatalf("%v: key %v, %v", sz, key, err)
		}
		got, err := dec.Decode(f)
		if err != nil || got.Rect.Dx() != sz[0] || got.Rect.Dy() != sz[1] {
			t.Fatalf("%v: decoded %v, %v", sz, got.Rect, err)
		}
	}
}

// TestDecodeLimits: oversized frames and pictures are refused up front.
func TestDecodeLimits(t *testing.T) {
	dec, err := vp8.NewDecoder()
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	if _, err := dec.Decode(nil); !errors.Is(err, vp8.ErrEmptyFrame) {
		t.Fatalf("empty: %v", err)
	}
	if _, err := dec.Decode(make([]byte, vp8.MaxFrameSize+1)); !errors.Is(err, vp8.ErrFrameTooLarge) {
		t.Fatalf("huge: %v", err)
	}
	// A keyframe header declaring 16383×16383.
	bomb := []byte{0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0xff, 0x3f, 0xff, 0x3f, 0, 0, 0, 0}
	if _, err := dec.Decode(bomb); !errors.Is(err, vp8.ErrPictureSize) {
		t.Fatalf("bomb: %v", err)
	}
	if _, err := vp8.NewEncoder(vp8.EncoderConfig{}); !errors.Is(err, vp8.ErrInvalidConfig) {
		t.Fatalf("zero config: %v", err)
	}
}
