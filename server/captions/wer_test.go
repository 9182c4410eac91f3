package captions

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/quality"
	"github.com/parley-voip/parley/media/speech/speechtest"
	"github.com/parley-voip/parley/server/captions/wire"
	"github.com/parley-voip/parley/signaling"
)

// TestWERLibriVox measures the word error rate on every LibriVox utterance
// of pocketsphinx-testdata, spoken one after another by one speaker with a
// second of silence between them, three ways: the worker fed the PCM
// directly, live captions through the tap with the Opus RTP packets a
// client sends, and live captions in a real call on the media service.
// It takes about a minute, so it runs only when asked:
//
//	PARLEY_WER=1 go test -run WERLibriVox -v ./server/captions
func TestWERLibriVox(t *testing.T) {
	if os.Getenv("PARLEY_WER") == "" {
		t.Skip("set PARLEY_WER=1 to measure (about a minute)")
	}
	us := speechtest.LibriVox(t)
	var refs []string
	var pcm []int16
	for _, u := range us {
		refs = append(refs, u.Ref)
		pcm = append(pcm, u.PCM...)
		pcm = append(pcm, speechtest.Silence(1000)...)
	}
	pcm = append(pcm, speechtest.Silence(1000)...)
	ref := strings.Join(refs, " ")
	report := func(name, hyp string) float64 {
		e, n := quality.WordErrors(ref, hyp)
		wer := float64(e) / float64(n)
		t.Logf("%-28s WER %5.1f %% (%d errors / %d words)\n    %s", name, 100*wer, e, n, hyp)
		return wer
	}

	direct := report("worker, PCM directly", directPCM(t, pcm))

	pkts := speechtest.OpusPackets(t, pcm)
	g := newRig(t, withWorker())
	g.waitUp(t)
	if err := g.svc.Handle(context.Background(), "bob", captionsMsg("call-1", true)); err != nil {
		t.Fatal(err)
	}
	g.room.talk(alice, pkts, 1, 5*time.Millisecond)
	g.room.leave("alice")
	g.room.leave("bob")
	tap := report("captions, tap (RTP)", transcriptText(waitTranscript(t, g, "call-1", "bob")))
	if d := g.svc.Dropped(); d != 0 {
		t.Errorf("%d frames dropped", d)
	}

	h, a, b := realCall(t, "call-w")
	h.inbox.wait(t, "bob", 5*time.Second, "captions on", isState(signaling.CaptionsOn))
	a.SendOpus(pkts)
	a.m.Leave()
	b.m.Leave()
	call := report("captions, real call (SFU)", transcriptText(waitTranscript(t, h, "call-w", "bob")))

	for name, w := range map[string]float64{"tap": tap, "real call": call} {
		if w > direct+0.05 {
			t.Errorf("the %s path adds %.1f points of WER (limit 5)", name, 100*(w-direct))
		}
	}
}

func transcriptText(tr Transcript) string {
	var s []string
	for _, l := range tr.Lines {
		s = append(s, l.Text)
	}
	return strings.Join(s, " ")
}

// directPCM runs the worker binary on pcm through the protocol's PCM frames
// and returns its final hypotheses.
func directPCM(t *testing.T, pcm []int16) string {
	cmd := exec.Command(speechtest.Worker(t))
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		w := wire.NewWriter(in)
		_ = w.WriteInput(&wire.Join{Speaker: 1})
		for off := 0; off < len(pcm); off += wire.MaxPCMSamples {
			_ = w.WriteInput(&wire.PCM{Speaker: 1, TimeMS: uint32(off / 16), Samples: pcm[off:min(off+wire.MaxPCMSamples, len(pcm))]})
		}
		_ = w.WriteInput(&wire.Leave{Speaker: 1})
		in.Close()
	}()
	outs, err := wire.NewReader(out).ReadOutputs()
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	for _, f := range outs {
		if h, ok := f.(*wire.Hyp); ok && h.Final && h.Text != "" {
			words = append(words, h.Text)
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(words, " ")
}
