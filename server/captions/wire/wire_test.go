package wire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	ins := []Input{
		&Join{Speaker: 7},
		&Packet{Speaker: 7, Seq: 65535, TimeMS: 1234, Opus: []byte{0xf8, 1, 2}},
		&PCM{Speaker: 7, TimeMS: 5, Samples: []int16{-32768, 0, 32767}},
		&Leave{Speaker: 7},
	}
	for _, f := range ins {
		if err := w.WriteInput(f); err != nil {
			t.Fatal(err)
		}
	}
	outs := []Output{
		&Ready{Version: Version},
		&Hyp{Speaker: 7, Final: true, StartMS: 10, EndMS: 20, Text: "he was not an ill disposed young man"},
		&Hyp{Speaker: 1, StartMS: 10, EndMS: 10},
		&Error{Speaker: 7, Code: CodeBadInput, Message: "undecodable"},
	}
	var obuf bytes.Buffer
	ow := NewWriter(&obuf)
	for _, f := range outs {
		if err := ow.WriteOutput(f); err != nil {
			t.Fatal(err)
		}
	}
	r := NewReader(&buf)
	for _, want := range ins {
		got, err := r.ReadInput()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("got %#v, want %#v", got, want)
		}
	}
	if _, err := r.ReadInput(); err != io.EOF {
		t.Fatalf("end: %v, want io.EOF", err)
	}
	or := NewReader(&obuf)
	for _, want := range outs {
		got, err := or.ReadOutput()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("got %#v, want %#v", got, want)
		}
	}
}

func frame(t Type, p []byte) []byte {
	b := []byte{byte(t)}
	b = binary.BigEndian.AppendUint32(b, uint32(len(p)))
	return append(b, p...)
}

func TestBadFrames(t *testing.T) {
	big := binary.BigEndian.AppendUint32([]byte{byte(TypePacket)}, MaxPayload+1)
	cases := []struct {
		name   string
		in     []byte
		output bool
		want   error
	}{
		{"too large", big, false, ErrFrameTooLarge},
		{"truncated header", []byte{1, 0, 0}, false, ErrTruncated},
		{"truncated payload", frame(TypeJoin, []byte{0, 0, 0, 1})[:7], false, ErrTruncated},
		{"unknown", frame(0x7f, nil), false, ErrUnknownType},
		{"output type to worker", frame(TypeHyp, make([]byte, 13)), false, ErrUnknownType},
		{"input type to server", frame(TypeJoin, make([]byte, 4)), true, ErrUnknownType},
		{"short join", frame(TypeJoin, []byte{1}), false, ErrMalformed},
		{"empty packet", frame(TypePacket, make([]byte, 10)), false, ErrMalformed},
		{"odd pcm", frame(TypePCM, make([]byte, 9)), false, ErrMalformed},
		{"final flag 2", frame(TypeHyp, append([]byte{0, 0, 0, 1, 2}, make([]byte, 8)...)), true, ErrMalformed},
		{"ends before start", frame(TypeHyp, []byte{0, 0, 0, 1, 0, 0, 0, 0, 9, 0, 0, 0, 1}), true, ErrMalformed},
		{"hyp not utf8", frame(TypeHyp, append(make([]byte, 13), 0xff)), true, ErrText},
		{"hyp too long", frame(TypeHyp, append(make([]byte, 13), strings.Repeat("a", MaxText+1)...)), true, ErrText},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := NewReader(bytes.NewReader(c.in))
			var err error
			if c.output {
				_, err = r.ReadOutput()
			} else {
				_, err = r.ReadInput()
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}

func TestWriterLimits(t *testing.T) {
	w := NewWriter(io.Discard)
	if err := w.WriteInput(&PCM{Samples: make([]int16, MaxPCMSamples+1)}); !errors.Is(err, ErrFrameTooLarge) {
		t.Errorf("PCM: %v", err)
	}
	if err := w.WriteInput(&Packet{Opus: make([]byte, MaxPayload)}); !errors.Is(err, ErrFrameTooLarge) {
		t.Errorf("packet: %v", err)
	}
	if err := w.WriteOutput(&Hyp{Text: "\xff"}); !errors.Is(err, ErrText) {
		t.Errorf("hyp: %v", err)
	}
}

func seeds(f *testing.F, output bool) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if output {
		_ = w.WriteOutput(&Ready{Version: 1})
		_ = w.WriteOutput(&Hyp{Speaker: 2, Final: true, StartMS: 1, EndMS: 900, Text: "hello world"})
		_ = w.WriteOutput(&Error{Speaker: 2, Code: CodeRecognizer, Message: "x"})
	} else {
		_ = w.WriteInput(&Join{Speaker: 1})
		_ = w.WriteInput(&Packet{Speaker: 1, Seq: 9, TimeMS: 20, Opus: []byte{0xf8, 0xff, 0xfe}})
		_ = w.WriteInput(&PCM{Speaker: 1, Samples: []int16{1, 2}})
		_ = w.WriteInput(&Leave{Speaker: 1})
	}
	f.Add(buf.Bytes())
	f.Add([]byte{0x82, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{0x02, 0, 0, 0, 3, 1})
}

// fuzzRead reads frames until an error and checks that every frame read
// re-encodes to an equal frame.
func fuzzRead(t *testing.T, b []byte, output bool) {
	r := NewReader(bytes.NewReader(b))
	for range 64 {
		var f any
		var err error
		var re bytes.Buffer
		w := NewWriter(&re)
		if output {
			var o Output
			if o, err = r.ReadOutput(); err == nil {
				f, err = o, w.WriteOutput(o)
			}
		} else {
			var in Input
			if in, err = r.ReadInput(); err == nil {
				f, err = in, w.WriteInput(in)
			}
		}
		if err != nil {
			for _, known := range []error{io.EOF, ErrFrameTooLarge, ErrTruncated, ErrUnknownType, ErrMalformed, ErrText} {
				if errors.Is(err, known) {
					return
				}
			}
			t.Fatalf("untyped error %v", err)
		}
		r2 := NewReader(&re)
		var g any
		if output {
			g, err = r2.ReadOutput()
		} else {
			g, err = r2.ReadInput()
		}
		if err != nil || !reflect.DeepEqual(f, g) {
			t.Fatalf("re-encoding %#v gave %#v, %v", f, g, err)
		}
	}
}

func FuzzReadInput(f *testing.F) {
	seeds(f, false)
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRead(t, b, false) })
}

func FuzzReadOutput(f *testing.F) {
	seeds(f, true)
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRead(t, b, true) })
}
