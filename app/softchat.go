package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
)

// SendChat sends a 1:1 message to the contact with id to.
func (s *Softphone) SendChat(to, text string) {
	s.withClient(func(c *Client) { c.SendChat(to, text) })
}

// SendCallChat sends text to the other party of the current call.
func (s *Softphone) SendCallChat(text string) error {
	c := s.client.Load()
	if c == nil {
		return ErrClosed
	}
	return c.SendCallChat(text)
}

// RetryChat sends a failed message again.
func (s *Softphone) RetryChat(localID string) {
	s.withClient(func(c *Client) { c.RetryChat(localID) })
}

// OpenChat shows the conversation with peer: its unread count resets and
// the newest page of history is fetched in the background (merged with
// what this run has seen, so messages missed while offline appear).
func (s *Softphone) OpenChat(peer string) {
	s.withClient(func(c *Client) { c.OpenChat(peer) })
	go s.loadHistory(peer, false)
}

// CloseChat leaves the conversation on screen.
func (s *Softphone) CloseChat() { s.withClient(func(c *Client) { c.OpenChat("") }) }

// LoadEarlierChat fetches the page of history before the oldest message
// shown, in the background.
func (s *Softphone) LoadEarlierChat(peer string) { go s.loadHistory(peer, true) }

// Conversation returns the chat with peer as it stands.
func (s *Softphone) Conversation(peer string) Conversation {
	if c := s.client.Load(); c != nil {
		return c.Conversation(peer)
	}
	return Conversation{Peer: peer}
}

func (s *Softphone) loadHistory(peer string, earlier bool) {
	ctx, cancel := context.WithTimeout(context.Background(), apiTimeout)
	defer cancel()
	if err := s.LoadHistory(ctx, peer, earlier); err != nil && !errors.Is(err, ErrNoDirectory) {
		s.log.Warn("chat history", "peer", peer, "err", err)
	}
}

// LoadHistory fetches a page of the conversation with peer from the
// server and merges it: the newest page, or with earlier the page before
// the oldest message fetched so far. ErrNoDirectory without a session.
func (s *Softphone) LoadHistory(ctx context.Context, peer string, earlier bool) error {
	c := s.client.Load()
	if c == nil {
		return ErrClosed
	}
	before := ""
	if earlier {
		var more bool
		if before, more = c.book.cursor(peer); !more {
			return nil
		}
	}
	api, token, err := s.apiSession(ctx)
	if err != nil {
		return err
	}
	page, next, err := api.history(ctx, token, c.Me().ID, peer, before)
	if err != nil {
		return err
	}
	c.book.merge(peer, page, next)
	return nil
}

// SearchDirectory lists the organization's people matching query (all
// of them for ""), in the background; the result arrives as
// ContactsChanged.
func (s *Softphone) SearchDirectory(query string) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), apiTimeout)
		defer cancel()
		if err := s.Search(ctx, query); err != nil {
			s.log.Warn("directory", "err", err)
		}
	}()
}

// Search is SearchDirectory, waiting for the answer. Without a session
// for the HTTP API the live list is filtered instead.
func (s *Softphone) Search(ctx context.Context, query string) error {
	c := s.client.Load()
	if c == nil {
		return ErrClosed
	}
	if len(query) > maxQuery {
		query = query[:maxQuery]
	}
	api, token, err := s.apiSession(ctx)
	if errors.Is(err, ErrNoDirectory) {
		c.FilterContacts(query)
		return nil
	}
	if err != nil {
		return err
	}
	list, err := api.users(ctx, token, query)
	if err != nil {
		return err
	}
	c.SetDirectory(query, list)
	return nil
}

// SetStatus sets the presence others see: available, busy or away.
func (s *Softphone) SetStatus(p Presence) {
	s.withClient(func(c *Client) { c.SetStatus(p) })
}

// Status is the presence the user chose.
func (s *Softphone) Status() Presence {
	if c := s.client.Load(); c != nil {
		return c.book.chosenStatus()
	}
	return PresenceOnline
}

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
