package rtc

import (
	"sync"

	"github.com/pion/interceptor"
)

// onDemand wraps an interceptor whose BindRTCPWriter starts a periodic
// loop (pion's NACK generator ticks every 20 ms from the moment the peer
// connection exists, whether or not anything it watches ever arrives):
// the loop is started only when the first remote stream that wants passes
// is bound. A call peer is set up for video (Config.SealedVideo) in every
// E2EE call, audio-only ones too, and the idle ticker was 50 wake-ups a
// second there for nothing.
//
// The wrapped interceptor's BindRTCPWriter must return its argument
// unchanged (it only keeps the writer to send from its loop), since the
// writer this one returns to the chain is the original.
type onDemand struct {
	interceptor.Interceptor
	wants func(*interceptor.StreamInfo) bool

	mu     sync.Mutex
	writer interceptor.RTCPWriter
	bound  bool
}

// onDemandFactory makes onDemand interceptors around inner's.
type onDemandFactory struct {
	inner interceptor.Factory
	wants func(*interceptor.StreamInfo) bool
}

func (f onDemandFactory) NewInterceptor(id string) (interceptor.Interceptor, error) {
	i, err := f.inner.NewInterceptor(id)
	if err != nil {
		return nil, err
	}
	return &onDemand{Interceptor: i, wants: f.wants}, nil
}

// BindRTCPWriter keeps the writer for later; it does not call the wrapped
// interceptor yet.
func (o *onDemand) BindRTCPWriter(w interceptor.RTCPWriter) interceptor.RTCPWriter {
	o.mu.Lock()
	o.writer = w
	o.mu.Unlock()
	return w
}

// BindRemoteStream binds the wrapped interceptor's writer (starting its
// loop) the first time a stream it wants arrives.
func (o *onDemand) BindRemoteStream(info *interceptor.StreamInfo, r interceptor.RTPReader) interceptor.RTPReader {
	if o.wants(info) {
		o.mu.Lock()
		if !o.bound && o.writer != nil {
			o.bound = true
			o.Interceptor.BindRTCPWriter(o.writer)
		}
		o.mu.Unlock()
	}
	return o.Interceptor.BindRemoteStream(info, r)
}

// wantsNACK is the NACK generator's own test: the stream negotiated
// generic NACK feedback (only video does here).
func wantsNACK(info *interceptor.StreamInfo) bool {
	for _, fb := range info.RTCPFeedback {
		if fb.Type == "nack" && fb.Parameter == "" {
			return true
		}
	}
	return false
}
