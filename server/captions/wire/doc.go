// Package wire is the protocol between parley-server and its captions worker
// (cmd/parley-captions): length-prefixed binary frames over the worker's
// stdin (server to worker: who speaks, their Opus packets) and stdout
// (worker to server: partial and final hypotheses per speaker).
//
// A frame is a 1-byte type, a 4-byte big-endian payload length and the
// payload; the length is at most MaxPayload, so a reader never holds more
// than one bounded frame. Each direction has one parser, ReadInput and
// ReadOutput, both with typed errors (errors.go) and fuzz targets.
// docs/server.md ("Captions worker") describes the frames.
package wire
