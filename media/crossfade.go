package media

import (
	"math"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/jitter"
	"github.com/parley-voip/parley/media/opus"
)

// fadeIn is a raised-cosine ramp from 0 to 1 over one frame.
var fadeIn = func() []float32 {
	w := make([]float32, audio.FrameSamples)
	for i := range w {
		w[i] = float32(0.5 - 0.5*math.Cos(math.Pi*(float64(i)+0.5)/float64(len(w))))
	}
	return w
}()

// crossfade writes into out (which may be a) frame a fading into frame b
// over the whole frame: the two frames a jitter buffer's Compress hands
// over, played in one tick. out starts as a, so it continues what played
// before, and ends as b, which the next frame continues; in between the
// two are mixed, never cut, so there is no step at either end. Mono, one
// frame each.
func crossfade(out, a, b []int16) {
	for i := range out {
		w := fadeIn[i*len(fadeIn)/len(out)]
		out[i] = int16(math.Round(float64((1-w)*float32(a[i]) + w*float32(b[i]))))
	}
}

// decodeCompress decodes a jitter.Compress tick's two frames, in order,
// and plays them in frame, the first fading into the second; scratch holds
// the second meanwhile (a frame's size, so the device thread does not
// allocate). If only one decodes, it plays alone; the error is returned
// only when neither does.
func decodeCompress(dec *opus.Decoder, f jitter.Frame, frame, scratch []int16) error {
	next := scratch[:len(frame)]
	n1, err1 := dec.Decode(f.Payload, frame)
	n2, err2 := dec.Decode(f.Next, next)
	switch {
	case err1 == nil && err2 == nil:
		clear(frame[n1*audio.Channels:])
		clear(next[n2*audio.Channels:])
		crossfade(frame, frame, next)
	case err2 == nil:
		clear(frame[copy(frame, next[:n2*audio.Channels]):])
	case err1 == nil:
		clear(frame[n1*audio.Channels:])
	default:
		return err1
	}
	return nil
}
