package signaling

// Type names a message kind; it is the envelope's "type" field.
type Type string

// Message types. The comment says who sends it and which payload it carries.
const (
	TypeHello        Type = "hello"     // client→server, first message: User and/or Token
	TypeWelcome      Type = "welcome"   // server→client: User, ServerVersion
	TypePresence     Type = "presence"  // server→client: Users that changed; with Ref, the snapshot answering subscribe
	TypeSubscribe    Type = "subscribe" // client→server: IDs (or All) whose presence to receive; replaces the last
	TypeResume       Type = "resume"    // client→server after a reconnect: CallID, To (the peer) of a call in progress
	TypeInvite       Type = "invite"    // caller→callee: To, CallID, E2EE
	TypeRinging      Type = "ringing"   // callee→caller: CallID
	TypeAccept       Type = "accept"    // callee→caller: CallID, E2EE, E2EECall
	TypeDecline      Type = "decline"   // callee→caller (or server): CallID, Reason
	TypeOffer        Type = "offer"     // caller→callee: CallID, SDP, E2EECall
	TypeProceed      Type = "proceed"   // caller→callee, instead of offer for a call through the media service: CallID, E2EECall (false)
	TypeAnswer       Type = "answer"    // CallID, SDP
	TypeCandidate    Type = "candidate" // CallID, Candidate
	TypeKeyAgreement Type = "e2ee"      // CallID, Data (opaque crypto/e2ee handshake message)
	TypeHangup       Type = "hangup"    // either party (or server): CallID, Reason
	TypeError        Type = "error"     // server→client: Error, optionally CallID
	TypePolicy       Type = "policy"    // server→client at sign-in and on every change: Policy
	TypeStatus       Type = "status"    // client→server: Status (available, busy, away)
	TypeChat         Type = "chat"      // client→server: To or CallID, Text; server→client: Chat
	TypeChatAck      Type = "chat-ack"  // server→client: Ref (the client's chat id), Chat as stored
	// TypeICEServers is server→client at sign-in and again before the
	// credentials expire: ICEServers, the STUN/TURN servers every call uses.
	TypeICEServers Type = "ice-servers"
	// Recording (issue 11): any participant of a standard call may start and
	// stop it when policy allows; every participant, also one who joins
	// later, is told with a recording message.
	TypeRecordStart Type = "record-start" // client→server: CallID
	TypeRecordStop  Type = "record-stop"  // client→server: CallID
	TypeRecording   Type = "recording"    // server→client: CallID, Recording (Active: started, or not: stopped)

	// The media service (standard calls; never an E2EE one). The service
	// makes every offer, at once and whenever the call's participants
	// change; the client answers each on the same peer connection.
	TypeMediaJoin      Type = "media-join"      // client→server: CallID of an accepted standard call the sender is in
	TypeMediaOffer     Type = "media-offer"     // server→client: CallID, SDP
	TypeMediaAnswer    Type = "media-answer"    // client→server: CallID, SDP
	TypeMediaCandidate Type = "media-candidate" // both ways: CallID, Candidate
	TypeRoster         Type = "roster"          // server→client: CallID, Roster (who is in, speaking, muted, held)
	TypeHold           Type = "hold"            // client→server: CallID, Held (false: resume)
	TypeMute           Type = "mute"            // client→server: CallID, Muted
	TypeAddPeople      Type = "add-people"      // client→server: CallID, IDs to invite into the call
	TypeMerge          Type = "merge"           // client→server: CallID (the active call), Merge (the sender's held call)
	TypeMerged         Type = "merged"          // server→client: CallID (the call now), Merge (the call it was)

	TypeCaptions Type = "captions" // client→server: CallID, Captions{On}; server→client: Captions{State, By, Reason} (CallID unless it is the server's availability at sign-in)
	TypeCaption  Type = "caption"  // server→client: CallID, Caption (one partial or final line of live captions)
)

// Known reports whether t is a type this version understands.
func (t Type) Known() bool {
	_, ok := fieldRules[t]
	return ok
}

// IsCallMessage reports whether t is relayed between the two parties of a
// call (everything that carries a call_id except error).
func (t Type) IsCallMessage() bool {
	switch t {
	case TypeInvite, TypeRinging, TypeAccept, TypeDecline, TypeOffer, TypeProceed,
		TypeAnswer, TypeCandidate, TypeKeyAgreement, TypeHangup, TypeMediaState:
		return true
	}
	return false
}

// IsMediaMessage reports whether t is one of the media service's (handled
// by the server for the sender's call, not relayed).
func (t Type) IsMediaMessage() bool {
	switch t {
	case TypeMediaJoin, TypeMediaOffer, TypeMediaAnswer, TypeMediaCandidate,
		TypeRoster, TypeHold, TypeMute, TypeAddPeople, TypeMerge, TypeMerged, TypeMediaVideo:
		return true
	}
	return false
}

// FromServerOnly reports whether only the server may send t.
func (t Type) FromServerOnly() bool {
	switch t {
	case TypeWelcome, TypePresence, TypeError, TypePolicy, TypeChatAck, TypeCallRecord, TypeICEServers, TypeRecording,
		TypeMediaOffer, TypeRoster, TypeMerged, TypeCaption, TypeCallControl:
		return true
	}
	return false
}
