// Command holdmusic writes the media service's hold music
// (server/sfu/holdmusic.opus): a short, quiet, looping phrase of soft
// chords synthesised here, encoded with libopus (media/opus) as 20 ms
// frames, one Opus packet per Ogg page (pion's oggwriter), which is the
// layout the service plays without decoding. Run it with
// scripts/holdmusic.sh.
package main

import (
	"flag"
	"log"
	"math"
	"os"

	"github.com/parley-voip/parley/media/opus"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4/pkg/media/oggwriter"
)

func main() {
	out := flag.String("o", "server/sfu/holdmusic.opus", "output file")
	flag.Parse()
	const rate, frame = 48000, 960
	// Four chords of 1.5 s: C, Am, F, G (root, third, fifth), with a gentle
	// attack and decay on each.
	chords := [][3]float64{{261.63, 329.63, 392.00}, {220.00, 261.63, 329.63}, {174.61, 220.00, 261.63}, {196.00, 246.94, 293.66}}
	const chordLen = rate * 3 / 2
	pcm := make([]int16, len(chords)*chordLen)
	for i := range pcm {
		c := chords[i/chordLen]
		t := float64(i%chordLen) / rate
		env := math.Min(1, t/0.08) * math.Exp(-1.2*t)
		var v float64
		for _, f := range c {
			v += math.Sin(2*math.Pi*f*float64(i)/rate) + 0.3*math.Sin(4*math.Pi*f*float64(i)/rate)
		}
		pcm[i] = int16(v / 4 * env * 0.4 * 32767)
	}
	cfg := opus.DefaultEncoderConfig()
	cfg.Application = opus.Audio
	cfg.FEC = false
	enc, err := opus.NewEncoder(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer enc.Close()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	w, err := oggwriter.NewWith(f, rate, 1)
	if err != nil {
		log.Fatal(err)
	}
	buf := make([]byte, 1275)
	for i := 0; i+frame <= len(pcm); i += frame {
		n, err := enc.Encode(pcm[i:i+frame], buf)
		if err != nil {
			log.Fatal(err)
		}
		p := &rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 111, SequenceNumber: uint16(i / frame), Timestamp: uint32(i)}, Payload: buf[:n]}
		if err := w.WriteRTP(p); err != nil {
			log.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
}
