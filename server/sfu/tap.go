package sfu

import "github.com/pion/rtp"

// A Tap sees every RTP packet the service forwards in one room, after
// validation, on the forwarding goroutine: it must not block and must not
// keep pkt or its payload after returning (copy what it keeps).
type Tap interface {
	Joined(p Participant)                  // a participant's audio track arrived (also called for those already present when the tap is added)
	Packet(p Participant, pkt *rtp.Packet) // one forwarded audio packet (Opus), from p
	Left(p Participant)
}

// Participant is one sender in a room, as a Tap sees it.
type Participant struct {
	UserID, Name string
	SSRC         uint32
	ClockRate    uint32
}
