package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestReadWAVVectors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		file    string
		samples int // when err is nil
		err     error
	}{
		{"tone48k.wav", 480, nil},
		{"extensible16.wav", 480, nil}, // WAVE_FORMAT_EXTENSIBLE, PCM sub-format, extra LIST chunk
		{"streamed.wav", 480, nil},     // data size 0xffffffff, as a pipe writer leaves it
		{"speech48k.wav", 30376, nil},  // espeak-ng "hi" resampled by sox
		{"espeak22k.wav", 0, ErrWAVFormat},
		{"stereo.wav", 0, ErrWAVFormat},
		{"pcm24.wav", 0, ErrWAVFormat},
		{"float.wav", 0, ErrWAVFormat},
		{"truncated.wav", 0, ErrWAVHeader},
		{"rifx.wav", 0, ErrWAVHeader},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			t.Parallel()
			f, err := os.Open(filepath.Join("testdata", "wav", c.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			pcm, err := ReadWAV(f)
			if !errors.Is(err, c.err) {
				t.Fatalf("ReadWAV: %v, want %v", err, c.err)
			}
			if err == nil && len(pcm) != c.samples {
				t.Fatalf("%d samples, want %d", len(pcm), c.samples)
			}
		})
	}
}

func TestReadWAVFormatError(t *testing.T) {
	t.Parallel()
	f, err := os.Open(filepath.Join("testdata", "wav", "espeak22k.wav"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = ReadWAV(f)
	var fe *WAVFormatError
	if !errors.As(err, &fe) || fe.SampleRate != 22050 || fe.Channels != 1 || fe.BitsPerSample != 16 {
		t.Fatalf("err = %v (%+v)", err, fe)
	}
}

func TestReadWAVTooLarge(t *testing.T) {
	t.Parallel()
	_, err := ReadWAV(bytes.NewReader(make([]byte, MaxWAVBytes+1)))
	if !errors.Is(err, ErrWAVTooLarge) {
		t.Fatalf("err = %v, want ErrWAVTooLarge", err)
	}
	if err := WriteWAV(&bytes.Buffer{}, make([]int16, MaxWAVBytes/2)); !errors.Is(err, ErrWAVTooLarge) {
		t.Fatalf("WriteWAV err = %v, want ErrWAVTooLarge", err)
	}
}

func TestWAVRoundTrip(t *testing.T) {
	t.Parallel()
	pcm := make([]int16, 3*FrameSamples)
	Chirp()(pcm)
	var buf bytes.Buffer
	if err := WriteWAV(&buf, pcm); err != nil {
		t.Fatal(err)
	}
	ref, err := os.ReadFile(filepath.Join("testdata", "wav", "tone48k.wav"))
	if err != nil {
		t.Fatal(err)
	}
	// Past the RIFF size, our header must be byte-identical to sox's
	// canonical one; the RIFF size is 36 + the data size.
	if !bytes.Equal(buf.Bytes()[8:40], ref[8:40]) {
		t.Errorf("header differs from sox's:\n%x\n%x", buf.Bytes()[8:40], ref[8:40])
	}
	if got := binary.LittleEndian.Uint32(buf.Bytes()[4:8]); got != 36+2*uint32(len(pcm)) {
		t.Errorf("riff size %d, want %d", got, 36+2*len(pcm))
	}
	got, err := ReadWAV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, pcm) {
		t.Fatal("round trip changed the samples")
	}
}

// FuzzReadWAV checks that any input either fails with a typed error or
// parses to samples that survive a write/read round trip.
func FuzzReadWAV(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "wav", "*.wav"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil && len(b) < 4096 {
			f.Add(b)
		}
	}
	f.Add([]byte("RIFF\x00\x00\x00\x00WAVEdata\x02\x00\x00\x00\x01\x02"))
	f.Fuzz(func(t *testing.T, b []byte) {
		pcm, err := ReadWAV(bytes.NewReader(b))
		if err != nil {
			if !errors.Is(err, ErrWAVHeader) && !errors.Is(err, ErrWAVFormat) && !errors.Is(err, ErrWAVTooLarge) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := WriteWAV(&buf, pcm); err != nil {
			t.Fatal(err)
		}
		again, err := ReadWAV(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(again, pcm) {
			t.Fatal("round trip changed the samples")
		}
	})
}
