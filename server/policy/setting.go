package policy

import (
	"fmt"
	"strings"
)

// E2EE is a policy's end-to-end encryption setting. The zero value is
// Disabled, the safe default of every new policy.
type E2EE uint8

const (
	// Disabled: users may not make end-to-end encrypted calls; the app's
	// switch is greyed out.
	Disabled E2EE = iota
	// UserCanEnable: users may turn end-to-end encrypted calls on in
	// Settings (Teams calls it DisabledUserOverride).
	UserCanEnable
)

// String returns the canonical name, "Disabled" or "UserCanEnable".
func (e E2EE) String() string {
	switch e {
	case Disabled:
		return "Disabled"
	case UserCanEnable:
		return "UserCanEnable"
	}
	return fmt.Sprintf("E2EE(%d)", uint8(e))
}

// Valid reports whether e is one of the defined settings.
func (e E2EE) Valid() bool { return e == Disabled || e == UserCanEnable }

// Allows reports whether users under this setting may enable E2EE calls.
func (e E2EE) Allows() bool { return e == UserCanEnable }

// ParseE2EE accepts the canonical names case-insensitively, and Teams'
// "DisabledUserOverride" for UserCanEnable so admins can reuse their habits.
func ParseE2EE(s string) (E2EE, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "disabled":
		return Disabled, nil
	case "usercanenable", "disableduseroverride":
		return UserCanEnable, nil
	}
	return 0, fmt.Errorf("%w: e2ee setting %q (want Disabled or UserCanEnable)", ErrInvalid, s)
}

// MarshalText encodes the canonical name, so JSON carries "Disabled" rather
// than a number.
func (e E2EE) MarshalText() ([]byte, error) {
	if !e.Valid() {
		return nil, fmt.Errorf("%w: e2ee setting %d", ErrInvalid, uint8(e))
	}
	return []byte(e.String()), nil
}

// UnmarshalText is ParseE2EE.
func (e *E2EE) UnmarshalText(b []byte) error {
	v, err := ParseE2EE(string(b))
	if err != nil {
		return err
	}
	*e = v
	return nil
}
