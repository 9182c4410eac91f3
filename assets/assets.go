// Package assets holds Parley's icons and sounds, embedded in the binary so
// the installed app needs no files beside it. It has no UI import: ui/ wraps
// these bytes as Fyne resources.
package assets

import _ "embed"

// LockShieldSVG is the lock-plus-shield icon the call screen shows at its top
// left once an end-to-end encrypted call has passed key confirmation.
//
//go:embed lock-shield.svg
var LockShieldSVG []byte

// IconPNG is the application icon (also named in FyneApp.toml).
//
//go:embed icon.png
var IconPNG []byte

// IconSVG is the vector source of the application icon.
//
//go:embed icon.svg
var IconSVG []byte

// Call toolbar icons, single-colour (the UI tints them with its theme).
var (
	//go:embed phone.svg
	PhoneSVG []byte
	//go:embed phone-hangup.svg
	PhoneHangupSVG []byte
	//go:embed mic.svg
	MicSVG []byte
	//go:embed mic-off.svg
	MicOffSVG []byte
)
