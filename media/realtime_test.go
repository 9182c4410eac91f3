package media

import (
	"context"
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/cputime"
	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/rtc"
)

// BenchmarkCallRealtime runs one E2EE call as the app has it, in real
// time: two engines on 20 ms synthetic devices over two pion peers on
// loopback, configured as the app configures a call's peer (DefaultConfig
// with SealedVideo, so the video interceptors are there even while no
// video flows). Each iteration is one 20 ms frame of wall time; run it
// with -benchtime 500x (10 s). It reports one client's share of a core
// (process CPU by getrusage, divided by two) and the process's context
// switches a second per client: each is a thread going to sleep and
// being woken again, what BenchmarkCallCPU (no pion, no clock) leaves out;
// and the goroutines the Go scheduler started a second per client (a
// goroutine hand-off of a packet is one, whether or not a thread sleeps).
func BenchmarkCallRealtime(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	pa, pb := connectPeers(ctx, b, func(c *rtc.Config) { c.SealedVideo = true })
	var streams []*Stream
	for i, p := range []*rtc.Peer{pa, pb} {
		dev := audio.NewSyntheticDevice(audio.Chirp(), nil)
		e, err := NewEngine(Config{Device: dev, Logger: quiet})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = e.Close() })
		if err := e.Start(); err != nil {
			b.Fatal(err)
		}
		s, err := e.Attach(p, newGCMCipher(uint32(i+1), uint32(2-i)))
		if err != nil {
			b.Fatal(err)
		}
		streams = append(streams, s)
	}
	for _, s := range streams {
		select {
		case <-s.FirstFrame():
		case <-ctx.Done():
			b.Fatal("no frame decoded")
		}
	}
	time.Sleep(time.Second) // past the jitter buffer's settling
	cpu0, sw0, runs0, t0 := cputime.Process(), cputime.Switches(), cputime.GoroutineRuns(), time.Now()
	b.ResetTimer()
	time.Sleep(time.Duration(b.N) * audio.FrameDuration) // one wake-up, not one a frame
	wall := time.Since(t0).Seconds()
	cpu, sw, runs := (cputime.Process() - cpu0).Seconds(), cputime.Switches()-sw0, cputime.GoroutineRuns()-runs0
	b.ReportMetric(100*cpu/2/wall, "%core/client")
	b.ReportMetric(float64(sw)/2/wall, "switches/s/client")
	b.ReportMetric(float64(runs)/2/wall, "goruns/s/client")
	for _, s := range streams {
		if st := s.Stats(); st.Played == 0 {
			b.Fatalf("nothing played: %+v", st)
		}
	}
}
