package app

import (
	"context"
	"errors"
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
	c.post(c.markOpenRead) // history of the open conversation is read
	return nil
}
