package app

import (
	"sort"
	"strings"
)

// directory is the organization's people as the home screen lists them:
// the server's directory (everyone, offline too) for the current search,
// with presence taken from the live presence list (the ids subscribed to,
// presence.go). Without the HTTP API (a
// person who joined someone's local organization has no session token) it
// is the live list alone, filtered here. Owned by the Client goroutine;
// handed to the next Client on reconnect.
type directory struct {
	query   string
	loaded  bool
	entries []Contact // from GET /api/users?q=query
}

// SetDirectory replaces the directory with the server's answer to query.
func (c *Client) SetDirectory(query string, entries []Contact) {
	c.post(func() {
		c.dir.query, c.dir.loaded, c.dir.entries = query, true, entries
		c.subscribePresence()
		c.publishContacts()
	})
}

// FilterContacts narrows the live list to query when there is no server
// directory to search.
func (c *Client) FilterContacts(query string) {
	c.post(func() {
		wasLoaded := c.dir.loaded
		c.dir.query, c.dir.loaded, c.dir.entries = query, false, nil
		if wasLoaded || c.subRef == "" {
			c.subscribePresence()
		}
		c.publishContacts()
	})
}

// adopt takes over what prev kept across its link: conversations, unsent
// messages, the chosen status and the directory. prev must have stopped.
func (c *Client) adopt(prev *Client) {
	c.book, c.dir = prev.book, prev.dir
	c.guardWarned = prev.guardWarned
	c.missed, c.newestMissed = prev.missed, prev.newestMissed
	c.unseenMissed.Store(prev.unseenMissed.Load())
}

// publishContacts reports the merged list: directory entries (or live
// users) with live presence and unread counts, by name.
func (c *Client) publishContacts() {
	unread := c.book.unread()
	byID := map[string]Contact{}
	if c.dir.loaded {
		for _, e := range c.dir.entries {
			if e.ID == c.cfg.Me.ID {
				continue
			}
			e.Presence = PresenceOffline
			if live, ok := c.contacts[e.ID]; ok {
				e.Presence = live.Presence
			}
			byID[e.ID] = e
		}
	}
	// People the directory does not list yet (it was fetched before they
	// joined) or could not (no API), and anyone with unread messages.
	for id, live := range c.contacts {
		if _, ok := byID[id]; !ok && (c.dir.query == "" || matches(live, c.dir.query)) {
			byID[id] = live
		}
	}
	for id := range unread {
		if _, ok := byID[id]; !ok && id != c.cfg.Me.ID && matches(Contact{ID: id}, c.dir.query) {
			byID[id] = Contact{ID: id}
		}
	}
	list := make([]Contact, 0, len(byID))
	for id, ct := range byID {
		ct.Unread = unread[id]
		ct.Trust = c.cfg.Verified.Contact(c.cfg.Me.ID, id)
		list = append(list, ct)
	}
	// People who are signed in first, then by name: whom one can call now.
	sort.Slice(list, func(i, j int) bool {
		if oi, oj := list[i].Presence != PresenceOffline, list[j].Presence != PresenceOffline; oi != oj {
			return oi
		}
		a, b := strings.ToLower(list[i].Label()), strings.ToLower(list[j].Label())
		if a != b {
			return a < b
		}
		return list[i].ID < list[j].ID
	})
	c.cfg.Listener.ContactsChanged(list)
}

// matches is the server's rule for ?q=: a case-insensitive substring of id
// or name.
func matches(ct Contact, q string) bool {
	q = strings.ToLower(q)
	return strings.Contains(strings.ToLower(ct.ID), q) || strings.Contains(strings.ToLower(ct.Name), q)
}
