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
)

// Reason says why a call was declined or hung up.
type Reason string

// Reasons. Hangup reasons are an open set: unknown ones are passed through.
const (
	ReasonDeclined    Reason = "declined"
	ReasonBusy        Reason = "busy"
	ReasonHangup      Reason = "hangup"
	ReasonPeerGone    Reason = "peer-gone"
	ReasonUnreachable Reason = "unreachable"
	ReasonE2EEFailed  Reason = "e2ee-failed"
	ReasonError       Reason = "error"
)

// Status is a user's presence.
type Status string

// Presence states.
const (
	StatusOnline Status = "online"
	StatusInCall Status = "in-call"
)

func (s Status) valid() bool { return s == StatusOnline || s == StatusInCall }

// WebSocket close status codes the server uses beyond the standard ones
// (1001 going away, 1008 policy violation, 1009 message too big).
const (
	// CloseReplaced: the same user connected again; this connection is
	// superseded.
	CloseReplaced = 4000
)
