package app

import (
	"strconv"
	"time"
)

// Preferences is the persistent key/value store behind Settings. fyne's
// app.Preferences() satisfies it; tests use MemoryPreferences.
type Preferences interface {
	Bool(key string) bool
	SetBool(key string, value bool)
	String(key string) string
	SetString(key string, value string)
}

// Preference keys. They are part of the on-disk format: never rename one.
const (
	prefE2EE        = "privacy.e2ee_calls"
	prefE2EEOnly    = "privacy.e2ee_only"
	prefServerURL   = "org.server_url"
	prefLocalOrg    = "org.local"
	prefUserID      = "me.id"
	prefDisplayName = "me.name"
	prefSession     = "org.session"
	prefPinPrefix   = "org.pin."
	prefCaptureID   = "audio.capture"
	prefPlaybackID  = "audio.playback"
	prefRingerID    = "audio.ringer"
	prefCameraID    = "video.camera"
	prefCallsSeen   = "calls.seen_ms"
	// Off-keys, so that an unset key means on: both are on by default.
	prefEchoOff  = "audio.echo_cancellation_off"
	prefNoiseOff = "audio.noise_suppression_off"
)

// Settings is the user's own configuration, persisted in Preferences.
type Settings struct {
	prefs Preferences
}

// NewSettings reads and writes settings through p.
func NewSettings(p Preferences) *Settings { return &Settings{prefs: p} }

// E2EECalls reports the Settings → Privacy switch "End-to-end encrypted
// calls". It is off by default, as in Teams: an unset key reads as false.
func (s *Settings) E2EECalls() bool { return s.prefs.Bool(prefE2EE) }

// SetE2EECalls flips the Privacy switch; it applies to calls placed or
// answered afterwards, never to the call in progress.
func (s *Settings) SetE2EECalls(on bool) { s.prefs.SetBool(prefE2EE, on) }

// E2EEOnly reports "Only allow end-to-end encrypted calls": with it on (and
// E2EE on), a call that cannot be end-to-end encrypted is refused instead
// of going ahead without the lock — the downgrade defence of DESIGN.md.
func (s *Settings) E2EEOnly() bool { return s.prefs.Bool(prefE2EEOnly) }

// SetE2EEOnly sets "Only allow end-to-end encrypted calls".
func (s *Settings) SetE2EEOnly(on bool) { s.prefs.SetBool(prefE2EEOnly, on) }

// Organization is how the app reaches its server: a local organization
// run inside the app, or a server URL.
type Organization struct {
	Local     bool
	ServerURL string
}

// Organization returns the saved organization; ok is false on first start.
func (s *Settings) Organization() (org Organization, ok bool) {
	org = Organization{Local: s.prefs.Bool(prefLocalOrg), ServerURL: s.prefs.String(prefServerURL)}
	return org, org.Local || org.ServerURL != ""
}

// SetOrganization remembers the organization for the next start.
func (s *Settings) SetOrganization(org Organization) {
	s.prefs.SetBool(prefLocalOrg, org.Local)
	s.prefs.SetString(prefServerURL, org.ServerURL)
}

// Identity returns the saved user id and display name ("" when unset).
func (s *Settings) Identity() (id, name string) {
	return s.prefs.String(prefUserID), s.prefs.String(prefDisplayName)
}

// SetIdentity remembers who the user signed in as.
func (s *Settings) SetIdentity(id, name string) {
	s.prefs.SetString(prefUserID, id)
	s.prefs.SetString(prefDisplayName, name)
}

// AudioDevices returns the chosen microphone and speaker ids ("" = the
// system default).
func (s *Settings) AudioDevices() (capture, playback string) {
	return s.prefs.String(prefCaptureID), s.prefs.String(prefPlaybackID)
}

// RingerDevice is the output the ringtone plays on: a playback device id,
// or "" for the call's speaker (the default).
func (s *Settings) RingerDevice() string { return s.prefs.String(prefRingerID) }

// SetRingerDevice remembers the ringer's output ("" = the speaker).
func (s *Settings) SetRingerDevice(id string) { s.prefs.SetString(prefRingerID, id) }

// Camera is the chosen camera's id ("" = the first).
func (s *Settings) Camera() string { return s.prefs.String(prefCameraID) }

// SetCamera remembers the chosen camera.
func (s *Settings) SetCamera(id string) { s.prefs.SetString(prefCameraID, id) }

// SetAudioDevices remembers the chosen microphone and speaker.
func (s *Settings) SetAudioDevices(capture, playback string) {
	s.prefs.SetString(prefCaptureID, capture)
	s.prefs.SetString(prefPlaybackID, playback)
}

// EchoCancellation reports Settings → Audio "Echo cancellation" (on by default).
func (s *Settings) EchoCancellation() bool { return !s.prefs.Bool(prefEchoOff) }

// SetEchoCancellation switches echo cancellation.
func (s *Settings) SetEchoCancellation(on bool) { s.prefs.SetBool(prefEchoOff, !on) }

// NoiseSuppression reports Settings → Audio "Noise suppression" (on by default).
func (s *Settings) NoiseSuppression() bool { return !s.prefs.Bool(prefNoiseOff) }

// SetNoiseSuppression switches noise suppression.
func (s *Settings) SetNoiseSuppression(on bool) { s.prefs.SetBool(prefNoiseOff, !on) }

// Session is the saved session token ("" when signed out).
func (s *Settings) Session() string { return s.prefs.String(prefSession) }

// SetSession saves the session token, so the app signs in again at start.
// (An OS keychain would be better; the token is the only secret.)
func (s *Settings) SetSession(token string) { s.prefs.SetString(prefSession, token) }

// Pin is the certificate fingerprint the user trusted for host, or "".
func (s *Settings) Pin(host string) string { return s.prefs.String(prefPinPrefix + host) }

// SetPin trusts the certificate with this fingerprint for host from now on.
func (s *Settings) SetPin(host, fingerprint string) {
	s.prefs.SetString(prefPinPrefix+host, fingerprint)
}

// CallsSeen is the start of the newest missed call the user has seen in
// the call history (MarkCallsSeen); zero before the first.
func (s *Settings) CallsSeen() time.Time {
	ms, err := strconv.ParseInt(s.prefs.String(prefCallsSeen), 10, 64)
	if err != nil || ms <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

// SetCallsSeen records t as seen; it never moves back.
func (s *Settings) SetCallsSeen(t time.Time) {
	if t.After(s.CallsSeen()) {
		s.prefs.SetString(prefCallsSeen, strconv.FormatInt(t.UnixMilli(), 10))
	}
}
