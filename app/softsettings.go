package app

import (
	"fmt"
	"io"

	"github.com/parley-voip/parley/media/audio"
)

// Settings is the user's persisted configuration.
func (s *Softphone) Settings() *Settings { return s.settings }

// E2EECalls reports the Privacy switch.
func (s *Softphone) E2EECalls() bool { return s.settings.E2EECalls() }

// SetE2EECalls sets the Privacy switch for later calls.
func (s *Softphone) SetE2EECalls(on bool) { s.settings.SetE2EECalls(on) }

// E2EEOnly reports "Only allow end-to-end encrypted calls".
func (s *Softphone) E2EEOnly() bool { return s.settings.E2EEOnly() }

// SetE2EEOnly sets "Only allow end-to-end encrypted calls".
func (s *Softphone) SetE2EEOnly(on bool) { s.settings.SetE2EEOnly(on) }

// E2EEPolicy reports whether the organization lets the user turn E2EE on,
// and if not, why. Before the server has said, it is not allowed.
func (s *Softphone) E2EEPolicy() (bool, string) {
	p := Policy{}
	if q := s.policy.Load(); q != nil {
		p = *q
	}
	return p.E2EEAllowed, p.Reason()
}

// AudioOptions lists the devices and the current choices.
func (s *Softphone) AudioOptions() AudioOptions {
	o := AudioOptions{
		EchoCancellation: s.settings.EchoCancellation(),
		NoiseSuppression: s.settings.NoiseSuppression(),
	}
	o.CaptureID, o.PlaybackID = s.settings.AudioDevices()
	o.RingerID = s.settings.RingerDevice()
	list := s.cfg.ListDevices
	if list == nil {
		list = func() (audio.DeviceList, error) { return audio.Devices() }
	}
	devs, err := list()
	if err != nil {
		o.Problem = "Could not list sound devices: " + err.Error()
	}
	o.Devices = devs
	return o
}

// SetRingerDevice chooses the output the ringtone plays on ("" = the
// speaker); it applies from the next call that rings.
func (s *Softphone) SetRingerDevice(id string) { s.settings.SetRingerDevice(id) }

// SetAudioDevices switches microphone and speaker, during a call too, and
// remembers the choice.
func (s *Softphone) SetAudioDevices(capture, playback string) error {
	s.settings.SetAudioDevices(capture, playback)
	c := s.client.Load()
	if c == nil {
		return nil // used at the next sign-in
	}
	dev, err := s.cfg.OpenDevice(capture, playback)
	if err != nil {
		return fmt.Errorf("open the sound device: %w", err)
	}
	old, err := c.SwitchDevice(dev)
	if err != nil {
		if cl, ok := dev.(io.Closer); ok {
			_ = cl.Close()
		}
		return fmt.Errorf("switch the sound device: %w", err)
	}
	if cl, ok := old.(io.Closer); ok {
		_ = cl.Close()
	}
	return nil
}

// SetEchoCancellation switches echo cancellation now and for later.
func (s *Softphone) SetEchoCancellation(on bool) {
	s.settings.SetEchoCancellation(on)
	s.withClient((*Client).ApplyAudioSettings)
}

// SetNoiseSuppression switches noise suppression now and for later.
func (s *Softphone) SetNoiseSuppression(on bool) {
	s.settings.SetNoiseSuppression(on)
	s.withClient((*Client).ApplyAudioSettings)
}

// Levels reads the audio level meters (zero when signed out).
func (s *Softphone) Levels() Levels {
	if c := s.client.Load(); c != nil {
		return c.Levels()
	}
	return Levels{}
}
