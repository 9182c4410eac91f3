package audio

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
)

// MaxWAVBytes bounds what ReadWAV accepts: about 5 minutes of 48 kHz mono
// 16-bit audio, far more than a test utterance, small enough to hold in memory.
const MaxWAVBytes = 32 << 20

const (
	wavFormatPCM        = 1
	wavFormatExtensible = 0xfffe
	wavHeaderSize       = 44
)

// ReadWAV reads a RIFF/WAVE file of 48 kHz mono 16-bit PCM (for example
// espeak-ng output resampled with `sox in.wav -r 48000 out.wav`) and returns
// its samples.
func ReadWAV(r io.Reader) ([]int16, error) { return ReadWAVRate(r, SampleRate) }

// ReadWAVRate reads a RIFF/WAVE file of mono 16-bit PCM at rate Hz (the
// 16 kHz LibriVox utterances of pocketsphinx-testdata, for example).
func ReadWAVRate(r io.Reader, rate int) ([]int16, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxWAVBytes+1))
	if err != nil {
		return nil, fmt.Errorf("audio: read wav: %w", err)
	}
	if len(b) > MaxWAVBytes {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrWAVTooLarge, MaxWAVBytes)
	}
	return parseWAV(b, rate)
}

func parseWAV(b []byte, rate int) ([]int16, error) {
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return nil, fmt.Errorf("%w: no RIFF/WAVE signature", ErrWAVHeader)
	}
	var format *WAVFormatError
	for rest := b[12:]; len(rest) > 0; {
		if len(rest) < 8 {
			return nil, fmt.Errorf("%w: truncated chunk header", ErrWAVHeader)
		}
		id, size := string(rest[0:4]), uint64(binary.LittleEndian.Uint32(rest[4:8]))
		rest = rest[8:]
		if id == "data" && size > uint64(len(rest)) {
			// Writers that stream (espeak-ng to a pipe) cannot know the
			// length and leave a placeholder; the data runs to the end.
			size = uint64(len(rest))
		}
		if size > uint64(len(rest)) {
			return nil, fmt.Errorf("%w: chunk %q overruns file", ErrWAVHeader, id)
		}
		body := rest[:size]
		rest = rest[size:]
		if size%2 == 1 && len(rest) > 0 { // chunks are padded to even length
			rest = rest[1:]
		}
		switch id {
		case "fmt ":
			if len(body) < 16 {
				return nil, fmt.Errorf("%w: fmt chunk of %d bytes", ErrWAVHeader, len(body))
			}
			format = &WAVFormatError{
				AudioFormat:   int(binary.LittleEndian.Uint16(body[0:2])),
				Channels:      int(binary.LittleEndian.Uint16(body[2:4])),
				SampleRate:    int(binary.LittleEndian.Uint32(body[4:8])),
				BitsPerSample: int(binary.LittleEndian.Uint16(body[14:16])),
				WantRate:      rate,
			}
			if format.AudioFormat == wavFormatExtensible && len(body) >= 26 {
				// WAVE_FORMAT_EXTENSIBLE keeps the real format in the
				// first two bytes of its sub-format GUID.
				format.AudioFormat = int(binary.LittleEndian.Uint16(body[24:26]))
			}
			if format.AudioFormat != wavFormatPCM || format.Channels != Channels ||
				format.SampleRate != rate || format.BitsPerSample != 16 {
				return nil, format
			}
		case "data":
			if format == nil {
				return nil, fmt.Errorf("%w: data before fmt chunk", ErrWAVHeader)
			}
			pcm := make([]int16, len(body)/2)
			if err := binary.Read(bytes.NewReader(body[:2*len(pcm)]), binary.LittleEndian, pcm); err != nil {
				return nil, fmt.Errorf("%w: %w", ErrWAVHeader, err)
			}
			return pcm, nil
		}
	}
	if format == nil {
		return nil, fmt.Errorf("%w: no fmt chunk", ErrWAVHeader)
	}
	return nil, fmt.Errorf("%w: no data chunk", ErrWAVHeader)
}

// WriteWAV writes pcm as a canonical 44-byte-header WAV file of 48 kHz mono
// 16-bit PCM, the format ReadWAV reads.
func WriteWAV(w io.Writer, pcm []int16) error {
	dataSize := 2 * len(pcm)
	if dataSize > MaxWAVBytes-wavHeaderSize {
		return fmt.Errorf("%w: %d samples", ErrWAVTooLarge, len(pcm))
	}
	var h [wavHeaderSize]byte
	copy(h[0:4], "RIFF")
	binary.LittleEndian.PutUint32(h[4:8], uint32(wavHeaderSize-8+dataSize))
	copy(h[8:16], "WAVEfmt ")
	binary.LittleEndian.PutUint32(h[16:20], 16)
	binary.LittleEndian.PutUint16(h[20:22], wavFormatPCM)
	binary.LittleEndian.PutUint16(h[22:24], Channels)
	binary.LittleEndian.PutUint32(h[24:28], SampleRate)
	binary.LittleEndian.PutUint32(h[28:32], SampleRate*Channels*2)
	binary.LittleEndian.PutUint16(h[32:34], Channels*2)
	binary.LittleEndian.PutUint16(h[34:36], 16)
	copy(h[36:40], "data")
	binary.LittleEndian.PutUint32(h[40:44], uint32(dataSize))
	if _, err := w.Write(h[:]); err != nil {
		return fmt.Errorf("audio: write wav: %w", err)
	}
	if err := binary.Write(w, binary.LittleEndian, pcm); err != nil {
		return fmt.Errorf("audio: write wav: %w", err)
	}
	return nil
}
