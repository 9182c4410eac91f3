package sframe

// ReplayWindow is how many counters behind the newest accepted one a frame
// may arrive and still be accepted once. At 50 audio frames a second it
// tolerates 2.5 s of reordering, far more than a jitter buffer holds.
const ReplayWindow = 128

// replayWindow is a sliding bitmap over the last ReplayWindow counters of
// one receiving KID, in the manner of RFC 3711 section 3.3.2 (which RFC 9605
// section 9.3 points to). Bit i is set when counter top-i was accepted.
type replayWindow struct {
	top  uint64
	seen [ReplayWindow / 64]uint64
	any  bool
}

// check reports whether ctr may be accepted, without changing the window:
// the window only moves after the frame's tag has verified, so a forged
// frame cannot push it forward.
func (w *replayWindow) check(ctr uint64) error {
	if !w.any || ctr > w.top {
		return nil
	}
	d := w.top - ctr
	if d >= ReplayWindow {
		return ErrTooOld
	}
	if w.seen[d/64]&(1<<(d%64)) != 0 {
		return ErrReplay
	}
	return nil
}

// accept records ctr, which check has allowed and the tag has verified.
func (w *replayWindow) accept(ctr uint64) {
	if !w.any {
		w.any, w.top, w.seen = true, ctr, [2]uint64{1, 0}
		return
	}
	if ctr > w.top {
		w.shift(ctr - w.top)
		w.top = ctr
		w.seen[0] |= 1
		return
	}
	d := w.top - ctr
	w.seen[d/64] |= 1 << (d % 64)
}

// shift moves every bit n places towards older counters.
func (w *replayWindow) shift(n uint64) {
	switch {
	case n >= ReplayWindow:
		w.seen = [2]uint64{}
	case n >= 64:
		w.seen = [2]uint64{0, w.seen[0] << (n - 64)}
	default:
		w.seen = [2]uint64{w.seen[0] << n, w.seen[1]<<n | w.seen[0]>>(64-n)}
	}
}
