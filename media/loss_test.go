package media

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/internal/testspeech"
	"github.com/parley-voip/parley/media/jitter"
	"github.com/parley-voip/parley/media/opus"
	"github.com/parley-voip/parley/media/quality"
)

// concealment is how the receiver fills a lost frame in the loss measurement.
type concealment int

const (
	concealFEC     concealment = iota // FEC from the next packet, else PLC (the engine)
	concealPLC                        // encoder without FEC, Opus PLC
	concealSilence                    // no FEC, lost frames played as silence
)

func (c concealment) String() string { return [...]string{"fec+plc", "plc", "silence"}[c] }

// lossyCall sends pcm through Opus, a link dropping each packet with
// probability loss and delaying it by a uniform 0..30 ms (seeded), the
// engine's adaptive jitter buffer in virtual time and the decoder, and
// returns what was played.
func lossyCall(t *testing.T, pcm []int16, loss float64, c concealment, seed uint64) []int16 {
	t.Helper()
	ec := opus.DefaultEncoderConfig()
	ec.Complexity = DefaultComplexity
	ec.FEC = c == concealFEC
	enc, err := opus.NewEncoder(ec)
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	dec, err := opus.NewDecoder(audio.SampleRate, audio.Channels)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	epoch := time.Unix(0, 0)
	now := epoch
	jc := Config{jitterClock: func() time.Time { return now }}.jitterConfig()
	jb, err := jitter.New(jc)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 77))
	frames := len(pcm) / audio.FrameSamples
	type packet struct {
		at      time.Duration
		seq     int
		payload []byte
	}
	var pkts []packet
	buf := make([]byte, opus.MaxPacketSize)
	for k := range frames {
		n, err := enc.Encode(pcm[k*audio.FrameSamples:(k+1)*audio.FrameSamples], buf)
		if err != nil {
			t.Fatal(err)
		}
		if rng.Float64() < loss {
			continue
		}
		at := time.Duration(k)*frameDuration + time.Duration(rng.Int64N(int64(30*time.Millisecond)))
		pkts = append(pkts, packet{at: at, seq: k, payload: append([]byte(nil), buf[:n]...)})
	}
	for i := 1; i < len(pkts); i++ { // arrival order
		for j := i; j > 0 && pkts[j].at < pkts[j-1].at; j-- {
			pkts[j], pkts[j-1] = pkts[j-1], pkts[j]
		}
	}
	out := make([]int16, 0, len(pcm)+20*audio.FrameSamples)
	frame := make([]int16, audio.FrameSamples)
	scratch := make([]int16, audio.FrameSamples)
	dst := make([]byte, 0, jitter.DefaultMaxPayload)
	next := 0
	for tick := 0; tick < frames+20; tick++ {
		popAt := time.Duration(tick)*frameDuration + 5*time.Millisecond
		for ; next < len(pkts) && pkts[next].at <= popAt; next++ {
			now = epoch.Add(pkts[next].at)
			p := pkts[next]
			_ = jb.Push(1, uint16(p.seq), uint32(p.seq*audio.FrameSamples), p.payload)
		}
		now = epoch.Add(popAt)
		f, st := jb.Pop(dst)
		switch st {
		case jitter.Ready:
			if _, err := dec.Decode(f.Payload, frame); err != nil {
				t.Fatal(err)
			}
		case jitter.Compress:
			if err := decodeCompress(dec, f, frame, scratch); err != nil {
				t.Fatal(err)
			}
		case jitter.Lost:
			switch {
			case c == concealSilence:
				clear(frame)
			case c == concealFEC && len(f.Payload) > 0:
				if _, err := dec.DecodeFEC(f.Payload, frame); err != nil {
					t.Fatal(err)
				}
			default:
				if _, err := dec.DecodePLC(frame); err != nil {
					t.Fatal(err)
				}
			}
		default:
			clear(frame)
		}
		out = append(out, frame...)
	}
	return out
}

type lossScore struct{ ncc, snr float64 }

// measureLoss scores every condition: NCC (the pass mark of the call tests,
// see media/quality) and segmental SNR against the sent speech, averaged
// over seeds so one lucky loss pattern does not decide.
func measureLoss(t *testing.T, pcm []int16, seeds int) map[string]lossScore {
	res := map[string]lossScore{}
	for _, loss := range []float64{0, 0.05, 0.10, 0.20} {
		for _, c := range []concealment{concealFEC, concealPLC, concealSilence} {
			var sum lossScore
			for seed := range seeds {
				got := lossyCall(t, pcm, loss, c, uint64(seed+1))
				ncc, lag := quality.NCC(pcm, got, 20*audio.FrameSamples)
				sum.ncc += ncc
				sum.snr += quality.SegmentalSNR(pcm, got, lag)
			}
			res[fmt.Sprintf("%.0f%%/%v", loss*100, c)] = lossScore{sum.ncc / float64(seeds), sum.snr / float64(seeds)}
		}
	}
	return res
}

// TestQualityUnderLoss measures synthetic speech through 0, 5, 10 and 20 %
// random loss with 30 ms of jitter, with FEC and PLC, PLC alone, and
// neither, and checks the ranking the design relies on: concealment beats
// silence, FEC beats concealment alone, and speech at 10 % loss with FEC
// stays recognisably the sent speech. The figures are in docs/media.md.
func TestQualityUnderLoss(t *testing.T) {
	t.Parallel()
	pcm := testspeech.Load(t, testspeech.FarVoice, testspeech.FarText)
	seeds := 1
	if os.Getenv("PARLEY_MEASURE") != "" { // make bench: average over more loss patterns
		seeds = 5
	}
	res := measureLoss(t, pcm, seeds)
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-6s %-16s %-16s %-16s\n", "loss", "fec+plc", "plc", "silence")
	for _, loss := range []string{"0%", "5%", "10%", "20%"} {
		fmt.Fprintf(&b, "%-6s", loss)
		for _, c := range []concealment{concealFEC, concealPLC, concealSilence} {
			s := res[loss+"/"+c.String()]
			fmt.Fprintf(&b, " NCC %.3f %5.1fdB", s.ncc, s.snr)
		}
		b.WriteString("\n")
	}
	t.Log("NCC and segmental SNR against the sent speech (30 ms jitter):" + b.String())
	for _, loss := range []string{"5%", "10%", "20%"} {
		fec, plc, sil := res[loss+"/fec+plc"], res[loss+"/plc"], res[loss+"/silence"]
		if !(fec.ncc > plc.ncc && plc.ncc > sil.ncc) {
			t.Errorf("%s loss: NCC fec+plc %.3f, plc %.3f, silence %.3f: not in that order", loss, fec.ncc, plc.ncc, sil.ncc)
		}
	}
	if s := res["10%/fec+plc"]; s.ncc < 0.8 {
		t.Errorf("10%% loss with FEC: NCC %.3f < 0.8", s.ncc)
	}
}
