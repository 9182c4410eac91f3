package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
)

// apiSession returns the HTTP API and token of the signed-in organization.
// In the app's own local organization it opens a session for the user
// without a password (the person at this computer); someone who joined
// another app's local organization by name has none: ErrNoDirectory.
func (s *Softphone) apiSession(ctx context.Context) (orgAPI, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.api.base != nil {
		if tok := s.settings.Session(); tok != "" {
			return s.api, tok, nil
		}
		return orgAPI{}, "", ErrNoDirectory
	}
	if s.local == nil {
		return orgAPI{}, "", ErrNoDirectory
	}
	me, _ := s.settings.Identity()
	if s.localToken != "" {
		if u, err := s.local.SessionUser(ctx, s.localToken); err == nil && u == me {
			return s.localAPI(), s.localToken, nil
		}
	}
	// The user exists once the Client has been welcomed (the local
	// organization provisions people on first sight).
	tok, err := s.local.OpenSession(ctx, me)
	if errors.Is(err, fs.ErrNotExist) {
		return orgAPI{}, "", fmt.Errorf("%w: not signed in to the local organization yet", ErrNoDirectory)
	}
	if err != nil {
		return orgAPI{}, "", fmt.Errorf("local session: %w", err)
	}
	s.localToken = tok
	return s.localAPI(), tok, nil
}

func (s *Softphone) localAPI() orgAPI {
	base, _ := parseServerURL(s.local.BaseURL())
	return newOrgAPI(base, "")
}
