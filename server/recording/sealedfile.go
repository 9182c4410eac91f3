package recording

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/parley-voip/parley/server/sealing"
)

// A sealed track file is the magic followed by chunks, each a 4-byte
// big-endian length and a sealed value (package sealing) of at most
// chunkSize plaintext bytes. The associated data of chunk i binds the
// recording id, the track number, i and whether it is the last chunk, so
// chunks cannot be moved between files, reordered, dropped or cut off at
// the end without Open failing (the STREAM construction of online
// authenticated encryption, as age and Tink's streaming AEAD use it).
const (
	fileMagic       = "PRLYREC1"
	chunkSize       = 64 << 10
	maxSealedChunk  = chunkSize + sealing.Overhead
	chunkAADVersion = 1
	sealingOverhead = sealing.Overhead
)

func chunkAAD(recID string, track int, index uint64, final bool) []byte {
	b := []byte{chunkAADVersion}
	b = binary.BigEndian.AppendUint16(b, uint16(len(recID)))
	b = append(b, recID...)
	b = binary.BigEndian.AppendUint32(b, uint32(track))
	b = binary.BigEndian.AppendUint64(b, index)
	if final {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	return b
}

// sealedWriter seals what is written to it in chunks. Close seals the
// last chunk (possibly empty), which marks the end.
type sealedWriter struct {
	w     io.Writer
	key   *[sealing.KeySize]byte
	recID string
	track int
	index uint64
	buf   []byte
	out   []byte
	n     int64 // bytes written to w
	err   error
}

func newSealedWriter(w io.Writer, key *[sealing.KeySize]byte, recID string, track int) (*sealedWriter, error) {
	s := &sealedWriter{w: w, key: key, recID: recID, track: track, buf: make([]byte, 0, chunkSize)}
	if _, err := io.WriteString(w, fileMagic); err != nil {
		return nil, err
	}
	s.n = int64(len(fileMagic))
	return s, nil
}

func (s *sealedWriter) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n := len(p)
	for len(p) > 0 {
		k := min(len(p), chunkSize-len(s.buf))
		s.buf = append(s.buf, p[:k]...)
		p = p[k:]
		if len(s.buf) == chunkSize {
			if err := s.flush(false); err != nil {
				return n - len(p), err
			}
		}
	}
	return n, nil
}

func (s *sealedWriter) flush(final bool) error {
	s.out = binary.BigEndian.AppendUint32(s.out[:0], 0)
	s.out = sealing.Seal(s.out, s.key, chunkAAD(s.recID, s.track, s.index, final), s.buf)
	binary.BigEndian.PutUint32(s.out, uint32(len(s.out)-4))
	if _, err := s.w.Write(s.out); err != nil {
		s.err = err
		return err
	}
	s.n += int64(len(s.out))
	s.index++
	s.buf = s.buf[:0]
	return nil
}

// Close seals the final chunk; it does not close the underlying writer.
func (s *sealedWriter) Close() error {
	if s.err != nil {
		return s.err
	}
	err := s.flush(true)
	s.err = errors.New("recording: sealed writer closed")
	return err
}

// sealedReader opens a sealed track file as the plain Ogg stream. Every
// failure is ErrCorrupt: a length beyond the limit, a chunk that does not
// open, data after the final chunk, or an end without one.
type sealedReader struct {
	r     *bufio.Reader
	key   *[sealing.KeySize]byte
	recID string
	track int
	index uint64
	plain []byte // unread part of pbuf
	pbuf  []byte
	in    []byte
	done  bool
	err   error
}

func newSealedReader(r io.Reader, key *[sealing.KeySize]byte, recID string, track int) (*sealedReader, error) {
	br := bufio.NewReader(r)
	magic := make([]byte, len(fileMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != fileMagic {
		return nil, fmt.Errorf("%w: not a sealed track", ErrCorrupt)
	}
	return &sealedReader{r: br, key: key, recID: recID, track: track}, nil
}

func (s *sealedReader) Read(p []byte) (int, error) {
	for len(s.plain) == 0 {
		if s.err != nil {
			return 0, s.err
		}
		if s.done {
			if _, err := s.r.ReadByte(); err != io.EOF {
				s.err = fmt.Errorf("%w: data after the final chunk", ErrCorrupt)
				continue
			}
			s.err = io.EOF
			continue
		}
		s.err = s.next()
	}
	n := copy(p, s.plain)
	s.plain = s.plain[n:]
	return n, nil
}

func (s *sealedReader) next() error {
	var hdr [4]byte
	if _, err := io.ReadFull(s.r, hdr[:]); err != nil {
		return fmt.Errorf("%w: cut off before the final chunk", ErrCorrupt)
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n < sealing.Overhead || n > maxSealedChunk {
		return fmt.Errorf("%w: chunk %d has length %d", ErrCorrupt, s.index, n)
	}
	if cap(s.in) < int(n) {
		s.in = make([]byte, maxSealedChunk)
	}
	s.in = s.in[:n]
	if _, err := io.ReadFull(s.r, s.in); err != nil {
		return fmt.Errorf("%w: chunk %d cut off", ErrCorrupt, s.index)
	}
	// The final flag is not stored: a chunk opens under exactly one of
	// the two associated data.
	for _, final := range []bool{false, true} {
		pt, err := sealing.Open(s.pbuf[:0], s.key, chunkAAD(s.recID, s.track, s.index, final), s.in)
		if err == nil {
			if !final && len(pt) != chunkSize {
				return fmt.Errorf("%w: short chunk %d before the end", ErrCorrupt, s.index)
			}
			s.pbuf, s.plain, s.done = pt, pt, final
			s.index++
			return nil
		}
	}
	return fmt.Errorf("%w: chunk %d does not open", ErrCorrupt, s.index)
}
