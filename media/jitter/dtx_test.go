package jitter

import (
	"math/rand/v2"
	"testing"
	"time"
)

// dtxTalk and dtxPause shape the DTX scenario: 1.5 s talkspurts and 1 s
// pauses in which, as Opus DTX does, only every 20th frame (a comfort-noise
// update, 400 ms apart) is sent. Skipped frames take no sequence number;
// the RTP timestamp runs on (media/rtc's packetizer).
const (
	dtxTalk   = 75
	dtxPause  = 50
	dtxUpdate = 20
)

func dtxSent(k int) bool {
	p := k % (dtxTalk + dtxPause)
	return p < dtxTalk || (p-dtxTalk)%dtxUpdate == 0
}

type dtxResult struct {
	stats      Stats
	onsetFirst time.Duration // mean playout delay of talkspurts' first frames, first minute
	onsetLast  time.Duration // … last minute
	onsetMax   time.Duration
	// onsetWait: how long talkspurts' first frames waited between arrival
	// and playout, lowest and highest after the first minute.
	onsetWaitLo, onsetWaitHi time.Duration
	speechLost               int // speech frames never played (dropped, late) after warm-up
	speechGaps               int // ticks concealed inside a talkspurt, after its first frame played
	updatesLate              int // comfort-noise updates never played
}

// runDTX plays minutes of DTX talk over a link with the sender's clock
// drift and uniform jitter, in virtual time; the device pops phase after
// each multiple of 20 ms.
func runDTX(t *testing.T, drift float64, jitter, phase time.Duration, minutes int) dtxResult {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, 0x9e3779b97f4a7c15))
	epoch := time.Unix(1_700_000_000, 0)
	now := epoch
	b, err := New(Config{Adaptive: true, Clock: func() time.Time { return now },
		Quiet: func(p []byte) bool { return p[0] == 1 }})
	if err != nil {
		t.Fatal(err)
	}
	const base = 30 * time.Millisecond
	const seq0, ts0 = uint16(65000), uint32(0xFFFFF000)
	period := time.Duration(float64(frame) / (1 + drift))
	ticks := minutes * 60 * 50
	n := ticks + ticks/50
	type arrival struct {
		at  time.Duration
		k   int
		seq uint16
	}
	var arrivals []arrival
	seq := seq0
	for k := range n {
		if !dtxSent(k) {
			continue
		}
		d := base + time.Duration(rng.Int64N(int64(jitter)))
		arrivals = append(arrivals, arrival{at: time.Duration(k)*period + d, k: k, seq: seq})
		seq++
	}
	for i := 1; i < len(arrivals); i++ {
		for j := i; j > 0 && arrivals[j].at < arrivals[j-1].at; j-- {
			arrivals[j], arrivals[j-1] = arrivals[j-1], arrivals[j]
		}
	}
	kOf := make(map[uint16]int, len(arrivals))
	arrivedAt := make(map[uint16]time.Duration, len(arrivals))
	for _, a := range arrivals {
		kOf[a.seq] = a.k
		arrivedAt[a.seq] = a.at
	}

	res := dtxResult{onsetWaitLo: time.Hour}
	played := map[int]bool{}
	var sumFirst, sumLast time.Duration
	var nFirst, nLast int
	inSpurt := false
	next := 0
	dst := make([]byte, 0, 8)
	for tick := range ticks {
		popAt := time.Duration(tick)*frame + phase
		for next < len(arrivals) && arrivals[next].at <= popAt {
			a := arrivals[next]
			now = epoch.Add(a.at)
			q := byte(0)
			if a.k%(dtxTalk+dtxPause) >= dtxTalk {
				q = 1 // comfort noise: quiet
			}
			_ = b.Push(9, a.seq, ts0+uint32(a.k*960), []byte{q})
			next++
		}
		now = epoch.Add(popAt)
		f, st := b.Pop(dst)
		if st != Ready && st != Compress {
			if inSpurt {
				res.speechGaps++
			}
			continue
		}
		if st == Compress { // f.Seq and the one after play in this tick
			played[kOf[f.Seq]] = true
			f.Seq++
		}
		k := kOf[f.Seq]
		played[k] = true
		p := k % (dtxTalk + dtxPause)
		inSpurt = p < dtxTalk-1
		if p != 0 || k == 0 {
			continue
		}
		delay := popAt - time.Duration(k)*period
		res.onsetMax = max(res.onsetMax, delay)
		if tick >= 3000 {
			w := popAt - arrivedAt[f.Seq]
			res.onsetWaitLo, res.onsetWaitHi = min(res.onsetWaitLo, w), max(res.onsetWaitHi, w)
		}
		switch tick / 3000 {
		case 1:
			sumFirst += delay
			nFirst++
		case minutes - 1:
			sumLast += delay
			nLast++
		}
	}
	last := 0
	for k := range played {
		last = max(last, k)
	}
	for k := 250; k < last; k++ {
		if !dtxSent(k) || played[k] {
			continue
		}
		if k%(dtxTalk+dtxPause) < dtxTalk {
			res.speechLost++
		} else {
			res.updatesLate++
		}
	}
	res.stats = b.Stats()
	res.onsetFirst = sumFirst / time.Duration(max(nFirst, 1))
	res.onsetLast = sumLast / time.Duration(max(nLast, 1))
	return res
}

// TestDTX runs talkspurts separated by DTX pauses, with the sender's clock
// 0.5 % fast, exact and 0.5 % slow. Across the pauses the buffer must keep
// its delay where it was (no build-up or drain over the call: each spurt
// starts at the target), must not drop speech to follow the drift (the
// pauses absorb it), must give each spurt a full cushion (no concealment
// inside a spurt on a 30 ms jitter path), and must play the comfort-noise
// updates rather than drop them.
func TestDTX(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		drift float64
	}{{"fast", 0.005}, {"exact", 0}, {"slow", -0.005}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := runDTX(t, tc.drift, 30*time.Millisecond, 7*time.Millisecond, 5)
			st := r.stats
			t.Logf("onset delay first minute %v, last %v, max %v; speech lost %d, gaps %d, updates unplayed %d; %+v",
				r.onsetFirst, r.onsetLast, r.onsetMax, r.speechLost, r.speechGaps, r.updatesLate, st)
			if diff := r.onsetLast - r.onsetFirst; diff > frame || diff < -frame {
				t.Errorf("talkspurt delay moved by %v over the call", diff)
			}
			if r.onsetMax > 30*time.Millisecond+(time.Duration(DefaultMaxTarget)*frame) {
				t.Errorf("a talkspurt started %v late", r.onsetMax)
			}
			if r.speechLost != 0 {
				t.Errorf("%d speech frames dropped", r.speechLost)
			}
			if r.speechGaps > 5 {
				t.Errorf("%d ticks concealed inside talkspurts", r.speechGaps)
			}
			if r.updatesLate != 0 {
				t.Errorf("%d comfort-noise updates not played", r.updatesLate)
			}
			if st.Resets != 0 || st.BadTimestamp != 0 {
				t.Errorf("resets %d, bad timestamps %d: a DTX pause is not a discontinuity", st.Resets, st.BadTimestamp)
			}
		})
	}
}
