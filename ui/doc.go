// Package ui is Parley's Fyne front end: one constructor per screen, each
// rendering state from app/ and sending the user's actions back through the
// small interfaces declared beside it. No call or crypto logic lives here;
// see README.md (Architecture).
package ui
