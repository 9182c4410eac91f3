package app

import (
	"context"
	"errors"
)

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
