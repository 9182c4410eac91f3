// Package captions is the server side of live captions and transcription
// in standard calls: it feeds each participant's Opus stream, as the media
// service (server/sfu) forwards it, to the recognizer worker
// (cmd/parley-captions, protocol in captions/wire), which it starts and
// restarts; it sends every participant the captions with the speaker's
// name, and at the end of the call stores the transcript, sealed at rest
// with the chat keys, for the call's participants to download.
//
// parley-server stays pure Go: the recognizer needs cgo, libopus and
// PocketSphinx, so it runs in its own process, found with FindWorker.
// Without it the service still answers, with the reason
// signaling.ReasonCaptionsNotInstalled. docs/server.md ("Live captions")
// describes installation, supervision and the protocol.
package captions
