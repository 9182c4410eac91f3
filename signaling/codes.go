package signaling

// ErrorCode is the machine-readable code of an error message.
type ErrorCode string

// Error codes the server sends.
const (
	CodeMalformed     ErrorCode = "malformed"      // frame is not a valid message
	CodeTooLarge      ErrorCode = "too-large"      // frame over the size limit
	CodeUnknownType   ErrorCode = "unknown-type"   // type not understood
	CodeHelloRequired ErrorCode = "hello-required" // first message was not hello
	CodeUnauthorized  ErrorCode = "unauthorized"   // hello refused
	CodeNotAllowed    ErrorCode = "not-allowed"    // valid message, wrong sender, role or call state
	CodeUnknownCall   ErrorCode = "unknown-call"   // call_id unknown or sender not a party
	CodeDuplicateCall ErrorCode = "duplicate-call" // invite reuses a live call_id
	CodeUnreachable   ErrorCode = "unreachable"    // callee is not connected
	CodeBusy          ErrorCode = "busy"           // the caller is already in a call
	CodeRateLimited   ErrorCode = "rate-limited"   // too many messages
	CodeInternal      ErrorCode = "internal"       // server fault
	CodeUnknownUser   ErrorCode = "unknown-user"   // no such (enabled) user
	CodeStoreFailed   ErrorCode = "store-failed"   // chat could not be stored; not delivered, retry
)

// Reason says why a call was declined or hung up.
type Reason string

// Reasons. Hangup reasons are an open set: unknown ones are passed through.
const (
	ReasonDeclined Reason = "declined"
	ReasonBusy     Reason = "busy"
	ReasonHangup   Reason = "hangup"
	ReasonPeerGone Reason = "peer-gone"
	// ReasonPeerLost: the other party's signaling connection dropped during
	// the call and did not come back within the server's grace period.
	ReasonPeerLost Reason = "peer-lost"
	// ReasonNoAnswer: the callee did not answer within the ring timeout;
	// the server ends the invite for both parties.
	ReasonNoAnswer Reason = "no-answer"
	// ReasonAnsweredElsewhere: another device of the callee took the call;
	// this one stops ringing (hangup from the server).
	ReasonAnsweredElsewhere Reason = "answered-elsewhere"
	// ReasonDeclinedElsewhere: the callee declined on another device.
	ReasonDeclinedElsewhere Reason = "declined-elsewhere"
	ReasonUnreachable       Reason = "unreachable"
	ReasonE2EEFailed        Reason = "e2ee-failed"
	// ReasonE2EERequired: the sender allows only end-to-end encrypted
	// calls, and this one would not be (decline or hangup).
	ReasonE2EERequired Reason = "e2ee-required"
	// ReasonE2EEMismatch: the two sides' decisions on E2EE differ (a
	// rewritten e2ee or e2ee_call flag); the call ends before media.
	ReasonE2EEMismatch Reason = "e2ee-mismatch"
	ReasonError        Reason = "error"
)

// Status is a user's presence.
type Status string

// Presence states. A user with no live connection is offline; presence
// lists leave offline users out, and the HTTP directory reports them as
// StatusOffline.
const (
	StatusAvailable Status = "available"
	StatusBusy      Status = "busy"    // set by the user (status message)
	StatusAway      Status = "away"    // set by the user (status message)
	StatusInCall    Status = "in-call" // set by the server while a call is accepted
	StatusOffline   Status = "offline"

	// StatusOnline is the walking skeleton's name for StatusAvailable.
	//
	// Deprecated: use StatusAvailable.
	StatusOnline = StatusAvailable
)

func (s Status) valid() bool {
	switch s {
	case StatusAvailable, StatusBusy, StatusAway, StatusInCall, StatusOffline:
		return true
	}
	return false
}

// Settable reports whether a client may choose s with a status message:
// in-call is the server's to set and offline is simply disconnecting.
func (s Status) Settable() bool {
	return s == StatusAvailable || s == StatusBusy || s == StatusAway
}

// WebSocket close status codes the server uses beyond the standard ones
// (1001 going away, 1008 policy violation, 1009 message too big).
const (
	// CloseReplaced: the same user connected again; this connection is
	// superseded.
	CloseReplaced = 4000
	// CloseSignedOut: the session behind this connection ended (sign-out,
	// password reset, account disabled); sign in again.
	CloseSignedOut = 4001
	// CloseTooManyConnections: the user already has as many signaling
	// connections as the server allows; this one is refused.
	CloseTooManyConnections = 4002
)
