package accounts

import (
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// User is a person in the organization. ID is the sign-in name and the
// identity used in signaling.
type User struct {
	ID          string    `json:"id"`
	DisplayName string    `json:"display_name"`
	Email       string    `json:"email,omitempty"`
	Enabled     bool      `json:"enabled"`
	Admin       bool      `json:"admin"`
	CreatedAt   time.Time `json:"created_at"`
}

// NewUser is what CreateUser needs.
type NewUser struct {
	ID          string
	DisplayName string // defaults to ID
	Email       string
	Password    string
	Admin       bool
}

// userID: lowercase, starts with a letter or digit, at most 64 bytes (the
// signaling id limit), no characters that look alike in logs.
var userID = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

const maxDisplayName = 128

// ValidID reports whether id is an acceptable user id.
func ValidID(id string) bool { return userID.MatchString(id) }

func (n *NewUser) normalize() error {
	n.ID = strings.ToLower(strings.TrimSpace(n.ID))
	n.DisplayName = strings.TrimSpace(n.DisplayName)
	n.Email = strings.ToLower(strings.TrimSpace(n.Email))
	if !ValidID(n.ID) {
		return fmt.Errorf("%w: id %q must be 1-64 of a-z 0-9 . _ -", ErrInvalidUser, n.ID)
	}
	if n.DisplayName == "" {
		n.DisplayName = n.ID
	}
	if err := validDisplayName(n.DisplayName); err != nil {
		return err
	}
	if n.Email != "" {
		if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email || len(n.Email) > 254 {
			return fmt.Errorf("%w: email %q", ErrInvalidUser, n.Email)
		}
	}
	return checkPassword(n.Password)
}

func validDisplayName(s string) error {
	if len(s) > maxDisplayName || !utf8.ValidString(s) {
		return fmt.Errorf("%w: display name longer than %d bytes or not UTF-8", ErrInvalidUser, maxDisplayName)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Errorf("%w: display name has control characters", ErrInvalidUser)
		}
	}
	return nil
}

func checkPassword(p string) error {
	if len(p) < 8 || len(p) > 1024 {
		return ErrWeakPassword
	}
	return nil
}
