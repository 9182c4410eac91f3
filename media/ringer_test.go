package media

import (
	"context"
	"testing"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/tone"
)

// TestRingerPlaysOnItsOwnDeviceOnlyWhileRinging: the ringtone's samples
// reach the ringer's device, which is open only between Start and Stop.
func TestRingerPlaysOnItsOwnDeviceOnlyWhileRinging(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	rec := audio.NewRecorder(audio.SampleRate)
	var opened []*audio.SyntheticDevice
	open := func() (audio.Device, error) {
		d := audio.NewSyntheticDevice(nil, rec)
		opened = append(opened, d)
		return d, nil
	}
	var r Ringer
	if err := r.Start(open, tone.Ringtone); err != nil {
		t.Fatal(err)
	}
	if !r.Ringing() {
		t.Fatal("not ringing after Start")
	}
	if err := rec.Wait(ctx, audio.SampleRate/5); err != nil {
		t.Fatal(err)
	}
	if peak(rec.Samples()) < 1000 {
		t.Fatalf("the ringer's device got no ringtone (peak %d)", peak(rec.Samples()))
	}
	r.Stop()
	if r.Ringing() {
		t.Fatal("still ringing after Stop")
	}
	// A running synthetic device refuses a second Start: this one was
	// stopped.
	if err := opened[0].Start(audio.Callbacks{}); err != nil {
		t.Fatalf("the ringer left its device running: %v", err)
	}
	_ = opened[0].Stop()
	r.Stop() // nothing rings: no-op
	if len(opened) != 1 {
		t.Fatalf("%d devices opened for one ring", len(opened))
	}
}
