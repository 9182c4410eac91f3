// Package ui is Parley's Fyne front end. Main (main.go) owns the window:
// the sign-in screen, or the rail and the pages listed in its screens
// table (Chat, Calls, People, Settings), with the call, the incoming-call
// card and the reconnecting bar over them. Each screen renders state from
// app/ and sends the user's actions back through the small interface
// declared beside it, which Main meets by embedding the Controller. No
// call or crypto logic lives here.
package ui
