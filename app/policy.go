package app

// Policy is the user's effective E2EE policy as the organization's server
// reports it (Teams: Disabled or DisabledUserOverride).
type Policy struct {
	Name string
	// E2EEAllowed is true for UserCanEnable: the user may turn E2EE on.
	E2EEAllowed bool
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
