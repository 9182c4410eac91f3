package recording

import (
	"fmt"
	"os"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4/pkg/media/oggwriter"

	"github.com/parley-voip/parley/server/sealing"
)

// Opus RTP always counts 48 kHz (RFC 7587), and so does the Ogg granule.
const opusRate = 48000

// Alignment thresholds, in 48 kHz samples.
const (
	// lateSlack: a packet that starts this far before what is already
	// written is late (reordered or duplicated) and dropped.
	lateSlack = opusRate / 100 // 10 ms
	// maxSkew: when a sender's RTP clock and the recording's clock differ
	// by more than this (a timestamp jump, a restarted sender), the track
	// is re-anchored on the recording's clock.
	maxSkew = 2 * opusRate // 2 s
)

// track is one participant's Ogg Opus stream on the recording's timeline:
// sample 0 is the moment the recording started. Only the recorder's writer
// goroutine uses it.
type track struct {
	n          int
	user, name string
	path       string
	file       *os.File
	sealed     *sealedWriter
	ogg        *oggwriter.Writer
	out        *oggwriter.Track

	pos      int64 // samples written
	anchored bool
	ssrc     uint32
	rtpBase  uint32
	posBase  int64
	pkt      rtp.Packet
}

// oggPreSkip is the pre-skip pion's Ogg writer puts in the OpusHead.
const oggPreSkip = 3840

// oggSSRC is the SSRC of the synthesized packets handed to pion's Ogg
// writer; the track's own SSRC only tells a re-join apart.
const oggSSRC = 1

func newTrack(path string, key *[sealing.KeySize]byte, recID string, n int, user, name string) (*track, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("recording: %w", err)
	}
	sw, err := newSealedWriter(f, key, recID, n)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("recording: %w", err)
	}
	lp := &lastPage{w: sw}
	ogg, err := oggwriter.NewWriter(lp, oggwriter.WithSeekableOutput(lp), oggwriter.WithSampleRate(opusRate), oggwriter.WithChannelCount(1),
		oggwriter.WithVendor("Parley"),
		oggwriter.WithUserComments(oggwriter.UserComment{Comment: "ARTIST", Value: displayOr(name, user)}))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("recording: ogg: %w", err)
	}
	out, err := ogg.NewTrack(oggSSRC)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("recording: ogg: %w", err)
	}
	t := &track{n: n, user: user, name: name, path: path, file: f, sealed: sw, ogg: ogg, out: out}
	t.pkt.SSRC = oggSSRC
	// pion's writer declares a pre-skip of 80 ms, which players drop:
	// that much silence first puts timeline sample 0 at the player's 0.
	for range oggPreSkip / silenceSamples {
		if err := t.write(silenceFrame, silenceSamples); err != nil {
			t.abort()
			return nil, fmt.Errorf("recording: ogg: %w", err)
		}
	}
	t.pos = 0
	return t, nil
}

func displayOr(name, id string) string {
	if name != "" {
		return name
	}
	return id
}

func (t *track) write(payload []byte, samples int) error {
	t.pkt.Payload = payload
	t.pkt.SequenceNumber++
	t.pkt.Timestamp = uint32(t.pos)
	if err := t.out.WriteRTP(&t.pkt); err != nil {
		return err
	}
	t.pos += int64(samples)
	return nil
}

// pad writes silence up to sample to (to a 20 ms frame's precision); it
// returns the number of frames written.
func (t *track) pad(to int64) (int, error) {
	n := 0
	for t.pos+silenceSamples <= to {
		if err := t.write(silenceFrame, silenceSamples); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// packet places one forwarded packet: its RTP timestamp decides where it
// goes relative to the sender's earlier packets, the recording's clock
// (wall, in samples since the start) anchors the first one and any jump.
// It reports whether the packet was written (false: late) and the silence
// frames written before it.
func (t *track) packet(ssrc, ts uint32, payload []byte, samples int, wall int64) (written bool, padded int, err error) {
	if !t.anchored || ssrc != t.ssrc {
		return t.anchor(ssrc, ts, payload, samples, wall)
	}
	at := t.posBase + int64(int32(ts-t.rtpBase))
	if d := at - wall; d > maxSkew || d < -maxSkew {
		return t.anchor(ssrc, ts, payload, samples, wall)
	}
	if at < t.pos-lateSlack {
		return false, 0, nil
	}
	padded, err = t.pad(at)
	if err != nil {
		return false, padded, err
	}
	return true, padded, t.write(payload, samples)
}

func (t *track) anchor(ssrc, ts uint32, payload []byte, samples int, wall int64) (bool, int, error) {
	padded, err := t.pad(wall)
	if err != nil {
		return false, padded, err
	}
	t.anchored, t.ssrc, t.rtpBase, t.posBase = true, ssrc, ts, t.pos
	return true, padded, t.write(payload, samples)
}

// finish pads the track to end, closes the Ogg stream (which closes the
// sealed writer: the final chunk) and syncs the file. It returns the
// file's size.
func (t *track) finish(end int64) (int64, error) {
	_, err := t.pad(end)
	if err == nil {
		err = t.ogg.Close()
	}
	if err == nil {
		err = t.file.Sync()
	}
	if cerr := t.file.Close(); err == nil {
		err = cerr
	}
	return t.sealed.n, err
}

// abort closes and removes the file.
func (t *track) abort() {
	t.file.Close()
	os.Remove(t.path)
}

// duration is the track's length.
func (t *track) duration() time.Duration { return time.Duration(t.pos) * time.Second / opusRate }
