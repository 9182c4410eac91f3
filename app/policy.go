package app

// Policy is the user's effective E2EE policy as the organization's server
// reports it (Teams: Disabled or DisabledUserOverride).
type Policy struct {
	Name string
	// E2EEAllowed is true for UserCanEnable: the user may turn E2EE on.
	E2EEAllowed bool
	// RecordingAllowed: the user may start recording a standard call.
	RecordingAllowed bool
	// CaptionsAllowed: the user may turn on live captions and transcription.
	CaptionsAllowed bool
	// TransferAllowed: the user may transfer standard calls and move them
	// between their devices; ParkAllowed: park them and pick parked ones up.
	TransferAllowed, ParkAllowed bool
	// RetentionDays is how long what the user records is kept; 0 until deleted.
	RetentionDays int
}

// PolicyDisabledReason is shown under the greyed-out Privacy switch.
const PolicyDisabledReason = "Your organization has not enabled end-to-end encrypted calls"

// Reason is why the E2EE switch is unavailable, or "" when it is available.
func (p Policy) Reason() string {
	if p.E2EEAllowed {
		return ""
	}
	return PolicyDisabledReason
}
