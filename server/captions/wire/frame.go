package wire

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// Limits.
const (
	// MaxPayload bounds one frame's payload. The largest frames are an
	// Opus packet (at most 1275 bytes) and 100 ms of 16 kHz PCM (3200
	// bytes); hypotheses are capped at MaxText.
	MaxPayload = 8 << 10
	// MaxText bounds a hypothesis's or an error's text, in bytes.
	MaxText = 4 << 10
	// MaxPCMSamples bounds one PCM frame (100 ms at 16 kHz).
	MaxPCMSamples = 1600
	headerLen     = 5
	// Version is the protocol version the worker announces in Ready.
	Version = 1
)

// Type is a frame's first byte. Types below 0x80 go to the worker, the
// others come from it.
type Type byte

// Frame types.
const (
	TypeJoin   Type = 0x01 // server→worker: a speaker's stream starts
	TypePacket Type = 0x02 // server→worker: one Opus packet of a speaker
	TypeLeave  Type = 0x03 // server→worker: a speaker's stream ended; flush
	TypePCM    Type = 0x04 // server→worker: 16 kHz mono PCM of a speaker (measurement, tools)

	TypeReady Type = 0x81 // worker→server: models loaded, Version
	TypeHyp   Type = 0x82 // worker→server: a partial or final hypothesis
	TypeError Type = 0x83 // worker→server: a speaker's stream failed
)

// Input is a frame the server sends: *Join, *Packet, *Leave or *PCM.
type Input interface{ inputType() Type }

// Output is a frame the worker sends: *Ready, *Hyp or *Error.
type Output interface{ outputType() Type }

// Join starts speaker Speaker's stream (a number the server chooses per
// call participant).
type Join struct{ Speaker uint32 }

// Packet is one Opus packet. Seq is the RTP sequence number (the worker
// conceals gaps); TimeMS is the server's clock when it arrived, in ms since
// the session started, and becomes the hypothesis times.
type Packet struct {
	Speaker uint32
	Seq     uint16
	TimeMS  uint32
	Opus    []byte
}

// Leave ends a speaker's stream: the worker answers with exactly one final
// Hyp for it (empty text when nothing was left to say), which tells the
// server the speaker is flushed.
type Leave struct{ Speaker uint32 }

// PCM is 16 kHz mono audio for a speaker, fed without Opus.
type PCM struct {
	Speaker uint32
	TimeMS  uint32
	Samples []int16
}

// Ready is the worker's first frame, once its recognizer is loaded.
type Ready struct{ Version uint8 }

// Hyp is a hypothesis for one utterance of a speaker: partial ones may
// change, the final one (Final) does not. StartMS and EndMS are in the
// server's clock (Packet.TimeMS).
type Hyp struct {
	Speaker uint32
	Final   bool
	StartMS uint32
	EndMS   uint32
	Text    string
}

// ErrorCode says what failed in an Error frame.
type ErrorCode uint8

// Error codes.
const (
	CodeBadInput    ErrorCode = 1 // a frame the worker could not use (unknown speaker, undecodable Opus)
	CodeRecognizer  ErrorCode = 2 // the recognizer failed for this speaker
	CodeTooManySpks ErrorCode = 3 // more speakers than the worker serves
)

// Error reports a per-speaker failure; the worker goes on.
type Error struct {
	Speaker uint32
	Code    ErrorCode
	Message string
}

func (*Join) inputType() Type   { return TypeJoin }
func (*Packet) inputType() Type { return TypePacket }
func (*Leave) inputType() Type  { return TypeLeave }
func (*PCM) inputType() Type    { return TypePCM }
func (*Ready) outputType() Type { return TypeReady }
func (*Hyp) outputType() Type   { return TypeHyp }
func (*Error) outputType() Type { return TypeError }

// Writer writes frames; it is not safe for concurrent use.
type Writer struct {
	w   io.Writer
	buf []byte
}

// NewWriter writes frames to w, one Write call per frame.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// WriteInput encodes one server→worker frame.
func (w *Writer) WriteInput(f Input) error {
	b := w.start(f.inputType())
	switch f := f.(type) {
	case *Join:
		b = binary.BigEndian.AppendUint32(b, f.Speaker)
	case *Packet:
		b = binary.BigEndian.AppendUint32(b, f.Speaker)
		b = binary.BigEndian.AppendUint16(b, f.Seq)
		b = binary.BigEndian.AppendUint32(b, f.TimeMS)
		b = append(b, f.Opus...)
	case *Leave:
		b = binary.BigEndian.AppendUint32(b, f.Speaker)
	case *PCM:
		if len(f.Samples) > MaxPCMSamples {
			return fmt.Errorf("%w: %d PCM samples", ErrFrameTooLarge, len(f.Samples))
		}
		b = binary.BigEndian.AppendUint32(b, f.Speaker)
		b = binary.BigEndian.AppendUint32(b, f.TimeMS)
		for _, s := range f.Samples {
			b = binary.LittleEndian.AppendUint16(b, uint16(s))
		}
	}
	return w.finish(b)
}

// WriteOutput encodes one worker→server frame.
func (w *Writer) WriteOutput(f Output) error {
	b := w.start(f.outputType())
	switch f := f.(type) {
	case *Ready:
		b = append(b, f.Version)
	case *Hyp:
		if err := checkText(f.Text); err != nil {
			return err
		}
		b = binary.BigEndian.AppendUint32(b, f.Speaker)
		fin := byte(0)
		if f.Final {
			fin = 1
		}
		b = append(b, fin)
		b = binary.BigEndian.AppendUint32(b, f.StartMS)
		b = binary.BigEndian.AppendUint32(b, f.EndMS)
		b = append(b, f.Text...)
	case *Error:
		if err := checkText(f.Message); err != nil {
			return err
		}
		b = binary.BigEndian.AppendUint32(b, f.Speaker)
		b = append(b, byte(f.Code))
		b = append(b, f.Message...)
	}
	return w.finish(b)
}

func (w *Writer) start(t Type) []byte {
	return append(w.buf[:0], byte(t), 0, 0, 0, 0)
}

func (w *Writer) finish(b []byte) error {
	n := len(b) - headerLen
	if n > MaxPayload {
		return fmt.Errorf("%w: %d bytes", ErrFrameTooLarge, n)
	}
	binary.BigEndian.PutUint32(b[1:headerLen], uint32(n))
	w.buf = b
	_, err := w.w.Write(b)
	return err
}

// Reader reads frames from a stream.
type Reader struct {
	r   *bufio.Reader
	buf []byte
}

// NewReader reads frames from r.
func NewReader(r io.Reader) *Reader { return &Reader{r: bufio.NewReader(r)} }

// next reads one frame's type and payload. The payload aliases a buffer
// reused by the next call. io.EOF means the stream ended between frames.
func (r *Reader) next() (Type, []byte, error) {
	var h [headerLen]byte
	if _, err := io.ReadFull(r.r, h[:]); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return 0, nil, ErrTruncated
		}
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(h[1:])
	if n > MaxPayload {
		return 0, nil, fmt.Errorf("%w: %d bytes announced", ErrFrameTooLarge, n)
	}
	if cap(r.buf) < int(n) {
		r.buf = make([]byte, n)
	}
	p := r.buf[:n]
	if _, err := io.ReadFull(r.r, p); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return 0, nil, ErrTruncated
		}
		return 0, nil, err
	}
	return Type(h[0]), p, nil
}

// ReadInput reads one server→worker frame (the worker's parser). Byte
// slices in the result are copies.
func (r *Reader) ReadInput() (Input, error) {
	t, p, err := r.next()
	if err != nil {
		return nil, err
	}
	return ParseInput(t, p)
}

// ReadOutput reads one worker→server frame (the server's parser).
func (r *Reader) ReadOutput() (Output, error) {
	t, p, err := r.next()
	if err != nil {
		return nil, err
	}
	return ParseOutput(t, p)
}

func malformed(t Type, what string) error {
	return fmt.Errorf("%w: type 0x%02x: %s", ErrMalformed, byte(t), what)
}

// ReadOutputs reads worker→server frames until the stream ends and
// returns them; it stops at the first error (not io.EOF).
func (r *Reader) ReadOutputs() ([]Output, error) {
	var out []Output
	for {
		f, err := r.ReadOutput()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, f)
	}
}

// ParseInput decodes one server→worker payload of type t.
func ParseInput(t Type, p []byte) (Input, error) {
	if len(p) > MaxPayload {
		return nil, fmt.Errorf("%w: %d bytes", ErrFrameTooLarge, len(p))
	}
	switch t {
	case TypeJoin, TypeLeave:
		if len(p) != 4 {
			return nil, malformed(t, "want 4 bytes")
		}
		s := binary.BigEndian.Uint32(p)
		if t == TypeJoin {
			return &Join{Speaker: s}, nil
		}
		return &Leave{Speaker: s}, nil
	case TypePacket:
		if len(p) < 11 {
			return nil, malformed(t, "shorter than header plus one byte")
		}
		return &Packet{
			Speaker: binary.BigEndian.Uint32(p),
			Seq:     binary.BigEndian.Uint16(p[4:]),
			TimeMS:  binary.BigEndian.Uint32(p[6:]),
			Opus:    append([]byte(nil), p[10:]...),
		}, nil
	case TypePCM:
		if len(p) < 8 || (len(p)-8)%2 != 0 || (len(p)-8)/2 > MaxPCMSamples {
			return nil, malformed(t, "want 8 bytes and whole samples")
		}
		f := &PCM{Speaker: binary.BigEndian.Uint32(p), TimeMS: binary.BigEndian.Uint32(p[4:])}
		f.Samples = make([]int16, (len(p)-8)/2)
		for i := range f.Samples {
			f.Samples[i] = int16(binary.LittleEndian.Uint16(p[8+2*i:]))
		}
		return f, nil
	}
	return nil, fmt.Errorf("%w: 0x%02x from the server", ErrUnknownType, byte(t))
}

// ParseOutput decodes one worker→server payload of type t.
func ParseOutput(t Type, p []byte) (Output, error) {
	if len(p) > MaxPayload {
		return nil, fmt.Errorf("%w: %d bytes", ErrFrameTooLarge, len(p))
	}
	switch t {
	case TypeReady:
		if len(p) != 1 {
			return nil, malformed(t, "want 1 byte")
		}
		return &Ready{Version: p[0]}, nil
	case TypeHyp:
		if len(p) < 13 || p[4] > 1 {
			return nil, malformed(t, "short header or final flag not 0/1")
		}
		h := &Hyp{
			Speaker: binary.BigEndian.Uint32(p),
			Final:   p[4] == 1,
			StartMS: binary.BigEndian.Uint32(p[5:]),
			EndMS:   binary.BigEndian.Uint32(p[9:]),
			Text:    string(p[13:]),
		}
		if h.EndMS < h.StartMS {
			return nil, malformed(t, "ends before it starts")
		}
		if err := checkText(h.Text); err != nil {
			return nil, err
		}
		return h, nil
	case TypeError:
		if len(p) < 5 {
			return nil, malformed(t, "short header")
		}
		e := &Error{Speaker: binary.BigEndian.Uint32(p), Code: ErrorCode(p[4]), Message: string(p[5:])}
		if err := checkText(e.Message); err != nil {
			return nil, err
		}
		return e, nil
	}
	return nil, fmt.Errorf("%w: 0x%02x from the worker", ErrUnknownType, byte(t))
}

func checkText(s string) error {
	switch {
	case len(s) > MaxText:
		return fmt.Errorf("%w: %d bytes, limit %d", ErrText, len(s), MaxText)
	case !utf8.ValidString(s):
		return fmt.Errorf("%w: not UTF-8", ErrText)
	}
	return nil
}
