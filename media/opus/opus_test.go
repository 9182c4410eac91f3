package opus

import (
	"errors"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	if v := Version(); !strings.HasPrefix(v, "libopus") {
		t.Fatalf("Version() = %q", v)
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	src := voiced(testRate) // 1 s
	enc, err := NewEncoder(DefaultEncoderConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	dec, err := NewDecoder(testRate, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()

	var out []int16
	pcm := make([]int16, testFrame)
	var bytes int
	for _, p := range encodeAll(t, enc, src) {
		bytes += len(p)
		n, err := dec.Decode(p, pcm)
		if err != nil {
			t.Fatal(err)
		}
		if n != testFrame {
			t.Fatalf("decoded %d samples, want %d", n, testFrame)
		}
		out = append(out, pcm[:n]...)
	}
	// 32 kb/s for 1 s is 4000 bytes; VBR may deviate, but not by 2×.
	if bytes < 2000 || bytes > 8000 {
		t.Errorf("1 s at 32 kb/s took %d bytes", bytes)
	}
	// Opus is waveform-approximate, and delays by its look-ahead (≤ 6.5 ms).
	score, lag := bestNCC(src, out, 480)
	if score < 0.9 {
		t.Errorf("ncc = %.3f at lag %d, want ≥ 0.9", score, lag)
	}
	t.Logf("ncc %.3f at lag %d, %d bytes", score, lag, bytes)
}

// TestFEC loses one frame and checks that rebuilding it from the next
// packet's FEC data is much closer to the real frame than concealment is.
func TestFEC(t *testing.T) {
	t.Parallel()
	src := voiced(testRate)
	enc, err := NewEncoder(DefaultEncoderConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	pkts := encodeAll(t, enc, src)

	const lost = 30
	decodeWith := func(recover func(d *Decoder, pcm []int16) (int, error)) []int16 {
		d, err := NewDecoder(testRate, 1)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		pcm := make([]int16, testFrame)
		for i := 0; i < lost; i++ {
			if _, err := d.Decode(pkts[i], pcm); err != nil {
				t.Fatal(err)
			}
		}
		if recover == nil {
			_, err = d.Decode(pkts[lost], pcm)
		} else {
			var n int
			n, err = recover(d, pcm)
			if err == nil && n != testFrame {
				t.Fatalf("recovered %d samples, want %d", n, testFrame)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		return pcm
	}
	want := decodeWith(nil)
	fec := decodeWith(func(d *Decoder, pcm []int16) (int, error) { return d.DecodeFEC(pkts[lost+1], pcm) })
	plc := decodeWith(func(d *Decoder, pcm []int16) (int, error) { return d.DecodePLC(pcm) })

	fecScore, plcScore := ncc(want, fec, 0), ncc(want, plc, 0)
	t.Logf("lost frame vs decoded: fec ncc %.3f, plc ncc %.3f", fecScore, plcScore)
	if fecScore < 0.95 {
		t.Errorf("fec ncc = %.3f, want ≥ 0.95", fecScore)
	}
	if fecScore <= plcScore {
		t.Errorf("fec (%.3f) no better than plc (%.3f)", fecScore, plcScore)
	}
	if energy(plc) == 0 {
		t.Error("plc produced silence after voiced audio")
	}
}

func TestFECOffFallsBackToPLC(t *testing.T) {
	t.Parallel()
	cfg := DefaultEncoderConfig()
	cfg.FEC = false
	enc, err := NewEncoder(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	pkts := encodeAll(t, enc, voiced(testRate/5))
	dec, err := NewDecoder(testRate, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	pcm := make([]int16, testFrame)
	if _, err := dec.Decode(pkts[0], pcm); err != nil {
		t.Fatal(err)
	}
	if n, err := dec.DecodeFEC(pkts[2], pcm); err != nil || n != testFrame {
		t.Fatalf("DecodeFEC without fec data = %d, %v", n, err)
	}
}

func TestSetters(t *testing.T) {
	t.Parallel()
	enc, err := NewEncoder(EncoderConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	if err := enc.SetBitrate(16000); err != nil {
		t.Error(err)
	}
	if err := enc.SetBitrate(100); !errors.Is(err, ErrBitrate) {
		t.Errorf("SetBitrate(100) = %v, want ErrBitrate", err)
	}
	if err := enc.SetPacketLossPercent(25); err != nil {
		t.Error(err)
	}
	if err := enc.SetPacketLossPercent(101); !errors.Is(err, ErrPacketLoss) {
		t.Errorf("SetPacketLossPercent(101) = %v, want ErrPacketLoss", err)
	}
	if err := enc.SetFEC(false); err != nil {
		t.Error(err)
	}
	// A lower bitrate must actually reach libopus.
	low := encodeAll(t, enc, voiced(testRate))
	var n int
	for _, p := range low {
		n += len(p)
	}
	if n > 3000 {
		t.Errorf("1 s at 16 kb/s took %d bytes", n)
	}
}

func TestDTX(t *testing.T) {
	t.Parallel()
	cfg := DefaultEncoderConfig()
	cfg.DTX = true
	enc, err := NewEncoder(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	pkts := encodeAll(t, enc, make([]int16, testRate))
	// After a few frames of silence DTX emits empty (≤ 2 byte) packets.
	if last := pkts[len(pkts)-1]; len(last) > 2 {
		t.Errorf("silence with DTX: last packet %d bytes, want ≤ 2", len(last))
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	enc, err := NewEncoder(DefaultEncoderConfig())
	if err != nil {
		t.Fatal(err)
	}
	dec, err := NewDecoder(testRate, 1)
	if err != nil {
		t.Fatal(err)
	}
	pcm := make([]int16, testFrame)
	buf := make([]byte, MaxPacketSize)
	n, err := enc.Encode(voiced(testFrame), buf)
	if err != nil {
		t.Fatal(err)
	}
	good := buf[:n]

	cases := []struct {
		name string
		err  error
		want error
	}{
		{"encode odd frame", second(enc.Encode(make([]int16, 961), buf)), ErrFrameSize},
		{"encode empty dst", second(enc.Encode(pcm, nil)), ErrShortBuffer},
		{"decode empty", second(dec.Decode(nil, pcm)), ErrEmptyPacket},
		{"decode oversized", second(dec.Decode(make([]byte, MaxPacketSize+1), pcm)), ErrPacketTooLarge},
		// Code 3 (TOC 0x03) with a frame count of 0 is invalid (RFC 6716 §3.2.5).
		{"decode invalid", second(dec.Decode([]byte{0x03, 0x00}, pcm)), ErrInvalidPacket},
		{"decode short pcm", second(dec.Decode(good, pcm[:480])), ErrBufferTooSmall},
		{"decode no pcm", second(dec.Decode(good, nil)), ErrBufferTooSmall},
		{"plc odd size", second(dec.DecodePLC(pcm[:7])), ErrBadArg},
		{"fec empty", second(dec.DecodeFEC(nil, pcm)), ErrEmptyPacket},
		{"decoder rate", second(NewDecoder(44100, 1)), ErrSampleRate},
		{"decoder channels", second(NewDecoder(48000, 3)), ErrChannels},
		{"encoder config", second(NewEncoder(EncoderConfig{Bitrate: 1})), ErrBitrate},
	}
	enc.Close()
	enc.Close() // idempotent
	dec.Close()
	dec.Close()
	cases = append(cases,
		struct {
			name string
			err  error
			want error
		}{"encode closed", second(enc.Encode(pcm, buf)), ErrClosed},
		struct {
			name string
			err  error
			want error
		}{"decode closed", second(dec.Decode(good, pcm)), ErrClosed},
		struct {
			name string
			err  error
			want error
		}{"set closed", enc.SetBitrate(20000), ErrClosed},
	)
	for _, c := range cases {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, c.err, c.want)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestEncoderConfigValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		cfg  EncoderConfig
		want error
	}{
		{"zero", EncoderConfig{}, nil},
		{"default", DefaultEncoderConfig(), nil},
		{"stereo 24k audio", EncoderConfig{SampleRate: 24000, Channels: 2, Application: Audio}, nil},
		{"lowdelay", EncoderConfig{Application: LowDelay, Complexity: 1}, nil},
		{"rate", EncoderConfig{SampleRate: 44100}, ErrSampleRate},
		{"channels", EncoderConfig{Channels: 3}, ErrChannels},
		{"application", EncoderConfig{Application: 7}, ErrApplication},
		{"bitrate low", EncoderConfig{Bitrate: 499}, ErrBitrate},
		{"bitrate high", EncoderConfig{Bitrate: 512001}, ErrBitrate},
		{"loss", EncoderConfig{PacketLossPercent: -1}, ErrPacketLoss},
		{"complexity", EncoderConfig{Complexity: 11}, ErrComplexity},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if err := c.cfg.Validate(); !errors.Is(err, c.want) {
				t.Fatalf("Validate() = %v, want %v", err, c.want)
			}
			if c.want != nil {
				return
			}
			e, err := NewEncoder(c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			e.Close()
		})
	}
}

func TestErrorStrings(t *testing.T) {
	t.Parallel()
	for code := Error(-8); code < 0; code++ {
		s := code.Error()
		if !strings.HasPrefix(s, "opus: ") || s != strings.ToLower(s) {
			t.Errorf("Error(%d) = %q", int(code), s)
		}
	}
}
