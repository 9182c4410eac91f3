//go:build cgo

package vp8

/*
#cgo pkg-config: vpx
#include <stdlib.h>
#include <string.h>
#include <vpx/vpx_encoder.h>
#include <vpx/vpx_decoder.h>
#include <vpx/vp8cx.h>
#include <vpx/vp8dx.h>

typedef struct {
	vpx_codec_ctx_t ctx;
	vpx_codec_enc_cfg_t cfg;
	vpx_image_t img;
} parley_enc;

static vpx_codec_err_t parley_enc_init(parley_enc *e, unsigned w, unsigned h, int fps,
		unsigned kbps, unsigned kf, int threads, int speed, int screen) {
	vpx_codec_err_t err = vpx_codec_enc_config_default(vpx_codec_vp8_cx(), &e->cfg, 0);
	if (err) return err;
	e->cfg.g_w = w;
	e->cfg.g_h = h;
	e->cfg.g_timebase.num = 1;
	e->cfg.g_timebase.den = fps;
	e->cfg.g_threads = threads;
	e->cfg.g_lag_in_frames = 0;
	e->cfg.g_error_resilient = VPX_ERROR_RESILIENT_DEFAULT;
	e->cfg.g_pass = VPX_RC_ONE_PASS;
	e->cfg.rc_end_usage = VPX_CBR;
	e->cfg.rc_target_bitrate = kbps;
	e->cfg.rc_dropframe_thresh = 0;
	e->cfg.rc_resize_allowed = 0;
	e->cfg.rc_min_quantizer = 2;
	e->cfg.rc_max_quantizer = 56;
	e->cfg.rc_undershoot_pct = 100;
	e->cfg.rc_overshoot_pct = 15;
	e->cfg.rc_buf_initial_sz = 500;
	e->cfg.rc_buf_optimal_sz = 600;
	e->cfg.rc_buf_sz = 1000;
	e->cfg.kf_mode = VPX_KF_AUTO;
	e->cfg.kf_min_dist = 0;
	e->cfg.kf_max_dist = kf;
	err = vpx_codec_enc_init(&e->ctx, vpx_codec_vp8_cx(), &e->cfg, 0);
	if (err) return err;
	vpx_codec_control(&e->ctx, VP8E_SET_CPUUSED, -speed);
	vpx_codec_control(&e->ctx, VP8E_SET_STATIC_THRESHOLD, screen ? 100 : 1);
	vpx_codec_control(&e->ctx, VP8E_SET_NOISE_SENSITIVITY, 0);
	vpx_codec_control(&e->ctx, VP8E_SET_TOKEN_PARTITIONS, threads > 1 ? VP8_TWO_TOKENPARTITION : VP8_ONE_TOKENPARTITION);
	vpx_codec_control(&e->ctx, VP8E_SET_MAX_INTRA_BITRATE_PCT, 300);
	vpx_codec_control(&e->ctx, VP8E_SET_SCREEN_CONTENT_MODE, screen ? 1 : 0);
	vpx_img_wrap(&e->img, VPX_IMG_FMT_I420, w, h, 1, NULL);
	return VPX_CODEC_OK;
}

static vpx_codec_err_t parley_enc_rate(parley_enc *e, unsigned kbps) {
	e->cfg.rc_target_bitrate = kbps;
	return vpx_codec_enc_config_set(&e->ctx, &e->cfg);
}

// parley_encode points the image at the caller's planes for this call only
// and copies the output into out (cap bytes); *n is the size, or the size
// needed when over cap (then nothing is copied past cap).
static vpx_codec_err_t parley_encode(parley_enc *e, unsigned char *y, unsigned char *u, unsigned char *v,
		int ys, int cs, long pts, int force, unsigned char *out, size_t cap, size_t *n, int *key) {
	e->img.planes[0] = y; e->img.planes[1] = u; e->img.planes[2] = v;
	e->img.stride[0] = ys; e->img.stride[1] = cs; e->img.stride[2] = cs;
	vpx_codec_err_t err = vpx_codec_encode(&e->ctx, &e->img, pts, 1, force ? VPX_EFLAG_FORCE_KF : 0, VPX_DL_REALTIME);
	e->img.planes[0] = e->img.planes[1] = e->img.planes[2] = NULL;
	*n = 0; *key = 0;
	if (err) return err;
	vpx_codec_iter_t it = NULL;
	const vpx_codec_cx_pkt_t *p;
	while ((p = vpx_codec_get_cx_data(&e->ctx, &it)) != NULL) {
		if (p->kind != VPX_CODEC_CX_FRAME_PKT) continue;
		if (*n + p->data.frame.sz <= cap) memcpy(out + *n, p->data.frame.buf, p->data.frame.sz);
		*n += p->data.frame.sz;
		if (p->data.frame.flags & VPX_FRAME_IS_KEY) *key = 1;
	}
	return VPX_CODEC_OK;
}

static vpx_codec_err_t parley_dec_init(vpx_codec_ctx_t *ctx) {
	vpx_codec_dec_cfg_t cfg = {0};
	cfg.threads = 1;
	return vpx_codec_dec_init(ctx, vpx_codec_vp8_dx(), &cfg, 0);
}

static vpx_image_t *parley_decode(vpx_codec_ctx_t *ctx, const unsigned char *data, unsigned size, vpx_codec_err_t *err) {
	*err = vpx_codec_decode(ctx, data, size, NULL, 0);
	if (*err) return NULL;
	vpx_codec_iter_t it = NULL;
	return vpx_codec_get_frame(ctx, &it);
}
*/
import "C"

import (
	"fmt"
	"image"
	"sync"
	"unsafe"
)

// Available reports whether this build has libvpx (false only in a build
// without cgo, whose Encoder and Decoder return ErrUnavailable).
const Available = true

// Version is libvpx's version string.
func Version() string { return C.GoString(C.vpx_codec_version_str()) }

func codecErr(err C.vpx_codec_err_t) error {
	switch err {
	case C.VPX_CODEC_CORRUPT_FRAME, C.VPX_CODEC_UNSUP_BITSTREAM, C.VPX_CODEC_UNSUP_FEATURE, C.VPX_CODEC_INVALID_PARAM:
		return fmt.Errorf("%w: %s", ErrCorrupt, C.GoString(C.vpx_codec_err_to_string(err)))
	default:
		return fmt.Errorf("%w: %s", ErrCodec, C.GoString(C.vpx_codec_err_to_string(err)))
	}
}

// Encoder is one VP8 encoder. Encode and SetBitrate may be called from
// different goroutines.
type Encoder struct {
	mu      sync.Mutex
	cfg     EncoderConfig
	enc     *C.parley_enc // C memory: libvpx keeps pointers into it
	pts     int64
	bitrate int
	closed  bool
}

// NewEncoder starts an encoder.
func NewEncoder(cfg EncoderConfig) (*Encoder, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	e := &Encoder{cfg: cfg, bitrate: cfg.Bitrate}
	if err := e.init(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	return e, nil
}

func (e *Encoder) init(w, h int) error {
	enc := (*C.parley_enc)(C.calloc(1, C.size_t(unsafe.Sizeof(C.parley_enc{}))))
	if enc == nil {
		return fmt.Errorf("%w: out of memory", ErrCodec)
	}
	screen := 0
	if e.cfg.Content == Detail {
		screen = 1
	}
	threads := e.cfg.Threads
	if threads == 0 {
		threads = AutoThreads(w, h)
	}
	if err := C.parley_enc_init(enc, C.uint(w), C.uint(h), C.int(e.cfg.FrameRate), C.uint(e.bitrate/1000),
		C.uint(e.cfg.KeyframeInterval), C.int(threads), C.int(e.cfg.Speed), C.int(screen)); err != 0 {
		C.free(unsafe.Pointer(enc))
		return codecErr(err)
	}
	e.enc = enc
	e.cfg.Width, e.cfg.Height = w, h
	return nil
}

func (e *Encoder) destroy() {
	if e.enc != nil {
		C.vpx_codec_destroy(&e.enc.ctx)
		C.free(unsafe.Pointer(e.enc))
		e.enc = nil
	}
}

// SetBitrate moves the target bitrate (bit/s), clamped to the configured
// MinBitrate..MaxBitrate, from the next frame on; it returns the target set.
func (e *Encoder) SetBitrate(bps int) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return 0, ErrClosed
	}
	bps = max(e.cfg.MinBitrate, min(e.cfg.MaxBitrate, bps))
	if bps/1000 == e.bitrate/1000 {
		return e.bitrate, nil
	}
	if err := C.parley_enc_rate(e.enc, C.uint(bps/1000)); err != 0 {
		return e.bitrate, codecErr(err)
	}
	e.bitrate = bps
	return bps, nil
}

// Bitrate is the current target in bit/s.
func (e *Encoder) Bitrate() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.bitrate
}

// Encode compresses one 4:2:0 picture (forceKey: as a keyframe) and appends
// the frame to dst. A picture of a new size restarts the encoder, which
// then sends a keyframe. libvpx never drops a frame here (no frame
// dropping in CBR), so every picture gives one frame.
func (e *Encoder) Encode(dst []byte, img *image.YCbCr, forceKey bool) (out []byte, key bool, err error) {
	if img.SubsampleRatio != image.YCbCrSubsampleRatio420 {
		return dst, false, fmt.Errorf("%w: not 4:2:0", ErrPictureSize)
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if w < 16 || h < 16 || w > MaxWidth || h > MaxHeight || w%2 != 0 || h%2 != 0 {
		return dst, false, fmt.Errorf("%w: %d×%d", ErrPictureSize, w, h)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return dst, false, ErrClosed
	}
	if w != e.cfg.Width || h != e.cfg.Height {
		e.destroy()
		if err := e.init(w, h); err != nil {
			e.closed = true
			return dst, false, err
		}
	}
	// Room for a keyframe at 4 bits a pixel; grown on the rare overflow.
	need := w * h / 2
	for {
		start := len(dst)
		if cap(dst)-start < need {
			dst = append(dst[:start], make([]byte, need)...)[:start]
		}
		buf := dst[start:cap(dst)]
		var n C.size_t
		var k C.int
		force := 0
		if forceKey {
			force = 1
		}
		y0 := img.YOffset(img.Rect.Min.X, img.Rect.Min.Y)
		c0 := img.COffset(img.Rect.Min.X, img.Rect.Min.Y)
		if err := C.parley_encode(e.enc,
			(*C.uchar)(unsafe.Pointer(&img.Y[y0])), (*C.uchar)(unsafe.Pointer(&img.Cb[c0])), (*C.uchar)(unsafe.Pointer(&img.Cr[c0])),
			C.int(img.YStride), C.int(img.CStride), C.long(e.pts), C.int(force),
			(*C.uchar)(unsafe.Pointer(unsafe.SliceData(buf))), C.size_t(len(buf)), &n, &k); err != 0 {
			return dst, false, codecErr(err)
		}
		e.pts++
		if int(n) <= len(buf) {
			return dst[:start+int(n)], k != 0, nil
		}
		// The frame was bigger than the room: it is lost, so make the next
		// one a keyframe into a buffer that fits.
		need, forceKey = int(n)*2, true
	}
}

// Close frees the encoder; Encode fails afterwards.
func (e *Encoder) Close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.destroy()
	e.closed = true
}

// Decoder is one VP8 decoder; it is not safe for concurrent use.
type Decoder struct {
	ctx     *C.vpx_codec_ctx_t
	haveKey bool
}

// NewDecoder starts a decoder.
func NewDecoder() (*Decoder, error) {
	ctx := (*C.vpx_codec_ctx_t)(C.calloc(1, C.size_t(unsafe.Sizeof(C.vpx_codec_ctx_t{}))))
	if ctx == nil {
		return nil, fmt.Errorf("%w: out of memory", ErrCodec)
	}
	if err := C.parley_dec_init(ctx); err != 0 {
		C.free(unsafe.Pointer(ctx))
		return nil, codecErr(err)
	}
	return &Decoder{ctx: ctx}, nil
}

// Decode decompresses one frame into a new picture. Frames over the limits
// are refused before libvpx sees them (ErrFrameTooLarge, ErrPictureSize),
// and so is a delta frame before the first keyframe (ErrNoKeyframe). After
// an error the decoder keeps its state: a keyframe always resets it.
func (d *Decoder) Decode(frame []byte) (*image.YCbCr, error) {
	if d.ctx == nil {
		return nil, ErrClosed
	}
	switch {
	case len(frame) == 0:
		return nil, ErrEmptyFrame
	case len(frame) > MaxFrameSize:
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrFrameTooLarge, len(frame), MaxFrameSize)
	}
	if w, h, ok := keyframeSize(frame); ok {
		if w < 1 || h < 1 || w > MaxWidth || h > MaxHeight {
			return nil, fmt.Errorf("%w: keyframe of %d×%d", ErrPictureSize, w, h)
		}
	} else if !d.haveKey {
		return nil, ErrNoKeyframe
	}
	var cerr C.vpx_codec_err_t
	img := C.parley_decode(d.ctx, (*C.uchar)(unsafe.Pointer(unsafe.SliceData(frame))), C.uint(len(frame)), &cerr)
	if cerr != 0 {
		return nil, codecErr(cerr)
	}
	if IsKeyframe(frame) {
		d.haveKey = true
	}
	if img == nil {
		return nil, fmt.Errorf("%w: no picture", ErrCorrupt)
	}
	w, h := int(img.d_w), int(img.d_h)
	out := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	cw, ch := (w+1)/2, (h+1)/2
	planes := unsafe.Slice(&img.planes[0], 3)
	strides := unsafe.Slice(&img.stride[0], 3)
	copyPlane(out.Y, out.YStride, planes[0], int(strides[0]), w, h)
	copyPlane(out.Cb, out.CStride, planes[1], int(strides[1]), cw, ch)
	copyPlane(out.Cr, out.CStride, planes[2], int(strides[2]), cw, ch)
	return out, nil
}

func copyPlane(dst []byte, dstStride int, src *C.uchar, srcStride, w, h int) {
	s := unsafe.Slice((*byte)(unsafe.Pointer(src)), srcStride*(h-1)+w)
	for y := range h {
		copy(dst[y*dstStride:y*dstStride+w], s[y*srcStride:y*srcStride+w])
	}
}

// Close frees the decoder.
func (d *Decoder) Close() {
	if d.ctx != nil {
		C.vpx_codec_destroy(d.ctx)
		C.free(unsafe.Pointer(d.ctx))
		d.ctx = nil
	}
}
