// Package recording records standard calls on the organization server.
//
// A Recorder is a tap on the media service (server/sfu): it sees every
// Opus packet the service forwards and writes one Ogg Opus track per
// participant, time-aligned on the recording's clock (silence fills the
// time before a participant's first packet, the gaps of DTX and loss, and
// the time after they left), so the tracks mix by simply adding them.
// Tracks are sealed in chunks as they are written (package sealing, a key
// per recording wrapped by the chat master key), listed with their metadata
// in the server's database, downloadable by the call's participants,
// deletable by whoever started the recording and by administrators, and
// removed by a sweeper when the retention of the starter's policy runs
// out. The server never decodes audio: it stays pure Go.
package recording
