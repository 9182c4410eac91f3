package app

import "time"

// EndReason says why a call ended; the message both sides show comes from it.
type EndReason int

const (
	EndNone             EndReason = iota
	EndHangup                     // we hung up
	EndRemoteHangup               // they hung up
	EndDeclined                   // callee declined
	EndBusy                       // callee is in another call
	EndUnreachable                // callee is not online
	EndUnknownUser                // no such (enabled) user in the organization
	EndPeerGone                   // the other side vanished mid-call
	EndNoAnswer                   // nobody answered in time
	EndCancelled                  // the caller gave up before we answered
	EndConnectionFailed           // ICE/DTLS could not connect, or dropped
	EndE2EEFailed                 // key agreement or confirmation failed
	EndE2EERequired               // one side only allows E2EE calls, and this one could not be
	EndE2EEMismatch               // the two sides decided differently on E2EE (a rewritten flag)
	EndError                      // anything else; Message says what
	// EndAnsweredElsewhere: another of my devices took the incoming call.
	EndAnsweredElsewhere
	// EndDeclinedElsewhere: I declined the incoming call on another device.
	EndDeclinedElsewhere
	// Call control (callcontrol.go): this device's part ended because
	// this user transferred or parked the call, or moved it to another
	// of their devices; EndTransferFailed: the other party's transfer did
	// not reach its target, and the call ended with why (ControlText).
	EndTransferred
	EndParked
	EndMoved
	EndTransferFailed
)

// Message is the line the call screen shows when the call ends.
func (r EndReason) Message() string {
	switch r {
	case EndHangup:
		return "You ended the call"
	case EndRemoteHangup:
		return "The other person ended the call"
	case EndDeclined:
		return "Call declined"
	case EndBusy:
		return "Busy — they are in another call"
	case EndUnreachable:
		return "Unreachable — they are not signed in"
	case EndUnknownUser:
		return "There is no such person in your organization"
	case EndPeerGone:
		return "The other person went away"
	case EndNoAnswer:
		return "No answer"
	case EndCancelled:
		return "Missed call"
	case EndConnectionFailed:
		return "The connection failed"
	case EndE2EEFailed:
		return E2EEFailedMessage
	case EndE2EERequired:
		return "Not connected: this call could not be end-to-end encrypted, and only encrypted calls are allowed"
	case EndE2EEMismatch:
		return E2EEMismatchMessage
	case EndError:
		return "The call failed"
	case EndAnsweredElsewhere:
		return "Answered on another device"
	case EndDeclinedElsewhere:
		return "Declined on another device"
	case EndTransferred:
		return "You transferred the call"
	case EndParked:
		return "You parked the call"
	case EndMoved:
		return "The call moved to your other device"
	case EndTransferFailed:
		return "The transfer failed"
	}
	return ""
}

// E2EEFailedMessage is shown when key confirmation fails: the call is never
// downgraded silently to one without E2EE.
const E2EEFailedMessage = "E2EE failed — the call may be intercepted"

// E2EEMismatchMessage is shown when the two sides' decisions on E2EE
// differ: someone between them changed the call's messages.
const E2EEMismatchMessage = "Call ended: the two sides disagreed about end-to-end encryption — the call's messages may have been tampered with"

// CallInfo is a snapshot of a call for the UI; it never changes after it is
// handed out.
type CallInfo struct {
	ID       string
	Peer     Contact
	Outgoing bool
	// State is the call's state (callstate.go) when the snapshot was taken.
	State CallState
	// E2EE is true once the call is end-to-end encrypted and key
	// confirmation succeeded: only then do the lock and Code show.
	E2EE bool
	// E2EENegotiated is true when both sides chose E2EE, before the handshake
	// finished (the screen says "Securing…", never shows the lock).
	E2EENegotiated bool
	// WantedE2EE: this user had the E2EE switch on when the call was
	// placed or answered. NotE2EE then says why the call is not E2EE
	// (or was refused, with EndE2EERequired).
	WantedE2EE bool
	NotE2EE    NotE2EECause
	// PeerWantsE2EE: the other side asked for E2EE (its invite or accept);
	// the incoming-call card says so.
	PeerWantsE2EE bool
	// Trust says whether the peer's device key, which authenticated the
	// completed handshake, was verified before (only with E2EE).
	// PeerKeyFingerprint is that key's short form.
	Trust              Trust
	PeerKeyFingerprint string
	// IgnoredKeyMessages counts duplicate or late key-agreement messages
	// that were ignored (ignoredKeyMessage).
	IgnoredKeyMessages int
	Code               string // "1234 5678 9012 3456 7890" when E2EE
	CodeGroups         [5]string
	Muted              bool
	// Held: this side put the call on hold (no audio either way).
	// PeerMuted and PeerHeld are what the other side reports of itself.
	Held, PeerMuted, PeerHeld bool
	// Started is when the call became Active: its media path up.
	Started time.Time
	// AudioReceived is set once the first frame from the other side was
	// decrypted and decoded.
	AudioReceived bool
	// Recording: the server is recording the call (a red "Recording"
	// label on the call screen); RecordingBy names who started it.
	Recording   bool
	RecordingBy string
	RecordingID string
	End         EndReason
	EndDetail   string // extra context for EndError
	Features    []FeatureState
	// Reconnecting: the network was lost mid-call and ICE is restarting;
	// the call, its keys and its code carry on when it is back.
	Reconnecting bool
	// NoAudio: an active call that had audio has received no frame for
	// noAudioAfter although the other side sends even when muted or
	// holding (mediawatch.go); the call is being recovered.
	NoAudio bool

	// Through the organization's media service (callservice.go):
	// ViaService is set for a standard call whose media goes through it;
	// Group for an invitation into a call in progress; Participants are
	// everyone in the call, this user included (the service's roster).
	// OnHold: another participant holds it (the screen says "On hold" and
	// the music plays); Held above is this user holding it.
	ViaService   bool
	Group        bool
	Participants []Participant
	OnHold       bool
	// HeldCall is this user's other call, on hold while this one goes on;
	// Merge joins the two.
	HeldCall *CallInfo
	// Captions are the call's live captions (captions.go).
	Captions Captions

	// Call control (callcontrol.go). ControlText is what the server says
	// is happening to the call, as every party's screen shows it
	// ("Transferring to Carol…", "Bob transferred you to Carol", "Carol
	// is busy — back to your call with Alice"); on an incoming call, why
	// it rings ("Transferred by Bob"). PickupCode and PickupExpires are a
	// call this user parked (shown large on the ended call's screen).
	// Companion: this device joined the user's call on another device to
	// listen; its microphone is not used.
	ControlText   string
	PickupCode    string
	PickupExpires time.Time
	Companion     bool
}

// Ended reports whether the call is over.
func (c CallInfo) Ended() bool { return c.State == CallEnded }

// EndMessage is the message to show for an ended call.
func (c CallInfo) EndMessage() string {
	if c.End == EndError && c.EndDetail != "" {
		return "The call failed: " + c.EndDetail
	}
	if c.End == EndE2EERequired {
		return c.NotE2EE.refused()
	}
	if c.ControlText != "" && (c.End == EndTransferred || c.End == EndParked || c.End == EndTransferFailed) {
		return c.End.Message() + " — " + c.ControlText
	}
	return c.End.Message()
}
