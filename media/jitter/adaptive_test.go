package jitter

import (
	"math/rand/v2"
	"testing"
	"time"
)

// link simulates a call's receive side in virtual time: a sender whose
// clock may run fast or slow emits one frame per (its) 20 ms, the network
// delays each by a base plus seeded random jitter (so frames reorder), and
// the playout device pops one frame per (our) 20 ms.
type link struct {
	drift   float64       // sender clock rate − 1: +0.005 is 0.5 % fast
	base    time.Duration // one-way network delay
	jitter  time.Duration // extra delay, uniform in [0, jitter)
	quietN  int           // every quietN-th frame is marked quiet (0: none)
	phase   time.Duration // when the device pops, after each multiple of 20 ms
	delay   int           // Config.Delay: the frames buffered before playout starts (0: default)
	seed    uint64
	minutes int
}

type linkResult struct {
	stats      Stats
	delayFirst time.Duration // mean playout delay over the first minute after warm-up
	delayLast  time.Duration // … and over the last minute
	maxLevel   int           // frames buffered, highest in the last minute
	droppedSeq []uint16      // frames that were never played (nor reported lost)
	compressed []uint16      // the first frame of each Compress tick
	quiet      map[uint16]bool
	// How long frames waited between arrival and playout: the first frame
	// played, and the least wait of each second (50 ticks) after the first
	// five, lowest and highest of those.
	firstWait            time.Duration
	settledLo, settledHi time.Duration
}

const frame = 20 * time.Millisecond

func (l link) run(t *testing.T) linkResult {
	t.Helper()
	rng := rand.New(rand.NewPCG(l.seed, 0x9e3779b97f4a7c15))
	epoch := time.Unix(1_700_000_000, 0)
	now := epoch
	cfg := Config{Adaptive: true, Delay: l.delay, Clock: func() time.Time { return now }}
	if l.quietN > 0 {
		cfg.Quiet = func(p []byte) bool { return p[0] == 1 }
	}
	b, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}

	ticks := l.minutes * 60 * 50
	const seq0, ts0 = uint16(60000), uint32(0xFFFF0000) // both wrap during the call
	period := time.Duration(float64(frame) / (1 + l.drift))
	type arrival struct {
		at time.Duration
		k  int
	}
	// Frames sent over the call plus slack for a slow sender's lag.
	n := ticks + ticks/50
	arrivals := make([]arrival, n)
	for k := range n {
		d := l.base
		if l.jitter > 0 {
			d += time.Duration(rng.Int64N(int64(l.jitter)))
		}
		arrivals[k] = arrival{at: time.Duration(k)*period + d, k: k}
	}
	// Arrival order: sort by time (insertion sort suffices, jitter < a few frames).
	for i := 1; i < n; i++ {
		for j := i; j > 0 && arrivals[j].at < arrivals[j-1].at; j-- {
			arrivals[j], arrivals[j-1] = arrivals[j-1], arrivals[j]
		}
	}

	res := linkResult{quiet: map[uint16]bool{}}
	played := make(map[int]bool, n)
	lost := 0
	pushed := 0
	var sumFirst, sumLast time.Duration
	var nFirst, nLast int
	dst := make([]byte, 0, 8)
	next := 0
	arrivedAt := make(map[int]time.Duration, n)
	for _, a := range arrivals {
		arrivedAt[a.k] = a.at
	}
	res.firstWait = -1
	res.settledLo = time.Hour
	secMin := time.Hour
	for tick := range ticks {
		popAt := time.Duration(tick)*frame + l.phase
		for next < n && arrivals[next].at <= popAt {
			a := arrivals[next]
			now = epoch.Add(a.at)
			seq := seq0 + uint16(a.k)
			q := byte(0)
			if l.quietN > 0 && a.k%l.quietN == 0 {
				q = 1
				res.quiet[seq] = true
			}
			_ = b.Push(7, seq, ts0+uint32(a.k*960), []byte{q, byte(seq >> 8), byte(seq)})
			pushed = max(pushed, a.k+1)
			next++
		}
		now = epoch.Add(popAt)
		if tick%50 == 0 && tick >= 5*50 {
			if tick > 5*50 {
				res.settledLo, res.settledHi = min(res.settledLo, secMin), max(res.settledHi, secMin)
			}
			secMin = time.Hour
		}
		f, st := b.Pop(dst)
		if st == Lost && len(f.Payload) > 0 {
			lost++
		}
		if st != Ready && st != Compress {
			continue
		}
		k := int(f.Seq - seq0)
		if st == Compress { // f.Seq and the one after play in this tick
			res.compressed = append(res.compressed, f.Seq)
			played[k] = true
			k++
		}
		played[k] = true
		w := popAt - arrivedAt[k]
		if res.firstWait < 0 {
			res.firstWait = w
		}
		secMin = min(secMin, w)
		delay := popAt - time.Duration(k)*period
		minute := tick / 3000
		if minute == 1 {
			sumFirst += delay
			nFirst++
		}
		if minute == l.minutes-1 {
			sumLast += delay
			nLast++
			res.maxLevel = max(res.maxLevel, b.Stats().Buffered)
		}
	}
	res.stats = b.Stats()
	res.delayFirst = sumFirst / time.Duration(max(nFirst, 1))
	res.delayLast = sumLast / time.Duration(max(nLast, 1))
	last := 0
	for k := range played {
		last = max(last, k)
	}
	for k := range last {
		if !played[k] {
			res.droppedSeq = append(res.droppedSeq, seq0+uint16(k))
		}
	}
	return res
}

// TestClockDrift runs ten simulated minutes with the sender's clock 0.5 %
// fast and 0.5 % slow: the playout delay must not build up or drain away,
// and the frames added or removed to follow the sender's clock must be
// about 0.5 % of the call.
func TestClockDrift(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		drift float64
	}{{"fast", 0.005}, {"slow", -0.005}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := link{drift: tc.drift, base: 30 * time.Millisecond, jitter: 10 * time.Millisecond, phase: 7 * time.Millisecond, seed: 1, minutes: 10}.run(t)
			st := r.stats
			t.Logf("delay first minute %v, last minute %v, max level %d, stats %+v", r.delayFirst, r.delayLast, r.maxLevel, st)
			// 0.5 % of 30 000 frames is 150 frames to absorb.
			var adjusted uint64
			if tc.drift > 0 {
				adjusted = st.Accelerated
			} else {
				adjusted = st.Inserted
			}
			if adjusted < 120 || adjusted > 260 {
				t.Errorf("adjusted %d frames for 150 frames of drift", adjusted)
			}
			if diff := r.delayLast - r.delayFirst; diff > 2*frame || diff < -2*frame {
				t.Errorf("delay moved by %v over the call", diff)
			}
			if r.maxLevel > st.Target+2 {
				t.Errorf("buffer level reached %d frames, target %d", r.maxLevel, st.Target)
			}
			if st.Resets != 0 || st.Late > 30 {
				t.Errorf("resets %d, late %d", st.Resets, st.Late)
			}
		})
	}
}

// TestTargetFollowsJitter: the target rises with the network's jitter and
// stays small on a steady path, within its bounds.
func TestTargetFollowsJitter(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		jitter        time.Duration
		minT, maxT    int
		maxLateOrLost float64
	}{
		{0, 1, 1, 0},
		{5 * time.Millisecond, 2, 2, 0.01},
		{50 * time.Millisecond, 3, 5, 0.05},
		{400 * time.Millisecond, DefaultMaxTarget, DefaultMaxTarget, 1},
	} {
		t.Run(tc.jitter.String(), func(t *testing.T) {
			t.Parallel()
			r := link{base: 40 * time.Millisecond, jitter: tc.jitter, phase: 7 * time.Millisecond, seed: 2, minutes: 1}.run(t)
			st := r.stats
			t.Logf("target %d, jitter %v, stats %+v", st.Target, st.Jitter, st)
			if st.Target < tc.minT || st.Target > tc.maxT {
				t.Errorf("target %d, want %d..%d", st.Target, tc.minT, tc.maxT)
			}
			if frac := float64(st.Late) / float64(st.Pushed); frac > tc.maxLateOrLost {
				t.Errorf("%.1f %% of frames late", 100*frac)
			}
		})
	}
}

// TestDriftCompressesQuietFrames: with a Quiet hint, the frames that
// follow a fast sender by playing two in one tick start on quiet ones,
// and no frame is dropped.
func TestDriftCompressesQuietFrames(t *testing.T) {
	t.Parallel()
	r := link{drift: 0.005, base: 30 * time.Millisecond, quietN: 10, phase: 7 * time.Millisecond, seed: 3, minutes: 2}.run(t)
	if r.stats.Accelerated == 0 || len(r.compressed) != int(r.stats.Accelerated) {
		t.Fatalf("%d ticks compressed: %+v", len(r.compressed), r.stats)
	}
	for _, seq := range r.compressed {
		if !r.quiet[seq] {
			t.Errorf("compressed frame %d was not quiet", seq)
		}
	}
	if len(r.droppedSeq) != 0 || r.stats.Dropped != 0 {
		t.Errorf("frames dropped: %v, %+v", r.droppedSeq, r.stats)
	}
}

// TestRFC3550Jitter: a path with uniform [0, J) delay has an interarrival
// jitter of J/3 (mean |D| for two independent uniforms); the estimator's
// 1/16 smoothing lands near it.
func TestRFC3550Jitter(t *testing.T) {
	t.Parallel()
	r := link{base: 20 * time.Millisecond, jitter: 30 * time.Millisecond, phase: 7 * time.Millisecond, seed: 4, minutes: 1}.run(t)
	if j := r.stats.Jitter; j < 6*time.Millisecond || j > 14*time.Millisecond {
		t.Errorf("jitter %v, want about 10ms", j)
	}
}
