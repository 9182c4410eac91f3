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
	ReasonNoMediaRelay = "Needs the organization's media service, which this server does not have"
	ReasonNotBuilt     = "Not available in this version yet"
	ReasonNoRecording  = "Your organization's policy does not allow recording"
	ReasonNoTransfer   = "Your organization's policy does not allow transferring calls"
	ReasonNoPark       = "Your organization's policy does not allow parking calls"
)

// FeatureState is one feature's availability in a call.
type FeatureState struct {
	Feature   Feature
	Available bool
	Reason    string // why not, when !Available
}

// Features returns every server-side feature's availability for a call
// whose media does not go through the organization's media service.
// Under E2EE they are all off for a reason the user can act on (turn E2EE
// off in Settings).
func Features(e2ee bool) []FeatureState { return FeaturesOf(e2ee, false) }

// builtOnService are the features a standard call through the media
// service has in this version.
var builtOnService = [numFeatures]bool{FeatureRecording: true, FeatureCaptions: true, FeatureTransfer: true,
	FeaturePark: true, FeatureMerge: true, FeatureCompanion: true, FeatureAddParticipant: true}

// FeaturesOf returns the features of a call: E2EE or not, and whether its
// media goes through the organization's media service (a standard call on
// a server that has one).
func FeaturesOf(e2ee, viaService bool) []FeatureState {
	out := make([]FeatureState, numFeatures)
	for f := Feature(0); f < numFeatures; f++ {
		st := FeatureState{Feature: f}
		switch {
		case e2ee:
			st.Reason = ReasonE2EE
		case !viaService:
			st.Reason = ReasonNoMediaRelay
		case builtOnService[f]:
			st.Available = true
		default:
			st.Reason = ReasonNotBuilt
		}
		out[f] = st
	}
	return out
}
