package app

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/parley-voip/parley/media/audio"
)

// ringerDevice is the test's ringer output: a synthetic playback device
// that records what it is given and knows whether it was closed.
type ringerDevice struct {
	*audio.SyntheticDevice
	closed atomic.Bool
}

func (d *ringerDevice) Close() error {
	err := d.Stop()
	d.closed.Store(true)
	return err
}

// TestRingtoneOnTheChosenRinger: with a ringer output chosen, an incoming
// call rings there (the device receives the ringtone) and not on the
// call's speaker; the device is opened for the ring and closed when the
// call stops ringing.
func TestRingtoneOnTheChosenRinger(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	ringRec := audio.NewRecorder(audio.SampleRate * 10)
	var mu sync.Mutex
	var opened []*ringerDevice
	var openedIDs []string
	openRinger := func(id string) (audio.Device, error) {
		mu.Lock()
		defer mu.Unlock()
		d := &ringerDevice{SyntheticDevice: audio.NewSyntheticDevice(nil, ringRec)}
		opened, openedIDs = append(opened, d), append(openedIDs, id)
		return d, nil
	}
	alice := startUser(t, url, "alice", false, audio.Silence())
	bob := startUser(t, url, "bob", false, audio.Silence(), func(c *Config) {
		c.OpenRinger = openRinger
		c.Settings.SetRingerDevice("headset-7")
	})
	mu.Lock()
	if len(opened) != 0 {
		t.Fatal("the ringer's device is open before anything rings")
	}
	mu.Unlock()
	alice.sees(t, "bob", PresenceOnline)
	alice.Call("bob")
	bob.ev.waitCall(t, "incoming call", func(c CallInfo) bool { return c.State == CallIncoming })

	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	speakerFrom := bob.rec.Total()
	if err := ringRec.Wait(ctx, audio.SampleRate/2); err != nil {
		t.Fatal(err)
	}
	if p := peakOf(ringRec.Samples()); p < 1000 {
		t.Fatalf("the ringer output got no ringtone (peak %d)", p)
	}
	if err := bob.rec.Wait(ctx, speakerFrom+audio.SampleRate/4); err != nil {
		t.Fatal(err)
	}
	if p := peakOf(bob.rec.Samples()[speakerFrom:]); p != 0 {
		t.Fatalf("the ringtone also played on the speaker (peak %d)", p)
	}
	bob.Decline()
	bob.ev.waitCall(t, "declined", func(c CallInfo) bool { return c.Ended() })
	bob.sync(t)
	mu.Lock()
	defer mu.Unlock()
	if len(opened) != 1 || openedIDs[0] != "headset-7" || !opened[0].closed.Load() {
		t.Fatalf("ringer devices %v (ids %v), closed %v; want headset-7 once, closed after the ring", len(opened), openedIDs, len(opened) > 0 && opened[0].closed.Load())
	}
}
