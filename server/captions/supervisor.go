package captions

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parley-voip/parley/server/captions/wire"
)

// supervisor runs the worker process and restarts it when it exits. Frames
// to it go through a bounded queue that never blocks the sender; frames
// from it go to onOutput. onState reports the worker coming up (ready to
// take Joins) and going down (every speaker's state is lost).
type supervisor struct {
	cfg      Config
	log      *slog.Logger
	onOutput func(wire.Output)
	onState  func(up bool, err error)

	queue   chan wire.Input
	up      atomic.Bool
	dropped atomic.Uint64
	starts  atomic.Uint64

	mu   sync.Mutex
	proc *os.Process // the running worker (WorkerPID; tests kill it)
}

func newSupervisor(cfg Config, onOutput func(wire.Output), onState func(bool, error)) *supervisor {
	return &supervisor{
		cfg: cfg, log: cfg.Logger.With("component", "captions-worker"),
		onOutput: onOutput, onState: onState,
		queue: make(chan wire.Input, cfg.Queue),
	}
}

// send queues f for the worker; it drops f (and counts it) while the
// worker is down or the queue is full.
func (s *supervisor) send(f wire.Input) bool {
	if !s.up.Load() {
		s.dropped.Add(1)
		return false
	}
	select {
	case s.queue <- f:
		return true
	default:
		s.dropped.Add(1)
		return false
	}
}

// run keeps a worker running until ctx ends.
func (s *supervisor) run(ctx context.Context) {
	backoff := s.cfg.MinBackoff
	for ctx.Err() == nil {
		began := time.Now()
		err := s.runOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		if time.Since(began) > time.Minute {
			backoff = s.cfg.MinBackoff
		}
		s.log.Warn("captions worker exited; restarting", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, s.cfg.MaxBackoff)
	}
}

// runOnce starts one worker and returns when it has exited.
func (s *supervisor) runOnce(ctx context.Context) error {
	cmd := exec.CommandContext(ctx, s.cfg.Worker, s.cfg.WorkerArgs...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%w: start %s: %v", ErrWorker, s.cfg.Worker, err)
	}
	s.starts.Add(1)
	s.mu.Lock()
	s.proc = cmd.Process
	s.mu.Unlock()
	go s.logStderr(stderr)

	// The reader ends when stdout closes (the worker exited or broke the
	// protocol, in which case it is killed).
	readErr := make(chan error, 1)
	ready := make(chan struct{})
	go func() { readErr <- s.read(stdout, ready, cmd.Process) }()
	timer := time.NewTimer(s.cfg.ReadyTimeout)
	defer timer.Stop()
	var result error
	select {
	case <-ready:
		s.drain()
		s.up.Store(true)
		s.onState(true, nil)
		stop := make(chan struct{})
		writeDone := make(chan struct{})
		go func() { s.write(stdin, stop); close(writeDone) }()
		result = <-readErr
		s.up.Store(false)
		close(stop)
		<-writeDone
	case result = <-readErr:
	case <-timer.C:
		result = fmt.Errorf("%w: not ready within %v", ErrWorker, s.cfg.ReadyTimeout)
		_ = cmd.Process.Kill()
		<-readErr
	}
	stdin.Close()
	werr := cmd.Wait()
	s.mu.Lock()
	s.proc = nil
	s.mu.Unlock()
	if result == nil || errors.Is(result, io.EOF) {
		result = fmt.Errorf("%w: exited: %v", ErrWorker, werr)
	}
	s.onState(false, result)
	return result
}

// read parses the worker's frames until stdout ends or a frame is bad (the
// worker is then killed: its stream can no longer be trusted).
func (s *supervisor) read(r io.Reader, ready chan<- struct{}, p *os.Process) error {
	fr := wire.NewReader(r)
	first := true
	for {
		f, err := fr.ReadOutput()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				_ = p.Kill()
				_, _ = io.Copy(io.Discard, r)
			}
			return err
		}
		if first {
			rd, ok := f.(*wire.Ready)
			if !ok || rd.Version != wire.Version {
				_ = p.Kill()
				_, _ = io.Copy(io.Discard, r)
				return fmt.Errorf("%w: first frame %T, want Ready version %d", ErrWorker, f, wire.Version)
			}
			first = false
			close(ready)
			continue
		}
		s.onOutput(f)
	}
}

// write sends queued frames until stop; a write error means the worker is
// gone, which the reader sees too.
func (s *supervisor) write(stdin io.Writer, stop <-chan struct{}) {
	bw := bufio.NewWriter(stdin)
	w := wire.NewWriter(bw)
	for {
		var f wire.Input
		select {
		case <-stop:
			return
		case f = <-s.queue:
		}
		if err := w.WriteInput(f); err != nil {
			s.log.Warn("dropping a frame the protocol refuses", "err", err)
			continue
		}
		if len(s.queue) == 0 {
			if err := bw.Flush(); err != nil {
				<-stop
				return
			}
		}
	}
}

// drain empties the queue: frames meant for a previous worker.
func (s *supervisor) drain() {
	for {
		select {
		case <-s.queue:
		default:
			return
		}
	}
}

func (s *supervisor) logStderr(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), 4096)
	for sc.Scan() {
		s.log.Info("worker", "stderr", sc.Text())
	}
	_, _ = io.Copy(io.Discard, r)
}

// pid is the running worker's process id, 0 when none runs.
func (s *supervisor) pid() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return 0
	}
	return s.proc.Pid
}

// kill ends the running worker, as a crash would (tests).
func (s *supervisor) kill() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return false
	}
	return s.proc.Kill() == nil
}
