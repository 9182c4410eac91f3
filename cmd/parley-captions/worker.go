package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/parley-voip/parley/media/opus"
	"github.com/parley-voip/parley/media/speech"
	"github.com/parley-voip/parley/server/captions/wire"
)

// DefaultMaxSpeakers bounds the recognizers one worker holds (about 30 MB
// each).
const DefaultMaxSpeakers = 16

const (
	frameSamples = speech.SampleRate / 50 // 20 ms at 16 kHz
	// partialEvery is how much speech passes between partial hypotheses.
	partialEvery = speech.SampleRate / 2
	// maxConceal is the longest gap of lost packets concealed; a longer
	// one is skipped (the speaker was muted or the stream paused).
	maxConceal = 10
)

type worker struct {
	cfg         speech.Config
	maxSpeakers int
	streams     map[uint32]*stream
	w           *wire.Writer
	flush       func() error
}

// serve runs until in ends (nil) or breaks the protocol (an error).
func (wk *worker) serve(in io.Reader, out *bufio.Writer) error {
	wk.streams = map[uint32]*stream{}
	wk.w = wire.NewWriter(out)
	wk.flush = out.Flush
	defer wk.closeAll()
	// Load one recognizer before Ready: a missing model fails here, once.
	probe, err := speech.New(wk.cfg)
	if err != nil {
		return err
	}
	probe.Close()
	if err := wk.emit(&wire.Ready{Version: wire.Version}); err != nil {
		return err
	}
	r := wire.NewReader(in)
	for {
		f, err := r.ReadInput()
		if errors.Is(err, io.EOF) {
			return wk.leaveAll()
		}
		if err != nil {
			return err
		}
		if err := wk.handle(f); err != nil {
			return err
		}
	}
}

func (wk *worker) emit(f wire.Output) error {
	if err := wk.w.WriteOutput(f); err != nil {
		return err
	}
	return wk.flush()
}

func (wk *worker) fail(spk uint32, code wire.ErrorCode, err error) error {
	return wk.emit(&wire.Error{Speaker: spk, Code: code, Message: truncate(err.Error())})
}

func truncate(s string) string {
	if len(s) > 200 {
		return s[:200]
	}
	return s
}

func (wk *worker) handle(f wire.Input) error {
	switch f := f.(type) {
	case *wire.Join:
		if _, ok := wk.streams[f.Speaker]; ok {
			return nil
		}
		if len(wk.streams) >= wk.maxSpeakers {
			return wk.fail(f.Speaker, wire.CodeTooManySpks, fmt.Errorf("more than %d speakers", wk.maxSpeakers))
		}
		s, err := newStream(f.Speaker, wk.cfg)
		if err != nil {
			return wk.fail(f.Speaker, wire.CodeRecognizer, err)
		}
		wk.streams[f.Speaker] = s
	case *wire.Leave:
		s, ok := wk.streams[f.Speaker]
		if !ok {
			return nil
		}
		delete(wk.streams, f.Speaker)
		defer s.close()
		return wk.out(s, s.finish())
	case *wire.Packet:
		s, ok := wk.streams[f.Speaker]
		if !ok {
			return wk.fail(f.Speaker, wire.CodeBadInput, errors.New("packet for a speaker that has not joined"))
		}
		hyps, err := s.packet(f)
		if err != nil {
			return wk.fail(f.Speaker, wire.CodeBadInput, err)
		}
		return wk.out(s, hyps)
	case *wire.PCM:
		s, ok := wk.streams[f.Speaker]
		if !ok {
			return wk.fail(f.Speaker, wire.CodeBadInput, errors.New("audio for a speaker that has not joined"))
		}
		hyps, err := s.feed(f.Samples, f.TimeMS)
		if err != nil {
			return wk.fail(f.Speaker, wire.CodeRecognizer, err)
		}
		return wk.out(s, hyps)
	}
	return nil
}

func (wk *worker) out(s *stream, hyps []wire.Hyp) error {
	for i := range hyps {
		if err := wk.emit(&hyps[i]); err != nil {
			return err
		}
	}
	return nil
}

func (wk *worker) leaveAll() error {
	for id, s := range wk.streams {
		if err := wk.out(s, s.finish()); err != nil {
			return err
		}
		s.close()
		delete(wk.streams, id)
	}
	return nil
}

func (wk *worker) closeAll() {
	for _, s := range wk.streams {
		s.close()
	}
}

// stream is one speaker: Opus decoding with concealment, then the
// recognizer, whose voice activity detector cuts utterances.
type stream struct {
	id      uint32
	rec     *speech.Recognizer
	dec     *opus.Decoder
	pcm     []int16
	haveSeq bool
	lastSeq uint16
	now     uint32 // ms, end of the audio fed so far

	inSpeech bool
	start    uint32 // ms, where the current utterance began
	since    int    // samples fed since the last partial
	partial  string
}

func newStream(id uint32, cfg speech.Config) (*stream, error) {
	rec, err := speech.New(cfg)
	if err != nil {
		return nil, err
	}
	dec, err := opus.NewDecoder(speech.SampleRate, 1)
	if err != nil {
		rec.Close()
		return nil, err
	}
	return &stream{id: id, rec: rec, dec: dec, pcm: make([]int16, speech.SampleRate*120/1000)}, nil
}

func (s *stream) close() {
	s.rec.Close()
	s.dec.Close()
}

// packet decodes one Opus packet, concealing a short gap before it.
func (s *stream) packet(p *wire.Packet) ([]wire.Hyp, error) {
	var hyps []wire.Hyp
	if s.haveSeq {
		gap := int(p.Seq - s.lastSeq - 1)
		if gap >= 0x8000 { // late or duplicate: already concealed
			return nil, nil
		}
		if gap > 0 && gap <= maxConceal {
			for i := range gap {
				n, err := s.dec.DecodePLC(s.pcm[:frameSamples])
				if err != nil {
					return nil, err
				}
				t := p.TimeMS - uint32((gap-i)*20)
				h, err := s.feed(s.pcm[:n], t)
				if err != nil {
					return nil, err
				}
				hyps = append(hyps, h...)
			}
		}
	}
	s.haveSeq, s.lastSeq = true, p.Seq
	n, err := s.dec.Decode(p.Opus, s.pcm)
	if err != nil {
		return hyps, err
	}
	h, err := s.feed(s.pcm[:n], p.TimeMS)
	return append(hyps, h...), err
}

// feed gives the recognizer audio that started at time t (ms).
func (s *stream) feed(pcm []int16, t uint32) ([]wire.Hyp, error) {
	if err := s.rec.Process(pcm); err != nil {
		return nil, err
	}
	s.now = t + uint32(len(pcm)*1000/speech.SampleRate)
	speaking := s.rec.InSpeech()
	var out []wire.Hyp
	switch {
	case speaking && !s.inSpeech:
		s.inSpeech, s.start, s.since, s.partial = true, t, 0, ""
	case speaking:
		s.since += len(pcm)
		if s.since >= partialEvery {
			s.since = 0
			if h := s.rec.Hyp(); h != "" && h != s.partial {
				s.partial = h
				out = append(out, s.hyp(h, false))
			}
		}
	case s.inSpeech:
		h, err := s.rec.EndUtterance()
		s.inSpeech = false
		if err != nil {
			return out, err
		}
		if h != "" {
			out = append(out, s.hyp(h, true))
		}
	}
	return out, nil
}

// finish ends the utterance in progress. Its final hypothesis, with empty
// text when nothing was said, tells the server the stream is flushed.
func (s *stream) finish() []wire.Hyp {
	h, _ := s.rec.EndUtterance()
	if !s.inSpeech {
		s.start = s.now
	}
	s.inSpeech = false
	return []wire.Hyp{s.hyp(h, true)}
}

func (s *stream) hyp(text string, final bool) wire.Hyp {
	if len(text) > wire.MaxText {
		text = strings.ToValidUTF8(text[:wire.MaxText], "")
	}
	return wire.Hyp{Speaker: s.id, Final: final, StartMS: s.start, EndMS: max(s.now, s.start), Text: text}
}
