// Package app is Parley's application core, free of any UI toolkit: the
// session with the organization server, the call state machine, the E2EE
// decision and handshake, settings, and feature gating. The Fyne screens in
// ui/ render what a Client reports and call its methods; headless tests drive
// the very same Client. See README.md (Architecture) and docs/e2ee.md.
package app
