// Package app is Parley's application core, free of any UI toolkit: the
// session with the organization server, the call state machine, the E2EE
// decision and handshake, settings, and feature gating. The Fyne screens in
// ui/ render what a Client reports and call its methods; headless tests drive
// the very same Client. See README.md (Architecture) and docs/e2ee.md.
//
// Softphone (the window's controller, across sign-ins) and Client (one
// signed-in link) are split by concern, one room per file:
//   - session: softphone.go, signin.go, apisession.go, localorg.go, client.go, resume.go
//   - calls: callstate.go (the state machine, docs/client.md), callend.go,
//     callflow.go, callmedia.go, callsecure.go, decision.go, verify.go,
//     softcalls.go, callhistory.go
//   - chat: chatclient.go, chatbook.go, softchat.go
//   - directory and presence: directory.go, directoryapi.go, presence.go, status.go, softdirectory.go
//   - settings and sound devices: settings.go, softsettings.go, clientaudio.go
//
// The server is not imported: main.go hands in the local organization
// (LocalOrg), as it hands in the sound devices.
package app
