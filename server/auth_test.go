package server

import (
	"errors"
	"testing"
)

// No deployment can run unauthenticated by forgetting an option: a server
// without an authenticator is refused at construction, and trusting
// claimed identities must be asked for by name.
func TestNewRefusesWithoutAuthenticator(t *testing.T) {
	t.Parallel()
	for name, opts := range map[string][]Option{
		"no options":         nil,
		"nil authenticator":  {WithAuthenticator(nil)},
		"only chat and more": {WithChat(nil)},
	} {
		s, err := New(Config{}, opts...)
		if !errors.Is(err, ErrNoAuthenticator) || s != nil {
			t.Errorf("%s: New = %v, %v; want ErrNoAuthenticator", name, s, err)
		}
	}
	if _, err := New(Config{}, WithTrustedClaims()); err != nil {
		t.Fatalf("New with WithTrustedClaims: %v", err)
	}
}
