package sfu

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/opus"
	"github.com/parley-voip/parley/media/quality"
	"github.com/parley-voip/parley/media/rtc"
	"github.com/pion/webrtc/v4"
)

// appClient is the app's own media client, an rtc.Peer made for the media
// service, joined to a call as app/callservice.go joins it: it answers
// every offer with AnswerService and trickles candidates both ways. It
// sends nothing; it decodes the audio it reads (ReadFrame, by SSRC) and
// counts the frames of every video track it is told about
// (OnVideoTrack), in the order the tracks came.
type appClient struct {
	t    *testing.T
	user string
	p    *rtc.Peer
	m    *Member
	sigs chan Signal

	mu     sync.Mutex
	ssrcs  []uint32           // audio SSRCs, in the order their first frame came
	pcm    map[uint32][]int16 // decoded audio, by SSRC
	videos []*appVideo
}

type appVideo struct {
	stream, name string
	frames       int // guarded by appClient.mu
}

func joinApp(t *testing.T, s *Service, callID, user string) *appClient {
	t.Helper()
	cfg := rtc.DefaultConfig()
	cfg.Service, cfg.Video, cfg.IncludeLoopback = true, true, true
	cfg.Logger = slog.New(slog.DiscardHandler)
	p, err := rtc.NewPeer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	a := &appClient{t: t, user: user, p: p, sigs: make(chan Signal, 1024), pcm: map[uint32][]int16{}}
	p.OnVideoTrack(func(v *rtc.RemoteVideo) { go a.readVideo(v) })
	m, err := s.Join(JoinRequest{CallID: callID, UserID: user, Name: user, Send: func(sig Signal) {
		select {
		case a.sigs <- sig:
		default:
			t.Errorf("%s: signal queue full", user)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	a.m = m
	p.OnLocalCandidate(func(c rtc.Candidate) {
		_ = m.AddCandidate(webrtc.ICECandidateInit{Candidate: c.Candidate, SDPMid: c.SDPMid, SDPMLineIndex: c.SDPMLineIndex})
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{}, 2)
	go func() { a.signals(ctx); done <- struct{}{} }()
	go func() { a.readAudio(); done <- struct{}{} }()
	t.Cleanup(func() {
		cancel()
		m.Leave()
		_ = p.Close()
		<-done
		<-done
	})
	return a
}

// signals handles the service's signals in order, as the app does.
func (a *appClient) signals(ctx context.Context) {
	for {
		var sig Signal
		select {
		case <-ctx.Done():
			return
		case sig = <-a.sigs:
		}
		switch {
		case sig.SDP != "":
			answer, err := a.p.AnswerService(ctx, sig.SDP)
			if err == nil {
				err = a.m.Answer(answer)
			}
			if err != nil && ctx.Err() == nil && !a.m.left() {
				a.t.Errorf("%s: answering the service's offer: %v", a.user, err)
			}
		case sig.Candidate != nil:
			c := sig.Candidate
			_ = a.p.AddRemoteCandidate(rtc.Candidate{Candidate: c.Candidate, SDPMid: c.SDPMid, SDPMLineIndex: c.SDPMLineIndex})
		}
	}
}

func (a *appClient) readAudio() {
	decs := map[uint32]*opus.Decoder{}
	defer func() {
		for _, d := range decs {
			d.Close()
		}
	}()
	pcm := make([]int16, 5760)
	for {
		f, err := a.p.ReadFrame()
		if err != nil {
			return
		}
		dec := decs[f.SSRC]
		if dec == nil {
			if dec, err = opus.NewDecoder(rate, 1); err != nil {
				a.t.Error(err)
				return
			}
			decs[f.SSRC] = dec
		}
		n, err := dec.Decode(f.Payload, pcm)
		if err != nil {
			continue
		}
		a.mu.Lock()
		if _, ok := a.pcm[f.SSRC]; !ok {
			a.ssrcs = append(a.ssrcs, f.SSRC)
		}
		a.pcm[f.SSRC] = append(a.pcm[f.SSRC], pcm[:n]...)
		a.mu.Unlock()
	}
}

func (a *appClient) readVideo(v *rtc.RemoteVideo) {
	rec := &appVideo{stream: v.Stream(), name: v.Name()}
	a.mu.Lock()
	a.videos = append(a.videos, rec)
	a.mu.Unlock()
	for {
		if _, err := v.ReadFrame(); err != nil {
			if err != io.EOF && !strings.Contains(err.Error(), "closed") {
				a.t.Logf("%s: video from %s ended: %v", a.user, rec.stream, err)
			}
			return
		}
		a.mu.Lock()
		rec.frames++
		a.mu.Unlock()
	}
}

// videoTracks is how many video tracks of stream (and name) came, and the
// frames of the last one.
func (a *appClient) videoTracks(stream, name string) (tracks, frames int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, v := range a.videos {
		if v.stream == stream && v.name == name {
			tracks, frames = tracks+1, v.frames
		}
	}
	return tracks, frames
}

// audio is how many audio SSRCs have come, and what the n-th (from 0)
// decoded to so far.
func (a *appClient) audio(n int) (ssrcs int, pcm []int16) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if n < len(a.ssrcs) {
		pcm = append([]int16(nil), a.pcm[a.ssrcs[n]]...)
	}
	return len(a.ssrcs), pcm
}

// until polls cond until it holds, failing the test when ctx ends first.
func until(ctx context.Context, t *testing.T, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// The app's own client (rtc.Peer) in a call where someone joins with
// audio and camera and leaves, again and again: each time it is told
// about his new video track (OnVideoTrack, stream parley-dave) and gets
// its frames, and gets his voice on a new SSRC, while its connection
// keeps the same sections (his tracks come on the ones he left).
func TestRejoinReachesTheAppClient(t *testing.T) {
	const cycles = 5
	const bound = 1 + 2*2 // alice's own audio section, bob's and dave's audio and camera
	s := newTestService(t, Config{})
	a := joinApp(t, s, "call-1", "alice")
	b := join(t, s, "call-1", "bob", withVideo(cam))
	if err := b.m.SetVideo(true, false); err != nil {
		t.Fatal(err)
	}
	ctx := testContext(t)
	until(ctx, t, "bob's camera and voice at alice", func() bool {
		_, frames := a.videoTracks("parley-bob", cam)
		n, _ := a.audio(0)
		return frames >= 10 && n >= 1
	})
	if !midNegotiated(a.m) {
		t.Fatal("rtc.Peer's answer does not negotiate mid")
	}
	for i := range cycles {
		ctx := testContext(t)
		d := join(t, s, "call-1", "dave", withVideo(cam))
		if err := d.m.SetVideo(true, false); err != nil {
			t.Fatal(err)
		}
		until(ctx, t, fmt.Sprintf("dave's camera track %d with frames at alice", i+1), func() bool {
			tracks, frames := a.videoTracks("parley-dave", cam)
			return tracks == i+1 && frames >= 10
		})
		until(ctx, t, fmt.Sprintf("dave's voice %d at alice", i+1), func() bool {
			_, pcm := a.audio(1 + i) // bob's SSRC came first
			return len(pcm) >= rate
		})
		_, pcm := a.audio(1 + i)
		ref := voices["dave"].Reference()
		score, _ := quality.NCC(pcm[len(pcm)-rate:], ref, len(ref))
		if score < nccThreshold {
			t.Errorf("cycle %d: alice hears dave with NCC %.3f < %.2f", i+1, score, nccThreshold)
		}
		until(ctx, t, "alice's offers answered", func() bool { return settled(a.m) })
		n, size := offerSections(a.m)
		t.Logf("cycle %d: alice (rtc.Peer) hears dave at NCC %.3f, sees his track %d; her offer %d sections, %d bytes", i+1, score, i+1, n, size)
		if n > bound {
			t.Fatalf("cycle %d: alice's offer has %d sections, more than %d", i+1, n, bound)
		}
		d.m.Leave()
		d.Close()
		until(ctx, t, "alice's offers answered", func() bool { return settled(a.m) })
	}
}
