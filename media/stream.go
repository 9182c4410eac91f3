package media

import (
	"errors"
	"log/slog"
	"math"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/dsp"
	"github.com/parley-voip/parley/media/jitter"
	"github.com/parley-voip/parley/media/opus"
	"github.com/parley-voip/parley/media/rtc"
)

const frameDuration = 20 * time.Millisecond

// maxEncoded leaves room in one RTP packet for the SFrame header and tag
// (at most 17 + 16 bytes) after the Opus packet.
const maxEncoded = rtc.MaxFrameSize - 64

// Stream is the media of one attached call. Its counters stay readable
// after Detach.
type Stream struct {
	log       *slog.Logger
	transport Transport
	cipher    FrameCipher
	enc       *opus.Encoder
	dec       *opus.Decoder
	jb        *jitter.Buffer
	proc      *dsp.Processor
	echoOn    *atomic.Bool // the engine's switches, read once per frame
	echoPath  *atomic.Bool
	noiseOn   *atomic.Bool
	// deviceGen counts the engine's device changes; seenDevice is the
	// count the echo canceller last woke at (sender only).
	deviceGen  *atomic.Uint64
	seenDevice uint64
	capMeter   *meter
	rate       rateControl
	dtx        bool // the encoder runs Opus DTX
	bitrate    atomic.Int64
	planned    atomic.Int64

	// Capture → sender: a fixed pool of frame buffers circulates between
	// free and queue, so the device thread never allocates or blocks. Each
	// holds the captured frame followed by the frame played meanwhile, the
	// echo canceller's reference.
	free  chan []int16
	queue chan []int16
	// Who encodes and sends what is queued (sendQueued): the device's own
	// goroutine after each period, when it calls Callbacks.AfterPeriod
	// (deviceSends: one goroutine does the frame's work, no
	// hand-off), or else sendLoop, which capture kicks.
	deviceSends *atomic.Bool
	kick        chan struct{}
	sendMu      sync.Mutex // sendQueued's callers vs. stop
	sendStopped bool       // the encoder is closed or the transport is
	sendFrames  int
	encoded     []byte
	sealed      []byte
	muted       atomic.Bool
	deaf        atomic.Bool // the peer is not played (the call is on hold here)

	playMu   sync.Mutex // playback callback vs. stop
	stopped  bool
	popBuf   []byte
	nextBuf  []int16 // a Compress tick's second frame
	first    chan struct{}
	gotFirst bool
	// lastQuiet: the frame played last was near silence, so the next is
	// likely too; the jitter buffer makes its drift adjustments there.
	lastQuiet atomic.Bool

	done     chan struct{}
	sendDone chan struct{}
	recvDone chan struct{}

	mix *mixer // senders beyond the first, through the media service (mix.go)

	c counters
}

type counters struct {
	sent, dtxSkipped, captureDropped, encodeErrors, sealErrors, sendErrors atomic.Uint64
	received, decryptFailed, readErrors                                    atomic.Uint64
	played, concealed, recovered, decodeErrors                             atomic.Uint64
}

// quietLevel (dBFS RMS) is below speech and most room noise: dropping or
// stretching a frame this quiet is not heard.
const quietLevel = -50.0

// engineShared is what a stream reads from the engine that owns it.
type engineShared struct {
	echoOn, echoPath, noiseOn *atomic.Bool
	deviceGen                 *atomic.Uint64 // counts device changes
	deviceSends               *atomic.Bool   // the device calls Callbacks.AfterPeriod
	capMeter                  *meter
}

func newStream(cfg Config, t Transport, c FrameCipher, sh engineShared) (*Stream, error) {
	enc, err := opus.NewEncoder(cfg.encoderConfig())
	if err != nil {
		return nil, err
	}
	dec, err := opus.NewDecoder(audio.SampleRate, audio.Channels)
	if err != nil {
		enc.Close()
		return nil, err
	}
	proc, err := dsp.New(cfg.dspConfig())
	if err != nil {
		enc.Close()
		dec.Close()
		return nil, err
	}
	s := &Stream{
		log:         cfg.Logger,
		transport:   t,
		cipher:      c,
		enc:         enc,
		dec:         dec,
		proc:        proc,
		echoOn:      sh.echoOn,
		echoPath:    sh.echoPath,
		deviceGen:   sh.deviceGen,
		noiseOn:     sh.noiseOn,
		capMeter:    sh.capMeter,
		deviceSends: sh.deviceSends,
		kick:        make(chan struct{}, 1),
		encoded:     make([]byte, maxEncoded),
		sealed:      make([]byte, 0, rtc.MaxFrameSize),
		rate:        newRateControl(cfg.Bitrate),
		dtx:         !cfg.DTXOff,
		free:        make(chan []int16, cfg.SendQueue),
		queue:       make(chan []int16, cfg.SendQueue),
		popBuf:      make([]byte, 0, jitter.DefaultMaxPayload),
		nextBuf:     make([]int16, audio.FrameSamples*audio.Channels),
		first:       make(chan struct{}),
		done:        make(chan struct{}),
		sendDone:    make(chan struct{}),
		recvDone:    make(chan struct{}),
	}
	jc := cfg.jitterConfig()
	jc.Quiet = func([]byte) bool { return s.lastQuiet.Load() }
	if s.jb, err = jitter.New(jc); err != nil {
		enc.Close()
		dec.Close()
		proc.Close()
		return nil, err
	}
	if ms, ok := t.(multiSource); ok && ms.MultiSource() {
		s.mix = newMixer(cfg)
	}
	s.seenDevice = sh.deviceGen.Load()
	s.bitrate.Store(int64(cfg.Bitrate))
	s.planned.Store(opus.DefaultPacketLossPercent)
	for range cfg.SendQueue {
		s.free <- make([]int16, 2*audio.FrameSamples*audio.Channels)
	}
	return s, nil
}

func (s *Stream) start() {
	go s.sendLoop()
	go s.receiveLoop()
}

// SetMuted stops sending the microphone: silence is encoded instead, which
// DTX turns into a comfort-noise update every 400 ms.
func (s *Stream) SetMuted(m bool) { s.muted.Store(m) }

// SetDeafened stops playing the peer: the stream still receives and
// decodes (so the jitter buffer and concealment stay in step for the
// moment it is undeafened), but the device plays silence. Holding a call
// deafens and mutes it.
func (s *Stream) SetDeafened(d bool) { s.deaf.Store(d) }

// Muted reports whether the stream is muted.
func (s *Stream) Muted() bool { return s.muted.Load() }

// FirstFrame is closed when the first frame received from the peer has been
// opened, decoded and handed to the device for playback.
func (s *Stream) FirstFrame() <-chan struct{} { return s.first }

// Done is closed when the stream stops (the engine detached it).
func (s *Stream) Done() <-chan struct{} { return s.done }

// Stats returns the stream's counters.
func (s *Stream) Stats() Stats {
	js, es := s.jb.Stats(), s.proc.EchoStats()
	return Stats{
		FramesSent:     s.c.sent.Load(),
		DTXSkipped:     s.c.dtxSkipped.Load(),
		CaptureDropped: s.c.captureDropped.Load(),
		EncodeErrors:   s.c.encodeErrors.Load(),
		SealErrors:     s.c.sealErrors.Load(),
		SendErrors:     s.c.sendErrors.Load(),
		FramesReceived: s.c.received.Load(),
		DecryptFailed:  s.c.decryptFailed.Load(),
		ReadErrors:     s.c.readErrors.Load(),
		Played:         s.c.played.Load(),
		Concealed:      s.c.concealed.Load(),
		Recovered:      s.c.recovered.Load(),
		DecodeErrors:   s.c.decodeErrors.Load(),
		Late:           js.Late,
		Duplicate:      js.Duplicate,
		JitterDropped:  js.Dropped + js.TooLarge + js.BadTimestamp,
		BadTimestamp:   js.BadTimestamp,
		Inserted:       js.Inserted,
		Accelerated:    js.Accelerated,
		JitterTarget:   time.Duration(js.Target) * frameDuration,
		PlayoutWait:    js.Wait,
		Jitter:         js.Jitter,
		Bitrate:        int(s.bitrate.Load()),
		PlannedLoss:    int(s.planned.Load()),
		EchoAsleep:     es.AsleepFor,
		EchoSleeps:     es.Sleeps,
		EchoWakes:      es.EchoWakes,
	}
}

// capture runs on the device thread: copy the frame and the echo
// reference into a pooled buffer and queue it, or drop it if the sender has
// fallen behind.
func (s *Stream) capture(frame, far []int16) {
	var buf []int16
	select {
	case buf = <-s.free:
	default:
		s.c.captureDropped.Add(1)
		return
	}
	n := len(buf) / 2
	copy(buf[:n], frame)
	copy(buf[n:], far)
	select {
	case s.queue <- buf:
	default: // unreachable while free and queue share one pool; never block
		s.c.captureDropped.Add(1)
		s.free <- buf
		return
	}
	if s.deviceSends == nil || !s.deviceSends.Load() {
		select {
		case s.kick <- struct{}{}:
		default: // sendLoop has a kick pending: it drains the whole queue
		}
	}
}

// sendLoop sends what capture queues when the device does not call
// Callbacks.AfterPeriod (a malgo device whose callbacks run on the native
// audio thread, which must not encode or write to the network).
func (s *Stream) sendLoop() {
	defer close(s.sendDone)
	for {
		select {
		case <-s.done:
			return
		case <-s.kick:
			s.sendQueued()
		}
	}
}

// sendQueued encodes, seals and writes every queued frame, in order. It
// runs on the device's goroutine or on sendLoop, one at a time (sendMu),
// so a device switch between the two (SetDevice, a reopen) loses or
// reorders nothing.
func (s *Stream) sendQueued() {
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	for !s.sendStopped {
		select {
		case pcm := <-s.queue:
			s.sendFrame(pcm)
		default:
			return
		}
	}
}

// sendFrame sends one captured frame and returns its buffer to the pool;
// called with sendMu.
func (s *Stream) sendFrame(pcm []int16) {
	n, err := s.encode(pcm, s.encoded)
	s.free <- pcm
	if err != nil {
		s.c.encodeErrors.Add(1)
		s.log.Debug("media: encode", "err", err)
		return
	}
	if s.sendFrames%rateCheckFrames == 0 {
		s.adaptRate()
	}
	s.sendFrames++
	if n <= dtxMaxBytes && s.dtx {
		if skipper, ok := s.transport.(frameSkipper); ok {
			if err := skipper.SkipFrame(frameDuration); errors.Is(err, rtc.ErrClosed) {
				s.sendStopped = true
				return
			}
			s.c.dtxSkipped.Add(1)
			return
		}
	}
	frame := s.encoded[:n]
	if s.cipher != nil {
		out, err := s.cipher.Seal(s.sealed[:0], frame)
		if err != nil {
			s.c.sealErrors.Add(1)
			s.log.Warn("media: seal", "err", err)
			return
		}
		frame, s.sealed = out, out[:0]
	}
	if err := s.transport.WriteFrame(frame, frameDuration); err != nil {
		if errors.Is(err, rtc.ErrClosed) {
			s.sendStopped = true
			return
		}
		s.c.sendErrors.Add(1)
		s.log.Debug("media: write frame", "err", err)
		return
	}
	s.c.sent.Add(1)
}

// rateCheckFrames: RTCP receiver reports come every second or so.
const rateCheckFrames = 50

// dtxMaxBytes: with DTX on, libopus returns a packet this short (its TOC
// byte, maybe one more) for a frame that need not be sent.
const dtxMaxBytes = 2

// encode cleans the captured frame (echo, noise), meters it, applies mute
// and encodes it.
func (s *Stream) encode(buf []int16, out []byte) (int, error) {
	n := len(buf) / 2
	mic, far := buf[:n], buf[n:]
	s.proc.SetEcho(s.echoOn.Load() && s.echoPath.Load())
	s.proc.SetNoise(s.noiseOn.Load())
	if g := s.deviceGen.Load(); g != s.seenDevice {
		s.seenDevice = g
		s.proc.Wake()
	}
	if err := s.proc.Process(mic, far, mic); err != nil {
		s.log.Debug("media: dsp", "err", err)
	}
	s.capMeter.update(mic)
	if s.muted.Load() {
		clear(mic)
	}
	s.setAudioLevel(mic) // audiolevel.go
	return s.enc.Encode(mic, out)
}

// adaptRate follows the far end's loss reports, when the transport has them.
func (s *Stream) adaptRate() {
	lr, ok := s.transport.(lossReporter)
	if !ok {
		return
	}
	loss, reports := lr.RemoteLoss()
	if reports == s.rate.reports {
		return
	}
	s.rate.reports = reports
	bitrate, planned, changed := s.rate.update(loss)
	if !changed {
		return
	}
	if err := s.enc.SetBitrate(bitrate); err != nil {
		s.log.Warn("media: set bitrate", "err", err)
		return
	}
	if err := s.enc.SetPacketLossPercent(planned); err != nil {
		s.log.Warn("media: set packet loss", "err", err)
		return
	}
	s.bitrate.Store(int64(bitrate))
	s.planned.Store(int64(planned))
	s.log.Debug("media: encoder adapted to loss", "loss", loss, "bitrate", bitrate, "fec_loss_percent", planned)
}

func (s *Stream) receiveLoop() {
	defer close(s.recvDone)
	opened := make([]byte, 0, rtc.MaxFrameSize)
	for {
		f, err := s.transport.ReadFrame()
		if s.isStopped() {
			return
		}
		if err != nil {
			if errors.Is(err, rtc.ErrMalformedRTP) {
				s.c.readErrors.Add(1)
				continue
			}
			if !errors.Is(err, rtc.ErrClosed) && !errors.Is(err, os.ErrDeadlineExceeded) {
				s.log.Warn("media: read frame", "err", err)
			}
			return
		}
		s.c.received.Add(1)
		payload := f.Payload
		if s.cipher != nil {
			out, err := s.cipher.Open(opened[:0], payload)
			if err != nil {
				s.c.decryptFailed.Add(1)
				continue
			}
			payload, opened = out, out[:0]
		}
		if s.mix != nil && !s.mix.route(f, payload) {
			continue
		}
		// Drops (late, duplicate, oversized) are counted by the buffer.
		_ = s.jb.Push(f.SSRC, f.Seq, f.Timestamp, payload)
	}
}

func (s *Stream) isStopped() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// playback runs on the device thread: one jitter-buffer slot per frame,
// decoded, concealed or recovered; silence while deafened.
func (s *Stream) playback(frame []int16) {
	s.play(frame)
	if s.deaf.Load() {
		clear(frame)
	}
}

func (s *Stream) play(frame []int16) {
	s.playMu.Lock()
	defer s.playMu.Unlock()
	if s.stopped {
		clear(frame)
		return
	}
	s.playPrimary(frame)
	if s.mix != nil {
		s.mix.mixInto(frame)
	}
}

// playPrimary plays the (first) remote sender into frame.
func (s *Stream) playPrimary(frame []int16) {
	f, status := s.jb.Pop(s.popBuf)
	if cap(f.Payload) > cap(s.popBuf) {
		s.popBuf = f.Payload[:0]
	}
	switch status {
	case jitter.Ready:
		n, err := s.dec.Decode(f.Payload, frame)
		if err != nil {
			s.c.decodeErrors.Add(1)
			s.conceal(frame)
			return
		}
		clear(frame[n*audio.Channels:])
		s.lastQuiet.Store(rmsDBFS(frame) < quietLevel)
		s.c.played.Add(1)
		if !s.gotFirst {
			s.gotFirst = true
			close(s.first)
		}
	case jitter.Compress:
		// Two frames in one tick: decode both, in order, and crossfade.
		if err := decodeCompress(s.dec, f, frame, s.nextBuf); err != nil {
			s.c.decodeErrors.Add(1)
			s.conceal(frame)
			return
		}
		s.lastQuiet.Store(rmsDBFS(frame) < quietLevel)
		s.c.played.Add(2)
	case jitter.Lost:
		if len(f.Payload) > 0 {
			if _, err := s.dec.DecodeFEC(f.Payload, frame); err == nil {
				s.c.recovered.Add(1)
				return
			}
		}
		s.conceal(frame)
	default:
		// Buffering after the call has started is a pause (DTX, a path
		// outage): continue the decoder's comfort noise / fade rather than
		// cut to digital silence.
		if s.gotFirst {
			if _, err := s.dec.DecodePLC(frame); err == nil {
				return
			}
		}
		clear(frame)
	}
}

func rmsDBFS(frame []int16) float64 {
	var sum float64
	for _, v := range frame {
		sum += float64(v) * float64(v)
	}
	if sum == 0 {
		return Silence
	}
	return 10 * math.Log10(sum/float64(len(frame))/(32768*32768))
}

func (s *Stream) conceal(frame []int16) {
	if _, err := s.dec.DecodePLC(frame); err != nil {
		clear(frame)
	}
	s.c.concealed.Add(1)
}

// stop ends the stream: the sender exits, a transport that supports read
// deadlines is interrupted so the receiver exits too (otherwise it exits at
// its next frame or when the transport closes), and the codecs are freed
// once nothing can use them.
func (s *Stream) stop() {
	close(s.done)
	<-s.sendDone
	s.sendMu.Lock() // the device's goroutine may be sending
	s.sendStopped = true
	s.enc.Close()
	s.proc.Close()
	s.sendMu.Unlock()

	if d, ok := s.transport.(readDeadliner); ok {
		if err := d.SetReadDeadline(time.Now()); err == nil {
			<-s.recvDone
			_ = d.SetReadDeadline(time.Time{})
		}
	}

	s.playMu.Lock()
	s.stopped = true
	s.dec.Close()
	if s.mix != nil {
		s.mix.close()
	}
	s.playMu.Unlock()
}
