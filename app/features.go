package app

// Feature is an in-call capability that needs the server to process media.
type Feature int

// The server-side media features an E2EE call gives up (DESIGN.md, "Two
// media paths"): with SFrame no server holds the keys, so none can record,
// caption, transfer, park, merge or add anyone.
const (
	FeatureRecording Feature = iota
	FeatureCaptions
	FeatureTransfer
	FeaturePark
	FeatureMerge
	FeatureCompanion
	FeatureAddParticipant
	numFeatures
)

var featureNames = [numFeatures]string{
	FeatureRecording:      "Record",
	FeatureCaptions:       "Live captions",
	FeatureTransfer:       "Transfer",
	FeaturePark:           "Park",
	FeatureMerge:          "Merge",
	FeatureCompanion:      "Move to device",
	FeatureAddParticipant: "Add people",
}

// Name is the label the call screen shows.
func (f Feature) Name() string {
	if f < 0 || f >= numFeatures {
		return "unknown"
	}
	return featureNames[f]
}

// Reasons a feature is unavailable, shown next to the greyed-out control.
const (
	ReasonE2EE         = "Not available in end-to-end encrypted calls"
	ReasonNoMediaRelay = "Needs the organization's media service (not yet available)"
)

// FeatureState is one feature's availability in a call.
type FeatureState struct {
	Feature   Feature
	Available bool
	Reason    string // why not, when !Available
}

// Features returns every server-side feature's availability for a call.
// Under E2EE they are all off for a reason the user can act on (turn E2EE
// off in Settings); otherwise they wait for the server media path, which
// this build does not have yet.
func Features(e2ee bool) []FeatureState {
	out := make([]FeatureState, numFeatures)
	for f := Feature(0); f < numFeatures; f++ {
		out[f] = FeatureState{Feature: f, Reason: ReasonNoMediaRelay}
		if e2ee {
			out[f].Reason = ReasonE2EE
		}
	}
	return out
}
