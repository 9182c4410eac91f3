package policy

import (
	"fmt"
	"unicode/utf8"
)

// GlobalName is the name of the org-wide default policy that always exists.
const GlobalName = "Global"

// MaxDescriptionLen bounds a policy's description.
const MaxDescriptionLen = 512

// Policy is a named E2EE policy.
type Policy struct {
	Name        string `json:"name"`
	E2EE        E2EE   `json:"e2ee"`
	Description string `json:"description,omitempty"`
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
	if len(p.Description) > MaxDescriptionLen || !utf8.ValidString(p.Description) {
		return fmt.Errorf("%w: policy %q: description must be UTF-8 of at most %d bytes",
			ErrInvalid, p.Name, MaxDescriptionLen)
	}
	return nil
}

// DefaultGlobal is the Global policy of a new organization: E2EE disabled.
func DefaultGlobal() Policy {
	return Policy{Name: GlobalName, E2EE: Disabled, Description: "Org-wide default"}
}
