package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/audio"
)

// pulseServer is a private PulseAudio daemon for one test: its own socket
// and runtime directory under t.TempDir, a minimal script (no hardware
// modules, no D-Bus, no autospawn), and only null sinks. It works as root,
// which is how CI runs: `pulseaudio -n -F script` with --system off refuses
// nothing but warns, and anonymous auth on the socket avoids cookie files.
// The test's process (and the pacat / parec children) reach it through
// PULSE_SERVER; libpulse inside miniaudio reads the same variable.
type pulseServer struct {
	socket string
	env    []string
}

// pulseStartup bounds the wait for the daemon to answer: it starts in well
// under a second; a loaded CI machine gets the rest.
const pulseStartup = 20 * time.Second

// startPulse starts the daemon with the named null sinks (48 kHz mono, so
// nothing is resampled in the server), points this process at it, and
// kills it in Cleanup. It skips the test when PulseAudio is not installed.
func startPulse(t *testing.T, sinks ...string) *pulseServer {
	t.Helper()
	for _, bin := range []string{"pulseaudio", "pactl", "pacat", "parec"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("real device test needs PulseAudio (%s not found; scripts/setup.sh test installs package pulseaudio)", bin)
		}
	}
	dir := t.TempDir()
	ps := &pulseServer{socket: filepath.Join(dir, "native")}
	var script strings.Builder
	fmt.Fprintf(&script, "load-module module-native-protocol-unix auth-anonymous=1 socket=%s\n", ps.socket)
	for _, s := range sinks {
		fmt.Fprintf(&script, "load-module module-null-sink sink_name=%s rate=%d channels=%d sink_properties=device.description=%s\n",
			s, audio.SampleRate, audio.Channels, s)
	}
	scriptPath := filepath.Join(dir, "parley.pa")
	if err := os.WriteFile(scriptPath, []byte(script.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	runtime := filepath.Join(dir, "runtime")
	if err := os.Mkdir(runtime, 0o700); err != nil {
		t.Fatal(err)
	}
	// HOME and XDG dirs in the temp dir keep the daemon away from the
	// user's real configuration and cookie.
	vars := map[string]string{
		"PULSE_SERVER":       "unix:" + ps.socket,
		"PULSE_RUNTIME_PATH": runtime,
		"PULSE_STATE_PATH":   runtime,
		"HOME":               dir,
		"XDG_CONFIG_HOME":    filepath.Join(dir, "config"),
		"XDG_RUNTIME_DIR":    runtime,
	}
	for k, v := range vars {
		t.Setenv(k, v)
	}
	ps.env = os.Environ()

	log := &syncWriter{w: &bytes.Buffer{}}
	cmd := exec.Command("pulseaudio", "-n", "-F", scriptPath, "--daemonize=no", "--exit-idle-time=-1",
		"--use-pid-file=no", "--disable-shm", "--log-target=stderr", "--log-level=warning")
	cmd.Env = ps.env
	cmd.Stderr = log
	if err := cmd.Start(); err != nil {
		t.Fatalf("start pulseaudio: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})

	deadline := time.Now().Add(pulseStartup)
	for {
		out, err := ps.command("pactl", "list", "short", "sinks").Output()
		if err == nil && countLines(out) >= len(sinks) {
			return ps
		}
		select {
		case err := <-exited:
			t.Fatalf("pulseaudio exited: %v\n%s", err, log.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("pulseaudio did not answer within %v: %v\n%s", pulseStartup, err, log.String())
		}
	}
}

func (ps *pulseServer) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = ps.env
	return cmd
}

func countLines(b []byte) int {
	return len(strings.Split(strings.TrimSpace(string(b)), "\n"))
}

// endpoint finds the device with the given PulseAudio name (a sink, or a
// sink's ".monitor" source) among those Devices listed, so the test opens
// exactly the device it means through the same call Settings uses. (The
// listed Name is PulseAudio's description, "Monitor of mic_a".)
func endpoint(t *testing.T, eps []audio.Endpoint, name string) string {
	t.Helper()
	for _, ep := range eps {
		if ep.ID == hexName(name) {
			return ep.ID
		}
	}
	names := make([]string, 0, len(eps))
	for _, ep := range eps {
		names = append(names, fmt.Sprintf("%q", ep.Name))
	}
	t.Fatalf("no device %q among %s", name, strings.Join(names, ", "))
	return ""
}

// hexName is how audio.Endpoint.ID spells a PulseAudio device name:
// miniaudio's device id for PulseAudio is the name itself.
func hexName(name string) string { return fmt.Sprintf("%x", name) }

// play sends pcm (48 kHz mono) into a sink with pacat; the sink's monitor
// source then carries it.
func (ps *pulseServer) play(t *testing.T, sink string, pcm []int16) {
	t.Helper()
	cmd := ps.command("pacat", "--playback", "--device="+sink, "--format=s16le",
		fmt.Sprintf("--rate=%d", audio.SampleRate), fmt.Sprintf("--channels=%d", audio.Channels), "--raw")
	var raw bytes.Buffer
	if err := binary.Write(&raw, binary.LittleEndian, pcm); err != nil {
		t.Fatal(err)
	}
	cmd.Stdin = &raw
	if err := cmd.Start(); err != nil {
		t.Fatalf("pacat: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
	})
}

// parecording captures a source with parec into memory.
type parecording struct {
	mu  sync.Mutex
	raw []byte
}

func (r *parecording) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.raw = append(r.raw, p...)
	return len(p), nil
}

func (r *parecording) samples() []int16 {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]int16, len(r.raw)/2)
	for i := range out {
		out[i] = int16(binary.LittleEndian.Uint16(r.raw[2*i:]))
	}
	return out
}

// record starts parec on source; stop it by cancelling ctx or at Cleanup.
func (ps *pulseServer) record(t *testing.T, source string) *parecording {
	t.Helper()
	rec := &parecording{}
	cmd := ps.command("parec", "--device="+source, "--format=s16le",
		fmt.Sprintf("--rate=%d", audio.SampleRate), fmt.Sprintf("--channels=%d", audio.Channels),
		"--raw", "--latency-msec=20")
	cmd.Stdout = rec
	if err := cmd.Start(); err != nil {
		t.Fatalf("parec: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
	})
	return rec
}

// waitSamples waits until the recording holds n samples.
func (r *parecording) waitSamples(ctx context.Context, n int) error {
	for {
		r.mu.Lock()
		have := len(r.raw) / 2
		r.mu.Unlock()
		if have >= n {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("recorded %d of %d samples: %w", have, n, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// syncWriter lets the daemon's stderr be read while it is written.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprint(s.w)
}

var errNoOnset = errors.New("no tone onset in the recording")
