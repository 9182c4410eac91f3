package rtpcodec_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/logging"
	"github.com/pion/rtp"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"

	"github.com/parley-voip/parley/media/rtpcodec"
)

// undeclaredSSRC is the SSRC of the packets no description declares.
const undeclaredSSRC = 0x0BADC0DE

// TestUndeclaredSSRCAddsNoTransceiver sends the answerer packets of an
// SSRC the offer does not declare, with the payload type of a video
// section that declares none (as a reused section does): without mid
// negotiated pion adds a transceiver for them (the race in docs/server.md),
// with RegisterMid on both sides it drops them. The declared audio
// packets arrive with no header extension: mid is negotiated, never sent.
func TestUndeclaredSSRCAddsNoTransceiver(t *testing.T) {
	for _, tc := range []struct {
		name  string
		mid   bool
		added bool
	}{
		{name: "without mid", mid: false, added: true},
		{name: "RegisterMid", mid: true, added: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			logs := make(chan string, 1024)
			offerer := newPC(t, tc.mid, nil)
			answerer := newPC(t, tc.mid, logs)

			raw := &rawTrack{bound: make(chan webrtc.TrackLocalContext, 1)}
			if _, err := offerer.AddTransceiverFromTrack(raw, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly}); err != nil {
				t.Fatal(err)
			}
			if _, err := offerer.AddTransceiverFromKind(webrtc.RTPCodecTypeVideo, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
				t.Fatal(err)
			}
			tracks := make(chan *webrtc.TrackRemote, 4)
			answerer.OnTrack(func(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) { tracks <- tr })
			signal(t, offerer, answerer)
			if got := strings.Contains(answerer.LocalDescription().SDP, sdp.SDESMidURI); got != tc.mid {
				t.Fatalf("answer negotiates mid: %v, want %v", got, tc.mid)
			}
			before := len(answerer.GetTransceivers())

			var bc webrtc.TrackLocalContext
			select {
			case bc = <-raw.bound:
			case <-ctx.Done():
				t.Fatal("the audio track was never bound")
			}
			send := func(ssrc uint32, pt uint8, seq uint16) {
				h := rtp.Header{Version: 2, PayloadType: pt, SequenceNumber: seq, Timestamp: uint32(seq) * 960, SSRC: ssrc}
				if _, err := bc.WriteStream().WriteRTP(&h, []byte{0x10, 0, 0, 0}); err != nil {
					t.Fatal(err)
				}
			}

			// The declared stream first: its track, and its packets as
			// they arrive.
			tick := time.NewTicker(10 * time.Millisecond)
			defer tick.Stop()
			var audio *webrtc.TrackRemote
			for seq := uint16(0); audio == nil; seq++ {
				select {
				case audio = <-tracks:
				case <-tick.C:
					send(uint32(bc.SSRC()), uint8(rtpcodec.Opus.PayloadType), seq)
				case <-ctx.Done():
					t.Fatal("no track for the declared audio")
				}
			}
			pkt, _, err := audio.ReadRTP()
			if err != nil {
				t.Fatal(err)
			}
			if pkt.Header.Extension || len(pkt.Header.Extensions) > 0 {
				t.Fatalf("a declared packet carries header extensions %v", pkt.Header.Extensions)
			}

			// Then the undeclared one, until pion either gives it a
			// track or says it drops it.
			added := false
			for seq, done := uint16(0), false; !done; seq++ {
				select {
				case tr := <-tracks:
					if uint32(tr.SSRC()) != undeclaredSSRC {
						t.Fatalf("a track of SSRC %d", tr.SSRC())
					}
					added, done = true, true
				case l := <-logs:
					done = strings.Contains(l, fmt.Sprintf("ssrc(%d)", undeclaredSSRC))
				case <-tick.C:
					send(undeclaredSSRC, uint8(rtpcodec.VP8.PayloadType), seq)
				case <-ctx.Done():
					t.Fatal("the undeclared packets got neither a track nor an error")
				}
			}
			after := len(answerer.GetTransceivers())
			t.Logf("answerer's transceivers: %d before the undeclared packets, %d after", before, after)
			if added != tc.added || (after > before) != tc.added {
				t.Fatalf("undeclared SSRC given a track: %v, transceivers %d → %d; want a track and a transceiver: %v", added, before, after, tc.added)
			}
		})
	}
}

// newPC is a loopback peer connection with Opus and VP8 and, if mid,
// RegisterMid; its pion errors go to logs when logs is not nil.
func newPC(t *testing.T, mid bool, logs chan<- string) *webrtc.PeerConnection {
	t.Helper()
	var me webrtc.MediaEngine
	if err := me.RegisterCodec(rtpcodec.Opus, webrtc.RTPCodecTypeAudio); err != nil {
		t.Fatal(err)
	}
	if err := me.RegisterCodec(rtpcodec.VP8, webrtc.RTPCodecTypeVideo); err != nil {
		t.Fatal(err)
	}
	if mid {
		if err := rtpcodec.RegisterMid(&me); err != nil {
			t.Fatal(err)
		}
	}
	var se webrtc.SettingEngine
	se.SetIncludeLoopbackCandidate(true)
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	if logs != nil {
		lf := logging.NewDefaultLoggerFactory()
		lf.DefaultLogLevel = logging.LogLevelError
		lf.Writer = chanWriter(logs)
		se.LoggerFactory = lf
	}
	// An explicit registry, as Parley's have: pion's default one
	// registers mid (for simulcast) itself.
	reg := &interceptor.Registry{}
	if err := webrtc.ConfigureRTCPReports(reg); err != nil {
		t.Fatal(err)
	}
	pc, err := webrtc.NewAPI(webrtc.WithMediaEngine(&me), webrtc.WithSettingEngine(se), webrtc.WithInterceptorRegistry(reg)).NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pc.Close() })
	return pc
}

// signal runs one offer/answer with complete candidates.
func signal(t *testing.T, offerer, answerer *webrtc.PeerConnection) {
	t.Helper()
	offer, err := offerer.CreateOffer(nil)
	if err != nil {
		t.Fatal(err)
	}
	gathered := webrtc.GatheringCompletePromise(offerer)
	if err := offerer.SetLocalDescription(offer); err != nil {
		t.Fatal(err)
	}
	<-gathered
	if err := answerer.SetRemoteDescription(*offerer.LocalDescription()); err != nil {
		t.Fatal(err)
	}
	answer, err := answerer.CreateAnswer(nil)
	if err != nil {
		t.Fatal(err)
	}
	gathered = webrtc.GatheringCompletePromise(answerer)
	if err := answerer.SetLocalDescription(answer); err != nil {
		t.Fatal(err)
	}
	<-gathered
	if err := offerer.SetRemoteDescription(*answerer.LocalDescription()); err != nil {
		t.Fatal(err)
	}
}

// rawTrack is an audio track that hands its binding to the test, which
// writes packets of any SSRC and payload type through it.
type rawTrack struct{ bound chan webrtc.TrackLocalContext }

func (r *rawTrack) Bind(c webrtc.TrackLocalContext) (webrtc.RTPCodecParameters, error) {
	select {
	case r.bound <- c:
	default:
	}
	return rtpcodec.Opus, nil
}

func (r *rawTrack) Unbind(webrtc.TrackLocalContext) error { return nil }
func (r *rawTrack) ID() string                            { return "audio" }
func (r *rawTrack) RID() string                           { return "" }
func (r *rawTrack) StreamID() string                      { return "raw" }
func (r *rawTrack) Kind() webrtc.RTPCodecType             { return webrtc.RTPCodecTypeAudio }

// chanWriter sends each log line to a channel, dropping it if full.
type chanWriter chan<- string

func (w chanWriter) Write(p []byte) (int, error) {
	select {
	case w <- string(p):
	default:
	}
	return len(p), nil
}
