package main

import (
	"bufio"
	"io"
	"strings"
	"testing"

	"github.com/parley-voip/parley/media/quality"
	"github.com/parley-voip/parley/media/speech"
	"github.com/parley-voip/parley/media/speech/speechtest"
	"github.com/parley-voip/parley/server/captions/wire"
)

// run serves the worker over pipes, sends what feed writes and returns every
// frame it answered.
func run(t *testing.T, feed func(w *wire.Writer)) []wire.Output {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	wk := &worker{cfg: speech.DefaultConfig(""), maxSpeakers: 2}
	done := make(chan error, 1)
	go func() {
		err := wk.serve(inR, bufio.NewWriter(outW))
		outW.CloseWithError(err)
		done <- err
	}()
	go func() {
		feed(wire.NewWriter(inW))
		inW.Close()
	}()
	got, err := wire.NewReader(outR).ReadOutputs()
	if err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return got
}

func finals(outs []wire.Output, spk uint32) string {
	var words []string
	for _, o := range outs {
		if h, ok := o.(*wire.Hyp); ok && h.Final && h.Speaker == spk {
			words = append(words, h.Text)
		}
	}
	return strings.Join(words, " ")
}

// TestWorkerPCM feeds one LibriVox utterance as PCM and scores the finals.
func TestWorkerPCM(t *testing.T) {
	u := speechtest.LibriVox(t, "sense_and_sensibility_01_austen_64kb-0880")[0]
	outs := run(t, func(w *wire.Writer) {
		_ = w.WriteInput(&wire.Join{Speaker: 1})
		pcm := append(u.PCM, speechtest.Silence(1000)...)
		for off, ms := 0, uint32(0); off < len(pcm); off, ms = off+1600, ms+100 {
			_ = w.WriteInput(&wire.PCM{Speaker: 1, TimeMS: ms, Samples: pcm[off:min(off+1600, len(pcm))]})
		}
	})
	if _, ok := outs[0].(*wire.Ready); !ok {
		t.Fatalf("first frame %#v, want Ready", outs[0])
	}
	got := finals(outs, 1)
	wer := quality.WER(u.Ref, got)
	t.Logf("ref %q\nhyp %q\nWER %.2f", u.Ref, got, wer)
	if wer > 0.5 {
		t.Fatalf("WER %.2f on %q", wer, got)
	}
}

// TestWorkerOpus feeds the same utterance as a client's Opus packets, with
// one packet lost, and checks the worker conceals it and still recognizes.
func TestWorkerOpus(t *testing.T) {
	u := speechtest.LibriVox(t, "sense_and_sensibility_01_austen_64kb-0880")[0]
	pkts := speechtest.OpusPackets(t, append(u.PCM, speechtest.Silence(1000)...))
	outs := run(t, func(w *wire.Writer) {
		_ = w.WriteInput(&wire.Join{Speaker: 3})
		for i, p := range pkts {
			if i == 40 {
				continue
			}
			_ = w.WriteInput(&wire.Packet{Speaker: 3, Seq: uint16(60000 + i), TimeMS: uint32(i * 20), Opus: p})
		}
		_ = w.WriteInput(&wire.Leave{Speaker: 3})
	})
	got := finals(outs, 3)
	if wer := quality.WER(u.Ref, got); wer > 0.5 {
		t.Fatalf("WER %.2f on %q", wer, got)
	}
	for _, o := range outs {
		if h, ok := o.(*wire.Hyp); ok && (h.EndMS < h.StartMS || h.EndMS > uint32(len(pkts)*20)) {
			t.Errorf("hypothesis times %d–%d outside the stream", h.StartMS, h.EndMS)
		}
	}
}

// TestWorkerBadInput: a packet for an unknown speaker and undecodable Opus
// are answered with typed Error frames and the worker goes on.
func TestWorkerBadInput(t *testing.T) {
	speechtest.Installed(t)
	outs := run(t, func(w *wire.Writer) {
		_ = w.WriteInput(&wire.Packet{Speaker: 9, Opus: []byte{1}})
		_ = w.WriteInput(&wire.Join{Speaker: 1})
		_ = w.WriteInput(&wire.Packet{Speaker: 1, Opus: []byte{0xff, 0xff, 0xff}})
		_ = w.WriteInput(&wire.Join{Speaker: 2})
		_ = w.WriteInput(&wire.Join{Speaker: 3}) // beyond maxSpeakers 2
	})
	var codes []wire.ErrorCode
	for _, o := range outs {
		if e, ok := o.(*wire.Error); ok {
			codes = append(codes, e.Code)
		}
	}
	want := []wire.ErrorCode{wire.CodeBadInput, wire.CodeBadInput, wire.CodeTooManySpks}
	if len(codes) != len(want) || codes[0] != want[0] || codes[1] != want[1] || codes[2] != want[2] {
		t.Fatalf("error codes %v, want %v", codes, want)
	}
}
