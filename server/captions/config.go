package captions

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/parley-voip/parley/server/sfu"
	"github.com/parley-voip/parley/signaling"
)

// WorkerName is the worker binary's name.
const WorkerName = "parley-captions"

// Media is what captions needs of the media service (*sfu.Service).
type Media interface {
	AddTap(callID string, t sfu.Tap) (remove func(), err error)
	Roster(callID string) ([]sfu.Status, error)
}

// Policy says whether userID may turn captions on and how long a
// transcript they start is kept (0: until deleted). The organization wires
// it to the user's effective policy.
type Policy func(ctx context.Context, userID string) (allowed bool, retentionDays int, err error)

// Notifier delivers a message to every device of a user (server.Server).
type Notifier interface {
	Notify(userID string, m *signaling.Message) int
}

// Sealer seals transcripts at rest (*chat.Service).
type Sealer interface {
	Seal(domain string, aad, pt []byte) (keyID string, body []byte)
	Open(domain, keyID string, aad, body []byte) ([]byte, error)
}

// Config configures a Service.
type Config struct {
	// Worker is the worker binary; "" means not installed (FindWorker finds
	// it). WorkerArgs are passed to it.
	Worker     string
	WorkerArgs []string
	Media      Media
	Policy     Policy
	Notifier   Notifier
	Sealer     Sealer
	DB         *sql.DB
	// ReadyTimeout bounds a worker's start (model loading); default 60 s.
	ReadyTimeout time.Duration
	// MinBackoff and MaxBackoff bound the wait before restarting a worker
	// that exited: it doubles from MinBackoff (default 500 ms) up to
	// MaxBackoff (default 30 s) and resets after a minute of running.
	MinBackoff, MaxBackoff time.Duration
	// Queue is how many frames wait for the worker; beyond it packets are
	// dropped (counted), never the media path blocked. Default 2048
	// (about 40 s of one speaker's 20 ms packets).
	Queue int
	// FlushWait bounds how long the end of a call waits for the worker's
	// last hypotheses before the transcript is stored; default 5 s.
	FlushWait time.Duration
	// Now is the clock; time.Now when nil.
	Now    func() time.Time
	Logger *slog.Logger
}

// Defaults.
const (
	DefaultReadyTimeout = 60 * time.Second
	DefaultMinBackoff   = 500 * time.Millisecond
	DefaultMaxBackoff   = 30 * time.Second
	DefaultQueue        = 2048
	DefaultFlushWait    = 5 * time.Second
)

func (c Config) withDefaults() Config {
	if c.ReadyTimeout == 0 {
		c.ReadyTimeout = DefaultReadyTimeout
	}
	if c.MinBackoff == 0 {
		c.MinBackoff = DefaultMinBackoff
	}
	if c.MaxBackoff == 0 {
		c.MaxBackoff = DefaultMaxBackoff
	}
	if c.Queue == 0 {
		c.Queue = DefaultQueue
	}
	if c.FlushWait == 0 {
		c.FlushWait = DefaultFlushWait
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return c
}

// Validate reports the first unusable setting.
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case c.Media == nil || c.Policy == nil || c.Notifier == nil || c.Sealer == nil || c.DB == nil:
		return fmt.Errorf("%w: Media, Policy, Notifier, Sealer and DB are required", ErrInvalidConfig)
	case c.ReadyTimeout < 0 || c.MinBackoff < 0 || c.MaxBackoff < c.MinBackoff || c.FlushWait < 0:
		return fmt.Errorf("%w: negative duration or MaxBackoff < MinBackoff", ErrInvalidConfig)
	case c.Queue < 1:
		return fmt.Errorf("%w: Queue %d", ErrInvalidConfig, c.Queue)
	}
	return nil
}

// FindWorker returns the worker to run: explicit when set (it must exist),
// else parley-captions next to the running executable, else on PATH. It
// returns ErrNotInstalled when there is none.
func FindWorker(explicit string) (string, error) {
	if explicit != "" {
		p, err := exec.LookPath(explicit)
		if err != nil {
			return "", fmt.Errorf("%w: %s: %v", ErrNotInstalled, explicit, err)
		}
		return filepath.Abs(p)
	}
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), WorkerName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	if p, err := exec.LookPath(WorkerName); err == nil {
		return filepath.Abs(p)
	}
	return "", fmt.Errorf("%w: no %s next to the server or on PATH", ErrNotInstalled, WorkerName)
}
