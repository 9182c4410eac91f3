//go:build !linux

package audio

import (
	"errors"
	"sync/atomic"

	"github.com/gen2brain/malgo"
)

// ring is Linux only (ring_linux.go); elsewhere malgo's Go callback runs
// on the audio thread.
type ring struct{}

func newRing(int) (*ring, error)               { return nil, errors.New("audio: no device ring on this OS") }
func (*ring) userData() *byte                  { return nil }
func (*ring) install(*malgo.Device) bool       { return false }
func (*ring) start(*atomic.Pointer[Callbacks]) {}
func (*ring) halt()                            {}
func (*ring) free()                            {}
func (*ring) stats() ringStats                 { return ringStats{} }
