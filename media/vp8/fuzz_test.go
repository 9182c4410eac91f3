//go:build cgo

package vp8_test

import (
	"errors"
	"testing"

	"github.com/parley-voip/parley/media/vp8"
)

// FuzzDecode feeds arbitrary bytes to a decoder primed with a keyframe: it
// must never crash and fail only with the package's typed errors.
func FuzzDecode(f *testing.F) {
	cfg := vp8.DefaultEncoderConfig()
	cfg.Width, cfg.Height = 320, 180
	enc, err := vp8.NewEncoder(cfg)
	if err != nil {
		f.Fatal(err)
	}
	p := pattern(f, 320, 180)
	key, _, err := enc.Encode(nil, p.Render(0), false)
	if err != nil {
		f.Fatal(err)
	}
	for n := range uint32(3) {
		fr, _, err := enc.Encode(nil, p.Render(n+1), false)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(fr)
	}
	enc.Close()
	f.Add(key)
	f.Add(key[:20])
	f.Add([]byte{0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xb4, 0x00})
	f.Add([]byte{0xff})
	f.Fuzz(func(t *testing.T, frame []byte) {
		dec, err := vp8.NewDecoder()
		if err != nil {
			t.Fatal(err)
		}
		defer dec.Close()
		if _, err := dec.Decode(key); err != nil {
			t.Fatal(err)
		}
		img, err := dec.Decode(frame)
		if err != nil {
			for _, want := range []error{vp8.ErrEmptyFrame, vp8.ErrFrameTooLarge, vp8.ErrPictureSize, vp8.ErrCorrupt, vp8.ErrCodec} {
				if errors.Is(err, want) {
					return
				}
			}
			t.Fatalf("untyped error %v", err)
		}
		if img.Rect.Dx() > vp8.MaxWidth || img.Rect.Dy() > vp8.MaxHeight {
			t.Fatalf("picture %v over the limits", img.Rect)
		}
	})
}
