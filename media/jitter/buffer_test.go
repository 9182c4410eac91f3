package jitter

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
)

type scenario struct {
	Name   string            `json:"name"`
	Config Config            `json:"config"`
	Steps  []string          `json:"steps"`
	Stats  map[string]uint64 `json:"stats"`
}

// payloadFor makes a frame's payload identify its sequence number, so the
// test sees which frame Pop really returned.
func payloadFor(seq uint16) []byte { return binary.BigEndian.AppendUint16([]byte{0xAA}, seq) }

// tsFor gives frames 20 ms apart a timeline that stays consistent across
// the sequence wrap (65535 is one frame before 0).
func tsFor(seq uint16) uint32 { return uint32(int32(int16(seq)) * 960) }

func loadScenarios(tb testing.TB) []scenario {
	tb.Helper()
	raw, err := os.ReadFile("testdata/scenarios.json")
	if err != nil {
		tb.Fatal(err)
	}
	var ss []scenario
	if err := json.Unmarshal(raw, &ss); err != nil {
		tb.Fatal(err)
	}
	return ss
}

func TestScenarios(t *testing.T) {
	t.Parallel()
	for _, sc := range loadScenarios(t) {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			b, err := New(sc.Config)
			if err != nil {
				t.Fatal(err)
			}
			dst := make([]byte, 0, 8)
			for i, step := range sc.Steps {
				runStep(t, b, dst, i, step)
			}
			checkStats(t, b.Stats(), sc.Stats)
		})
	}
}

func runStep(t *testing.T, b *Buffer, dst []byte, i int, step string) {
	t.Helper()
	f := strings.Fields(step)
	num := func(s string) uint16 {
		n, err := strconv.ParseUint(s, 10, 16)
		if err != nil {
			t.Fatalf("step %d %q: %v", i, step, err)
		}
		return uint16(n)
	}
	switch f[0] {
	case "push":
		seq := num(f[1])
		ssrc := uint32(1)
		ts := tsFor(seq)
		want := error(nil)
		for _, opt := range f[2:] {
			switch opt {
			case "->":
			case "late":
				want = ErrLate
			case "dup":
				want = ErrDuplicate
			case "badts":
				want = ErrTimestamp
			case "large":
				want = ErrTooLarge
			default:
				if v, ok := strings.CutPrefix(opt, "ts="); ok {
					n, err := strconv.ParseUint(v, 10, 32)
					if err != nil {
						t.Fatalf("step %d %q: %v", i, step, err)
					}
					ts = uint32(n)
					continue
				}
				if v, ok := strings.CutPrefix(opt, "ssrc="); ok {
					ssrc = uint32(num(v))
					continue
				}
				t.Fatalf("step %d %q: unknown option", i, step)
			}
		}
		err := b.Push(ssrc, seq, ts, payloadFor(seq))
		if (want == nil && err != nil) || (want != nil && !errors.Is(err, want)) {
			t.Fatalf("step %d %q: Push = %v, want %v", i, step, err, want)
		}
	case "pop":
		frame, status := b.Pop(dst)
		var wantStatus Status
		wantSeq, wantPayload := uint16(0), false
		switch f[1] {
		case "buffering":
			wantStatus = Buffering
		case "ready":
			wantStatus, wantSeq, wantPayload = Ready, num(f[2]), true
		case "lost":
			wantStatus = Lost
			if len(f) == 4 && f[2] == "fec" {
				wantSeq, wantPayload = num(f[3]), true
			}
		default:
			t.Fatalf("step %d %q: unknown pop", i, step)
		}
		if status != wantStatus {
			t.Fatalf("step %d %q: status %v (frame %d)", i, step, status, frame.Seq)
		}
		if !wantPayload {
			if len(frame.Payload) != 0 {
				t.Fatalf("step %d %q: unexpected payload for seq %d", i, step, frame.Seq)
			}
			return
		}
		if frame.Seq != wantSeq || string(frame.Payload) != string(payloadFor(wantSeq)) ||
			frame.Timestamp != tsFor(wantSeq) {
			t.Fatalf("step %d %q: got seq %d ts %d payload %x", i, step, frame.Seq, frame.Timestamp, frame.Payload)
		}
	default:
		t.Fatalf("step %d: unknown step %q", i, step)
	}
}

func checkStats(t *testing.T, got Stats, want map[string]uint64) {
	t.Helper()
	fields := map[string]uint64{
		"Pushed": got.Pushed, "Played": got.Played, "Lost": got.Lost, "Late": got.Late,
		"Duplicate": got.Duplicate, "TooLarge": got.TooLarge, "BadTimestamp": got.BadTimestamp, "Dropped": got.Dropped, "Resets": got.Resets,
	}
	for name, v := range fields {
		if v != want[name] {
			t.Errorf("Stats.%s = %d, want %d (all: %+v)", name, v, want[name], got)
		}
	}
	for name := range want {
		if _, ok := fields[name]; !ok {
			t.Errorf("scenario names unknown counter %q", name)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	bad := []Config{
		{Delay: -1},
		{Delay: 4, MaxDelay: 3},
		{Capacity: 4096},
		{Delay: 8, Capacity: 16},
		{MaxPayload: -1},
		{ConcealLimit: -2},
	}
	for _, c := range bad {
		if _, err := New(c); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("New(%+v) = %v, want ErrInvalidConfig", c, err)
		}
	}
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("zero Config: %v", err)
	}
}

// TestSteadyStateDoesNotAllocate: the buffer sits on the per-frame path of
// every call, 50 times a second in each direction.
func TestSteadyStateDoesNotAllocate(t *testing.T) {
	b, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	payload := make([]byte, 120)
	dst := make([]byte, 0, DefaultMaxPayload)
	seq := uint16(0)
	step := func() {
		_ = b.Push(7, seq, uint32(seq)*960, payload)
		seq++
		b.Pop(dst)
	}
	for range 2 * DefaultCapacity { // every slot's storage grows once
		step()
	}
	if n := testing.AllocsPerRun(1000, step); n != 0 {
		t.Fatalf("%.1f allocations per push+pop", n)
	}
}

func TestResetForgetsStream(t *testing.T) {
	t.Parallel()
	b, err := New(Config{Delay: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Push(1, 10, 0, []byte{1}); err != nil {
		t.Fatal(err)
	}
	b.Reset()
	if st := b.Stats(); st.Buffered != 0 || st.Dropped != 1 {
		t.Fatalf("after Reset: %+v", st)
	}
	if _, status := b.Pop(nil); status != Buffering {
		t.Fatalf("Pop after Reset: %v", status)
	}
}

func BenchmarkPushPop(b *testing.B) {
	buf, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	payload := make([]byte, 120)
	dst := make([]byte, 0, DefaultMaxPayload)
	b.ReportAllocs()
	seq := uint16(0)
	for b.Loop() {
		_ = buf.Push(7, seq, uint32(seq)*960, payload)
		seq++
		buf.Pop(dst)
	}
}
