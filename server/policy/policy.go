package policy

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// GlobalName is the name of the org-wide default policy that always exists.
const GlobalName = "Global"

// MaxDescriptionLen bounds a policy's description.
const MaxDescriptionLen = 512

// Retention limits, in days. Teams' meeting policies use the same bound
// (NewMeetingRecordingExpirationDays, 1 to 99999) and the same default.
const (
	MaxRetentionDays     = 99999
	DefaultRetentionDays = 120
)

// Policy is a named calling policy: the E2EE setting and the meeting
// settings Teams admins know from meeting policies (cloud recording,
// transcription, recording expiration). The zero value of every setting is
// the restrictive one: no E2EE, no recording, no captions, and retention 0,
// which means "kept until someone deletes it".
type Policy struct {
	Name string `json:"name"`
	E2EE E2EE   `json:"e2ee"`
	// AllowRecording lets users start recording standard calls (Teams:
	// AllowCloudRecording).
	AllowRecording bool `json:"allow_recording"`
	// AllowCaptions lets users turn on live captions and the transcript
	// of standard calls (Teams: AllowTranscription).
	AllowCaptions bool `json:"allow_captions"`
	// AllowTransfer lets users transfer standard calls (blind, safe,
	// consult) and move them to another of their devices (Teams: the
	// calling policy's call transfer settings).
	AllowTransfer bool `json:"allow_transfer"`
	// AllowPark lets users park standard calls and pick up parked ones
	// by code (Teams: AllowCallPark).
	AllowPark bool `json:"allow_park"`
	// RetentionDays is how long the server keeps a recording or
	// transcript started under this policy; 0 keeps it until deleted
	// (Teams: NewMeetingRecordingExpirationDays, -1 there).
	RetentionDays int    `json:"retention_days"`
	Description   string `json:"description,omitempty"`
}

// IsGlobal reports whether p is the Global policy.
func (p Policy) IsGlobal() bool { return p.Name == GlobalName }

// Validate checks the name, setting and description.
func (p Policy) Validate() error {
	if err := ValidateName("policy", p.Name); err != nil {
		return err
	}
	if !p.E2EE.Valid() {
		return fmt.Errorf("%w: policy %q: e2ee setting %d", ErrInvalid, p.Name, uint8(p.E2EE))
	}
	if err := ValidateRetentionDays(p.RetentionDays); err != nil {
		return fmt.Errorf("policy %q: %w", p.Name, err)
	}
	if len(p.Description) > MaxDescriptionLen || !utf8.ValidString(p.Description) {
		return fmt.Errorf("%w: policy %q: description must be UTF-8 of at most %d bytes",
			ErrInvalid, p.Name, MaxDescriptionLen)
	}
	return nil
}

// ValidateRetentionDays accepts 0 (keep until deleted) through
// MaxRetentionDays.
func ValidateRetentionDays(days int) error {
	if days < 0 || days > MaxRetentionDays {
		return fmt.Errorf("%w: retention %d days (want 0 to %d; 0 keeps until deleted)", ErrInvalid, days, MaxRetentionDays)
	}
	return nil
}

// Retention returns RetentionDays as a duration; 0 means no expiry.
func (p Policy) Retention() time.Duration {
	return time.Duration(p.RetentionDays) * 24 * time.Hour
}

// DefaultGlobal is the Global policy of a new organization: E2EE disabled;
// recording and captions allowed and recordings kept 120 days, as in Teams'
// Global meeting policy; transfer and park allowed (Teams' call park
// policy is off by default; here the feature is on until an admin turns
// it off, as transfer is).
func DefaultGlobal() Policy {
	return Policy{
		Name: GlobalName, E2EE: Disabled,
		AllowRecording: true, AllowCaptions: true, RetentionDays: DefaultRetentionDays,
		AllowTransfer: true, AllowPark: true,
		Description: "Org-wide default",
	}
}
