package e2ee

import (
	"fmt"
	"time"
)

// Ratchet defaults. At 50 audio frames a second the sender moves to a new
// key every minute, and the receiver keeps the previous epoch for one second
// of the new one, longer than any jitter buffer reorders.
const (
	DefaultRekeyFrames = 3000
	DefaultGraceFrames = 50
	// MaxEpochSkip is how many epochs ahead of its current one a receiver
	// derives to follow a sender whose first frames of an epoch were lost.
	MaxEpochSkip = 4
)

// MediaOption configures NewMediaCipher.
type MediaOption func(*mediaOptions)

type mediaOptions struct {
	rekeyFrames   uint64
	rekeyInterval time.Duration
	now           func() time.Time
	graceFrames   int
}

func defaultMediaOptions() mediaOptions {
	return mediaOptions{rekeyFrames: DefaultRekeyFrames, graceFrames: DefaultGraceFrames, now: time.Now}
}

// WithRekeyEvery makes the sender move to the next epoch after n frames;
// 0 turns frame-count rekeying off.
func WithRekeyEvery(n uint64) MediaOption {
	return func(o *mediaOptions) { o.rekeyFrames = n }
}

// WithRekeyInterval makes the sender move to the next epoch when d has
// passed since the last one, read from now (time.Now if nil) at each Seal,
// so tests drive it with a fake clock. 0 turns it off.
func WithRekeyInterval(d time.Duration, now func() time.Time) MediaOption {
	return func(o *mediaOptions) {
		o.rekeyInterval = d
		if now != nil {
			o.now = now
		}
	}
}

// WithGraceFrames sets how many frames of a new epoch the receiver decrypts
// before it erases the previous epoch's key; 0 erases it at once.
func WithGraceFrames(n int) MediaOption {
	return func(o *mediaOptions) { o.graceFrames = n }
}

func (o *mediaOptions) validate() error {
	if o.graceFrames < 0 {
		return fmt.Errorf("%w: negative grace frames %d", ErrInvalidConfig, o.graceFrames)
	}
	if o.rekeyInterval < 0 {
		return fmt.Errorf("%w: negative rekey interval %v", ErrInvalidConfig, o.rekeyInterval)
	}
	return nil
}
