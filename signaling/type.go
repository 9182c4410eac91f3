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
	TypeAnswer       Type = "answer"    // CallID, SDP
	TypeCandidate    Type = "candidate" // CallID, Candidate
	TypeKeyAgreement Type = "e2ee"      // CallID, Data (opaque crypto/e2ee handshake message)
	TypeHangup       Type = "hangup"    // either party (or server): CallID, Reason
	TypeError        Type = "error"     // server→client: Error, optionally CallID
	TypePolicy       Type = "policy"    // server→client at sign-in and on every change: Policy
	TypeStatus       Type = "status"    // client→server: Status (available, busy, away)
	TypeChat         Type = "chat"      // client→server: To or CallID, Text; server→client: Chat
	TypeChatAck      Type = "chat-ack"  // server→client: Ref (the client's chat id), Chat as stored
	TypeCaptions     Type = "captions"  // client→server: CallID, Captions{On}; server→client: Captions{State, By, Reason} (CallID unless it is the server's availability at sign-in)
	TypeCaption      Type = "caption"   // server→client: CallID, Caption (one partial or final line of live captions)
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
	case TypeInvite, TypeRinging, TypeAccept, TypeDecline, TypeOffer,
		TypeAnswer, TypeCandidate, TypeKeyAgreement, TypeHangup:
		return true
	}
	return false
}

// FromServerOnly reports whether only the server may send t.
func (t Type) FromServerOnly() bool {
	switch t {
	case TypeWelcome, TypePresence, TypeError, TypePolicy, TypeChatAck, TypeCaption:
		return true
	}
	return false
}
