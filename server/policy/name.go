package policy

import (
	"fmt"
	"strings"
)

// MaxNameLen bounds policy and group names.
const MaxNameLen = 64

// ValidateName checks a policy or group name: 1 to MaxNameLen bytes of ASCII
// letters, digits, space, '-', '_' and '.', not starting or ending with a
// space. Names appear in URLs, CLI arguments and the portal, so the set is
// deliberately plain.
func ValidateName(kind, name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%w: %s name is empty", ErrInvalid, kind)
	case len(name) > MaxNameLen:
		return fmt.Errorf("%w: %s name longer than %d bytes", ErrInvalid, kind, MaxNameLen)
	case strings.TrimSpace(name) != name:
		return fmt.Errorf("%w: %s name %q starts or ends with a space", ErrInvalid, kind, name)
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == ' ' || r == '-' || r == '_' || r == '.'
		if !ok {
			return fmt.Errorf("%w: %s name %q: character %q not allowed (letters, digits, space, - _ .)",
				ErrInvalid, kind, name, r)
		}
	}
	return nil
}
