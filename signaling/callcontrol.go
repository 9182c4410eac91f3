package signaling

// Call control on the media service (issue 12): transfer, park and pick
// up, move to another device. Standard calls only: in an end-to-end
// encrypted call the server refuses each with CodeE2EECall, and where the
// user's policy does not allow it, with CodePolicy.
const (
	// TypeTransfer (client→server): CallID, Control.Mode and Control.Target
	// (blind, safe), or Control.Mode consult and Control.Consult, the
	// sender's consult call with the target, while the sender holds CallID.
	TypeTransfer Type = "transfer"
	// TypePark (client→server): CallID. The sender's part ends; every
	// device of the sender gets call-control parked with the pickup code.
	TypePark Type = "park"
	// TypePickup (client→server): Control.Code. The sender is connected
	// to the parked call: call-control picked-up with its CallID, then
	// media-join.
	TypePickup Type = "pickup"
	// TypeMoveCall (client→server, from the user's idle device): Control,
	// optionally Companion. The user's call moves to this device (or this
	// device joins it as a companion): call-control moved or companion
	// with the CallID, then media-join.
	TypeMoveCall Type = "move-call"
	// TypeCallControl (server→client): CallID, Control.State and what the
	// state names (By, Target, Party, Code, Reason, Expires). Also in an
	// invite (Control) that rings a transfer's target or rings the
	// transferor back.
	TypeCallControl Type = "call-control"
)

// TransferMode is how a transfer treats its target's failure.
type TransferMode string

// Transfer modes.
const (
	// TransferBlind: the transferor leaves at once; if the target is busy,
	// offline, declines or does not answer, the call ends with that reason.
	TransferBlind TransferMode = "blind"
	// TransferSafe: as blind, but the target's failure rings the
	// transferor back; the transferred party hears music meanwhile.
	TransferSafe TransferMode = "safe"
	// TransferConsult: the transferor, holding the call, joins it with its
	// consult call (Control.Consult) with the target, and leaves both.
	TransferConsult TransferMode = "consult"
)

func (m TransferMode) valid() bool {
	return m == TransferBlind || m == TransferSafe || m == TransferConsult
}

// ControlState is what a call-control notice says is happening.
type ControlState string

// Call-control states.
const (
	StateTransferring   ControlState = "transferring"    // By transfers Party to Target (ringing): "Transferring to Carol…"
	StateTransferred    ControlState = "transferred"     // By transferred Party to Target: "Bob transferred you to Carol"
	StateTransferFailed ControlState = "transfer-failed" // Target did not take it: Reason (busy, unreachable, declined, no-answer)
	StateRingback       ControlState = "ringback"        // ringing By back (safe transfer failed, park expired); in the invite that rings them
	StateParked         ControlState = "parked"          // By parked Party: Code, Expires (to every device of By; to Party: music)
	StatePickedUp       ControlState = "picked-up"       // By picked up the call of Party parked with Code
	StateMoved          ControlState = "moved"           // the call moved to this device (to it) or away (to the user's others)
	StateCompanion      ControlState = "companion"       // this device joined the call as a companion: it listens, its microphone is not used
)

func (s ControlState) valid() bool {
	switch s {
	case StateTransferring, StateTransferred, StateTransferFailed, StateRingback, StateParked,
		StatePickedUp, StateMoved, StateCompanion:
		return true
	}
	return false
}

// CallControl is the payload of the call-control messages.
type CallControl struct {
	Mode    TransferMode `json:"mode,omitempty"`    // transfer
	Target  string       `json:"target,omitempty"`  // transfer: the user id to transfer to; notices: who it goes to
	Consult string       `json:"consult,omitempty"` // transfer consult: the consult call; transferred: the call it was
	Code    string       `json:"code,omitempty"`    // pickup; parked, picked-up
	// Companion: move-call joins this device as a companion instead of
	// taking the call.
	Companion bool `json:"companion,omitempty"`

	State      ControlState `json:"state,omitempty"` // server→client
	By         string       `json:"by,omitempty"`    // who acted (transferor, parker, picker)
	ByName     string       `json:"by_name,omitempty"`
	TargetName string       `json:"target_name,omitempty"`
	Party      string       `json:"party,omitempty"` // the one transferred or parked
	PartyName  string       `json:"party_name,omitempty"`
	Reason     Reason       `json:"reason,omitempty"`  // transfer-failed; ringback: why
	Expires    int64        `json:"expires,omitempty"` // parked: Unix milliseconds after which it rings back
}

// Limits and shapes of call control.
const (
	// PickupCodeLen is the length of a pickup code: decimal digits, easy
	// to read out and type on any device.
	PickupCodeLen = 6
)

// Error codes of call control.
const (
	// CodeE2EECall: the action needs the media service, which never
	// carries an end-to-end encrypted call.
	CodeE2EECall ErrorCode = "e2ee-call"
	// CodePolicy: the sender's policy does not allow the action.
	CodePolicy ErrorCode = "policy"
	// CodeUnknownCode: no parked call has that pickup code (never was,
	// expired, or picked up already).
	CodeUnknownCode ErrorCode = "unknown-code"
)

// Hangup reasons of call control: why a device's part of the call ended.
const (
	ReasonTransferred Reason = "transferred" // the transferor's part
	ReasonParked      Reason = "parked"      // the parker's part
	ReasonMoved       Reason = "moved"       // the call moved to another device of the user
)

// callControl checks a CallControl in type t: which fields it may carry
// and their values.
func (v *validator) callControl(t Type, c *CallControl) {
	v.id("control.target", c.Target)
	v.id("control.consult", c.Consult)
	v.id("control.by", c.By)
	v.id("control.party", c.Party)
	v.text("control.by_name", c.ByName, MaxNameLen)
	v.text("control.target_name", c.TargetName, MaxNameLen)
	v.text("control.party_name", c.PartyName, MaxNameLen)
	v.token("control.reason", string(c.Reason), MaxReasonLen)
	if c.Code != "" {
		v.pickupCode(c.Code)
	}
	if c.Expires < 0 {
		v.fail("control.expires", ErrInvalidField)
	}
	if c.State != "" && !c.State.valid() {
		v.fail("control.state", ErrInvalidField)
	}
	clientForm := c.State == "" && c.By == "" && c.ByName == "" && c.TargetName == "" &&
		c.Party == "" && c.PartyName == "" && c.Reason == "" && c.Expires == 0
	switch t {
	case TypeTransfer:
		switch {
		case !clientForm || c.Code != "" || c.Companion:
			v.fail("control", ErrFieldNotAllowed)
		case !c.Mode.valid():
			v.fail("control.mode", ErrInvalidField)
		case c.Mode == TransferConsult && (c.Consult == "" || c.Target != ""):
			v.fail("control.consult", ErrMissingField)
		case c.Mode != TransferConsult && (c.Target == "" || c.Consult != ""):
			v.fail("control.target", ErrMissingField)
		}
	case TypePickup:
		switch {
		case !clientForm || c.Mode != "" || c.Target != "" || c.Consult != "" || c.Companion:
			v.fail("control", ErrFieldNotAllowed)
		case c.Code == "":
			v.fail("control.code", ErrMissingField)
		}
	case TypeMoveCall:
		if !clientForm || c.Mode != "" || c.Target != "" || c.Consult != "" || c.Code != "" {
			v.fail("control", ErrFieldNotAllowed)
		}
	case TypeCallControl, TypeInvite:
		switch {
		case c.State == "":
			v.fail("control.state", ErrMissingField)
		case c.Mode != "" && !c.Mode.valid():
			v.fail("control.mode", ErrInvalidField)
		}
	}
}

// pickupCode accepts PickupCodeLen decimal digits.
func (v *validator) pickupCode(code string) {
	if len(code) != PickupCodeLen {
		v.fail("control.code", ErrInvalidField)
		return
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			v.fail("control.code", ErrInvalidField)
			return
		}
	}
}
