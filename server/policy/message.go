package policy

import "github.com/parley-voip/parley/signaling"

// Message is the signaling push that tells a client its effective policy
// (sent at sign-in and on every change, see Service).
func Message(e Effective) *signaling.Message {
	setting := signaling.PolicyDisabled
	if e.Policy.E2EE.Allows() {
		setting = signaling.PolicyUserCanEnable
	}
	return &signaling.Message{
		Type: signaling.TypePolicy,
		Policy: &signaling.PolicyInfo{
			Name: e.Policy.Name, E2EE: setting,
			Recording: e.Policy.AllowRecording, Captions: e.Policy.AllowCaptions,
			RetentionDays: e.Policy.RetentionDays,
			Transfer:      e.Policy.AllowTransfer, Park: e.Policy.AllowPark,
		},
	}
}
