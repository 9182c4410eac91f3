package audio

// Sound cards deliver and request audio in chunks of whatever size their
// driver likes; the pipeline works in FrameSamples frames. These two
// adapters bridge the sizes without allocating, so they can run inside a
// real-time device callback. Each adds at most one frame of latency.

// frameAssembler collects captured chunks into whole frames.
type frameAssembler struct {
	frame [FrameSamples]int16
	n     int // samples buffered in frame
}

// write appends chunk and calls emit once per completed frame. The frame
// passed to emit is reused afterwards.
func (a *frameAssembler) write(chunk []int16, emit func(frame []int16)) {
	for len(chunk) > 0 {
		c := copy(a.frame[a.n:], chunk)
		a.n += c
		chunk = chunk[c:]
		if a.n == FrameSamples {
			emit(a.frame[:])
			a.n = 0
		}
	}
}

// frameSplitter serves playback chunks from whole frames.
type frameSplitter struct {
	frame [FrameSamples]int16
	pos   int // next unplayed sample in frame; FrameSamples when empty
}

func newFrameSplitter() frameSplitter { return frameSplitter{pos: FrameSamples} }

// read fills chunk, calling pull to produce a new frame whenever the
// buffered one is used up. pull gets a zeroed frame, so a Playback callback
// that writes nothing plays silence rather than the previous frame again.
func (s *frameSplitter) read(chunk []int16, pull func(frame []int16)) {
	for len(chunk) > 0 {
		if s.pos == FrameSamples {
			clear(s.frame[:])
			pull(s.frame[:])
			s.pos = 0
		}
		c := copy(chunk, s.frame[s.pos:])
		s.pos += c
		chunk = chunk[c:]
	}
}
