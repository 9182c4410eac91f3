package opus

// Application tells libopus what the encoder is optimised for.
type Application int

const (
	// VoIP favours speech intelligibility (the default, and what calls use).
	VoIP Application = iota
	// Audio favours faithfulness to the input (music, tones).
	Audio
	// LowDelay disables the speech-only SILK layer to save 5 ms of look-ahead.
	LowDelay
)

func (a Application) String() string {
	switch a {
	case VoIP:
		return "voip"
	case Audio:
		return "audio"
	case LowDelay:
		return "lowdelay"
	default:
		return "unknown"
	}
}

func (a Application) valid() bool { return a >= VoIP && a <= LowDelay }
