package rtc

import (
	"bytes"
	"runtime"
	"testing"
)

// nackLoops counts the goroutines running pion's NACK generator loop.
func nackLoops() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return bytes.Count(buf[:n], []byte("nack.(*GeneratorInterceptor).loop"))
		}
		buf = make([]byte, 2*len(buf))
	}
}

// TestNACKGeneratorOnlyWithVideo: two peers set up for sealed video, as
// every E2EE call's are, run no NACK generator loop (a 20 ms ticker) while
// the call is audio only, and the receiver runs one once a video track
// arrives.
func TestNACKGeneratorOnlyWithVideo(t *testing.T) {
	ctx := testContext(t)
	before := nackLoops()
	a, b := newVideoPeer(t, true), newVideoPeer(t, true)
	connectPair(ctx, t, a, b)
	if n := nackLoops() - before; n != 0 {
		t.Fatalf("%d NACK generator loops in an audio-only call", n)
	}

	remote := make(chan *RemoteVideo, 1)
	b.OnVideoTrack(func(r *RemoteVideo) { remote <- r })
	v, err := a.AddVideoTrack("camera")
	if err != nil {
		t.Fatal(err)
	}
	reoffer(ctx, t, a, b)
	sendUntilReceived(t, v, remote)
	if n := nackLoops() - before; n != 1 {
		t.Fatalf("%d NACK generator loops once video arrived, want the receiver's one", n)
	}
}
