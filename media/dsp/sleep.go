package dsp

import "sync/atomic"

// The echo canceller's sleep. Where the microphone does not hear the
// loudspeaker (a headset, a handset's earpiece) the canceller has no echo
// to remove, yet it is two thirds of the processor's CPU (BenchmarkProcess).
// So it sleeps: once the microphone has stayed at its noise floor, in all
// for sleepAfter, in frames where the far end talked loudly enough for
// any echo path with less than echoLoss of loss to rise above that
// floor, the canceller stops running, the preprocessor stops suppressing
// residual echo, and the probe (probe.go) listens instead. The probe's
// ERLE over a window of far-end talk, a device change (Wake) or the
// canceller switched off and on wake it, from scratch. docs/media.md
// ("The echo canceller's sleep") has the measurements behind the
// thresholds and what a sleep costs when an echo path appears during it.

type echoState uint8

const (
	echoOff    echoState = iota // cancellation switched off (SetEcho)
	echoAwake                   // the canceller runs
	echoAsleep                  // no echo heard: the probe listens instead
)

type echoEvent uint8

const (
	evOn    echoEvent = iota // SetEcho(true)
	evOff                    // SetEcho(false)
	evQuiet                  // sleepAfter of quiet microphone under far-end talk
	evEcho                   // the probe heard the loudspeaker
	evWake                   // Wake: the sound device changed
)

// echoNext is what each state accepts; any other event leaves it as it is.
var echoNext = [...]map[echoEvent]echoState{
	echoOff:    {evOn: echoAwake},
	echoAwake:  {evOff: echoOff, evQuiet: echoAsleep},
	echoAsleep: {evOff: echoOff, evEcho: echoAwake, evWake: echoAwake},
}

// Levels, as mean squares of int16 samples.
const (
	// minFloor: a microphone's floor is taken to be at least -80 dBFS
	// (digital silence has no floor to compare with).
	minFloor = 32768 * 32768 * 1e-8
	// maxFloor: above -40 dBFS the microphone is in loud noise, where a
	// weak echo can hide; the canceller stays awake.
	maxFloor = 32768 * 32768 * 1e-4
	// quietRatio: a frame within 3 dB of the floor is at the floor.
	quietRatio = 2
	// farSilent: below -60 dBFS the far end is silent (a pause, not a
	// quiet syllable): what the microphone hears then is no echo.
	farSilent = 32768 * 32768 * 1e-6
	// echoLoss: the far end counts as talking when, over the whole echo
	// tail, it stayed this much (25 dB) above the microphone's floor: an
	// echo path losing less would have lifted the microphone 3 dB over it.
	echoLoss = 316
)

// sleepAfter is how much quiet microphone under far-end talk puts the
// canceller to sleep (seconds); each wake by the probe doubles it, up to
// maxSleepAfter, so that an echo at the edge of audibility keeps it awake
// rather than waking it every few seconds.
const (
	sleepAfter    = 2
	maxSleepAfter = 64
)

// floorBlock: the microphone's noise floor is the quietest frame, among
// those the far end was silent for (so that no echo is in them), over the
// last one or two blocks of this many seconds that had such frames:
// minimum statistics, which follow a floor that rises within two blocks.
const floorBlock = 5

// echoWatch decides when the canceller sleeps and wakes. It sees every
// frame Process gets, before the canceller runs; not safe for concurrent
// use.
type echoWatch struct {
	state    echoState
	rate     int // samples a second
	tail     int // the canceller's tail, in samples at rate
	farRun   int // samples the far end has stayed loud without a break
	farQuiet int // samples the far end has stayed silent without a break
	// The floor's minimum statistics: the current block's and the last
	// one's that had a far-end pause; floorN samples into the block.
	floorCur, floorPrev float64
	floorN              int
	floorSeen           bool // the current block had a far-end pause
	quiet               int  // samples of quiet microphone under far-end talk, since awake
	needQuiet           int  // quiet samples that put the canceller to sleep
	probe               *probe
	farLo, micLo        []float32

	// For EchoStats, read from any goroutine.
	asleep                          atomic.Bool
	sleeps, echoWakes, asleepSample atomic.Uint64
}

func newEchoWatch(rate, tail int) *echoWatch {
	w := &echoWatch{rate: rate, tail: tail, probe: newProbe(rate), needQuiet: sleepAfter * rate}
	w.resetFloor()
	return w
}

func (w *echoWatch) resetFloor() {
	w.floorCur, w.floorPrev, w.floorN, w.floorSeen = unknownFloor, unknownFloor, 0, false
	w.farRun, w.farQuiet = 0, 0
}

// unknownFloor: no far-end pause heard yet.
const unknownFloor = 2 * maxFloor

// floor is the microphone's noise floor, or more than maxFloor while it
// is not known.
func (w *echoWatch) floor() float64 { return max(min(w.floorCur, w.floorPrev), minFloor) }

// fire moves to the state ev leads to, if the current state accepts it.
func (w *echoWatch) fire(ev echoEvent) {
	next, ok := echoNext[w.state][ev]
	if !ok {
		return
	}
	w.state = next
	w.asleep.Store(next == echoAsleep)
	switch {
	case next == echoAsleep:
		w.sleeps.Add(1)
		w.probe.reset()
	case next == echoAwake:
		w.quiet = 0
		switch ev {
		case evEcho:
			w.echoWakes.Add(1)
			w.needQuiet = min(2*w.needQuiet, maxSleepAfter*w.rate)
		case evOn: // frames went by unobserved while it was off
			w.needQuiet, w.farRun, w.farQuiet = sleepAfter*w.rate, 0, 0
		}
	}
}

// wake handles a device change: another microphone, another floor, and
// what was heard of the old one counts for nothing; a sleeping canceller
// wakes.
func (w *echoWatch) wake() {
	w.resetFloor()
	w.quiet, w.needQuiet = 0, sleepAfter*w.rate
	w.fire(evWake)
}

// observe takes one frame's microphone and far-end samples, before the
// canceller, and returns the event the frame raises, if any (ok false
// otherwise).
func (w *echoWatch) observe(mic, far []int16) (ev echoEvent, ok bool) {
	micPow, farPow := meanSquare(mic), meanSquare(far)
	n := len(mic)
	floor := w.floor()
	// Far end silent over the whole tail: no echo can be in this frame, so
	// it may set the floor.
	if farPow < farSilent {
		w.farQuiet += n
	} else {
		w.farQuiet = 0
	}
	if w.farQuiet >= w.tail+n {
		w.floorCur, w.floorSeen = min(w.floorCur, micPow), true
	}
	if w.floorN += n; w.floorN >= floorBlock*w.rate {
		if w.floorSeen {
			w.floorPrev = w.floorCur
		}
		w.floorCur, w.floorN, w.floorSeen = unknownFloor, 0, false
	}
	// Far end loud over the whole tail: any echo path losing less than
	// echoLoss would show in this frame.
	if floor <= maxFloor && farPow >= floor*echoLoss {
		w.farRun += n
	} else {
		w.farRun = 0
	}
	farTalks := w.farRun >= w.tail+n
	micQuiet := micPow <= floor*quietRatio

	switch w.state {
	case echoAwake:
		if farTalks && micQuiet {
			if w.quiet += n; w.quiet >= w.needQuiet {
				return evQuiet, true
			}
		}
	case echoAsleep:
		w.asleepSample.Add(uint64(n))
		w.farLo = w.probe.average(far, w.farLo)
		if !farTalks || micQuiet {
			w.probe.push(w.farLo)
			return 0, false
		}
		w.micLo = w.probe.average(mic, w.micLo)
		if erle, closed := w.probe.adapt(w.farLo, w.micLo); closed && erle > probeEchoDB {
			return evEcho, true
		}
	}
	return 0, false
}

func meanSquare(s []int16) float64 {
	var sum int64
	for _, v := range s {
		sum += int64(v) * int64(v)
	}
	return float64(sum) / float64(len(s))
}
