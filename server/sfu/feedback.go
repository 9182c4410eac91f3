package sfu

import (
	"fmt"

	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/nack"
	"github.com/pion/interceptor/pkg/twcc"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
)

// nackHistory is how many packets each video down track keeps to answer
// NACKs: about 2 s of 1 Mbit/s video, several round trips.
const nackHistory = 256

// configureVideo registers VP8 and the service's video feedback: losses
// are repaired hop by hop (a NACK generator asks each sender for what the
// service missed; a responder answers each subscriber's NACKs from the
// packets it sent it), and transport-wide congestion control feedback
// (TWCC) tells each sender how its packets reached the service, which its
// congestion controller adapts the bitrate to.
func configureVideo(me *webrtc.MediaEngine, reg *interceptor.Registry) error {
	if err := me.RegisterCodec(vp8Codec, webrtc.RTPCodecTypeVideo); err != nil {
		return fmt.Errorf("sfu: register vp8: %w", err)
	}
	if err := me.RegisterHeaderExtension(webrtc.RTPHeaderExtensionCapability{URI: sdp.TransportCCURI}, webrtc.RTPCodecTypeVideo); err != nil {
		return fmt.Errorf("sfu: register transport-cc: %w", err)
	}
	responder, err := nack.NewResponderInterceptor(nack.ResponderSize(nackHistory))
	if err != nil {
		return fmt.Errorf("sfu: nack responder: %w", err)
	}
	generator, err := nack.NewGeneratorInterceptor()
	if err != nil {
		return fmt.Errorf("sfu: nack generator: %w", err)
	}
	tw, err := twcc.NewSenderInterceptor()
	if err != nil {
		return fmt.Errorf("sfu: twcc: %w", err)
	}
	reg.Add(responder)
	reg.Add(generator)
	reg.Add(tw)
	return nil
}
