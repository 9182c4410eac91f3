package dsp

import (
	"sync/atomic"
	"time"
)

// The echo canceller's sleep. Where the microphone does not hear the
// loudspeaker (a headset, a handset's earpiece) the canceller has no echo
// to remove, yet it is two thirds of the processor's CPU (BenchmarkProcess).
// So it sleeps: once the microphone has stayed at its noise floor, in all
// for sleepAfter, in 20 ms units where the far end talked loudly enough
// for any echo path with less than echoLoss of loss to rise above that
// floor, the canceller stops running, the preprocessor stops suppressing
// residual echo, and the probe (probe.go) listens instead. The probe's
// ERLE over a window of far-end talk, a floor that rises into loud noise,
// a device change (Wake) or the canceller switched off and on wake it,
// from scratch. docs/media.md ("The echo canceller's sleep") has the
// measurements behind the thresholds and what a sleep costs when an echo
// path appears during it.

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
	evNoisy                  // the floor rose above maxFloor, or is not known
	evWake                   // Wake: the sound device changed
)

// echoNext is what each state accepts; any other event leaves it as it
// is. What a transition resets is in fire, all of it.
var echoNext = [...]map[echoEvent]echoState{
	echoOff:    {evOn: echoAwake, evWake: echoOff},
	echoAwake:  {evOff: echoOff, evQuiet: echoAsleep, evWake: echoAwake},
	echoAsleep: {evOff: echoOff, evEcho: echoAwake, evNoisy: echoAwake, evWake: echoAwake},
}

// Levels, as mean squares of int16 samples.
const (
	// minFloor: a microphone's floor is taken to be at least -80 dBFS
	// (digital silence has no floor to compare with).
	minFloor = 32768 * 32768 * 1e-8
	// maxFloor: above -40 dBFS the microphone is in loud noise, where a
	// weak echo can hide; the canceller stays awake, or wakes.
	maxFloor = 32768 * 32768 * 1e-4
	// quietRatio: a unit within 3 dB of the floor is at the floor.
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

// floorBlock: the microphone's noise floor is the quietest 20 ms unit,
// among those the far end was silent for (so that no echo is in them),
// over the last one or two blocks of this many seconds that had such
// units: minimum statistics, which follow a floor that rises within two
// blocks.
const floorBlock = 5

// unitsPerSecond: the watch judges the audio in 20 ms units, whatever the
// length of the calls to Process.
const unitsPerSecond = 50

// echoWatch decides when the canceller sleeps and wakes. It sees every
// sample Process gets, before the canceller runs; not safe for concurrent
// use.
type echoWatch struct {
	state echoState
	// enabled: the canceller may sleep (not with Config.NoEchoSleep, nor
	// with a tail longer than the probe learns).
	enabled bool
	rate    int // samples a second
	tail    int // the canceller's tail, in samples at rate
	unit    int // samples in a unit
	// The unit in progress: samples so far, and their sums of squares.
	unitN          int
	micSum, farSum int64

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

	// For EchoStats, read from any goroutine.
	asleep                          atomic.Bool
	sleeps, echoWakes, asleepSample atomic.Uint64
}

func newEchoWatch(rate int, tail time.Duration, sleeps bool) *echoWatch {
	w := &echoWatch{
		enabled: sleeps && tail <= probeSpan,
		rate:    rate,
		tail:    int(tail * time.Duration(rate) / time.Second),
		unit:    rate / unitsPerSecond,
		probe:   newProbe(rate),
	}
	w.fire(evWake) // no floor yet
	return w
}

// unknownFloor: no far-end pause heard yet.
const unknownFloor = 2 * maxFloor

// floor is the microphone's noise floor, or more than maxFloor while it
// is not known.
func (w *echoWatch) floor() float64 { return max(min(w.floorCur, w.floorPrev), minFloor) }

// fire moves to the state ev leads to, if the current state accepts it,
// and resets what the transition makes stale.
func (w *echoWatch) fire(ev echoEvent) {
	next, ok := echoNext[w.state][ev]
	if !ok {
		return
	}
	w.state = next
	w.asleep.Store(next == echoAsleep)
	switch next {
	case echoAsleep:
		w.sleeps.Add(1)
		w.probe.reset()
	case echoAwake:
		w.quiet = 0
	}
	switch ev {
	case evEcho:
		w.echoWakes.Add(1)
		w.needQuiet = min(2*w.needQuiet, maxSleepAfter*w.rate)
	case evOn: // the audio went by unobserved while it was off
		w.needQuiet, w.farRun, w.farQuiet = sleepAfter*w.rate, 0, 0
		w.unitN, w.micSum, w.farSum = 0, 0, 0
	case evWake: // another microphone, another floor
		w.floorCur, w.floorPrev, w.floorN, w.floorSeen = unknownFloor, unknownFloor, 0, false
		w.farRun, w.farQuiet, w.quiet, w.needQuiet = 0, 0, 0, sleepAfter*w.rate
		w.unitN, w.micSum, w.farSum = 0, 0, 0
	}
}

// observe takes mic and far (equal lengths, any length) before the
// canceller, and fires what each unit they complete raises.
func (w *echoWatch) observe(mic, far []int16) {
	if !w.enabled || w.state == echoOff {
		return
	}
	for len(mic) > 0 {
		k := min(len(mic), w.unit-w.unitN)
		for i := range k {
			w.micSum += int64(mic[i]) * int64(mic[i])
			w.farSum += int64(far[i]) * int64(far[i])
		}
		if w.state == echoAsleep {
			w.probe.take(mic[:k], far[:k])
		}
		mic, far = mic[k:], far[k:]
		if w.unitN += k; w.unitN == w.unit {
			w.judge(float64(w.micSum)/float64(w.unit), float64(w.farSum)/float64(w.unit))
			w.unitN, w.micSum, w.farSum = 0, 0, 0
		}
	}
}

// judge takes one unit's mean squares.
func (w *echoWatch) judge(micPow, farPow float64) {
	n := w.unit
	floor := w.floor()
	// Far end silent over the whole tail: no echo can be in this unit, so
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
	// echoLoss would show in this unit.
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
				w.fire(evQuiet)
			}
		}
	case echoAsleep:
		if w.floor() > maxFloor {
			w.fire(evNoisy)
			return
		}
		if erle, closed := w.probe.endUnit(farTalks && !micQuiet); closed && erle > probeEchoDB {
			w.fire(evEcho)
			return
		}
		w.asleepSample.Add(uint64(n))
	}
}

// EchoStats says how the echo canceller's sleep went.
type EchoStats struct {
	Asleep    bool          // asleep now
	Sleeps    uint64        // times it fell asleep
	EchoWakes uint64        // times the probe heard echo and woke it
	AsleepFor time.Duration // audio it slept through
}

func (w *echoWatch) stats() EchoStats {
	return EchoStats{Asleep: w.asleep.Load(), Sleeps: w.sleeps.Load(), EchoWakes: w.echoWakes.Load(),
		AsleepFor: time.Duration(w.asleepSample.Load()) * time.Second / time.Duration(w.rate)}
}
