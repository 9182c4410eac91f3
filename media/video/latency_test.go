package video_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/video"
	"github.com/parley-voip/parley/media/video/videotest"
)

// stamped remembers when each pattern frame was captured, so the far end's
// arrival time gives the capture-to-render latency.
type stamped struct {
	*video.Pattern
	mu sync.Mutex
	at map[uint32]time.Time
	n  uint32
}

func newStamped(p *video.Pattern, start uint32) *stamped {
	return &stamped{Pattern: p, at: map[uint32]time.Time{}, n: start}
}

// latencies are the capture-to-render times of the readable pictures in
// got, which came from s.
func (s *stamped) latencies(got []videotest.Received) []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	var lat []time.Duration
	for _, g := range got {
		if t0, ok := s.at[g.Counter]; ok && g.Readable {
			lat = append(lat, g.At.Sub(t0))
		}
	}
	return lat
}

// reportLatency reports the mean and 95th percentile of lat.
func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		b.Fatal("no latency samples")
	}
	slices.Sort(lat)
	var sum time.Duration
	for _, l := range lat {
		sum += l
	}
	b.ReportMetric(float64(sum.Microseconds())/float64(len(lat))/1000, "ms-latency-mean")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "ms-latency-p95")
}

func (s *stamped) ReadFrame() (video.Frame, error) {
	f, err := s.Pattern.ReadFrame()
	if err == nil {
		s.mu.Lock()
		s.at[s.n] = f.Captured
		s.n++
		s.mu.Unlock()
	}
	return f, err
}
