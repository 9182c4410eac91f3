package app

import (
	"fmt"

	"github.com/parley-voip/parley/signaling"
)

// Presence with signaling protocol 2: the server sends presence only for
// the ids a link subscribed to: the people on the home screen (the
// directory page and anyone with unread messages) and the call's peer.
// Without a directory (someone else's local organization) the link
// subscribes to everyone connected, which only such small servers allow.

// subscribePresence (re)subscribes this link to what the home screen
// shows; the server answers with a snapshot (presence with ref).
func (c *Client) subscribePresence() {
	if c.conn == nil {
		return
	}
	c.subSeq++
	c.subRef = fmt.Sprintf("subscribe-%d", c.subSeq)
	m := &signaling.Message{Type: signaling.TypeSubscribe, ID: c.subRef}
	if !c.dir.loaded {
		m.All = true
	} else {
		m.IDs = c.watchIDs()
	}
	c.send(m)
}

// watchIDs lists the ids to watch, at most signaling.MaxSubscribeIDs:
// the call's peer, people with unread messages, then the directory page.
func (c *Client) watchIDs() []string {
	// This user first: their own presence says whether they are in a
	// call on another device (callElsewhere).
	seen := map[string]bool{c.cfg.Me.ID: true}
	ids := []string{c.cfg.Me.ID}
	add := func(id string) {
		if id != "" && !seen[id] && len(ids) < signaling.MaxSubscribeIDs {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if c.call != nil {
		add(c.call.info.Peer.ID)
	}
	for id := range c.book.unread() {
		add(id)
	}
	for _, e := range c.dir.entries {
		add(e.ID)
	}
	return ids
}

// updatePresence applies a presence message: a snapshot (ref of my last
// subscribe) replaces the live list, anything else changes the users it
// names; offline users leave the list.
func (c *Client) updatePresence(m *signaling.Message) {
	if m.Ref != "" {
		if m.Ref != c.subRef {
			return // the answer to a subscription since replaced
		}
		clear(c.contacts)
	}
	for _, u := range m.Users {
		if u.ID == c.cfg.Me.ID {
			c.ownStatus = u.Status
			continue
		}
		if u.Status == signaling.StatusOffline {
			delete(c.contacts, u.ID)
			continue
		}
		c.contacts[u.ID] = Contact{ID: u.ID, Name: u.Name, Presence: presenceOf(u.Status)}
	}
	c.publishContacts()
	c.callElsewhere()
}

// callElsewhere tells the window whether this user is in a call on
// another device: their own presence says in-call and this device has no
// call under way.
func (c *Client) callElsewhere() {
	on := c.ownStatus == signaling.StatusInCall && !c.busy()
	if on == c.elsewhere {
		return
	}
	c.elsewhere = on
	if l, ok := c.cfg.Listener.(CallElsewhereListener); ok {
		l.CallElsewhere(on)
	}
}

// subscribeRefused reports whether m is the server refusing my last
// subscribe (an organization server refuses "everyone"; the directory
// search that follows sign-in subscribes to ids).
func (c *Client) subscribeRefused(m *signaling.Message) bool {
	if m.Error == nil || m.Error.Ref == "" || m.Error.Ref != c.subRef {
		return false
	}
	c.log.Debug("presence subscription refused", "code", m.Error.Code, "msg", m.Error.Message)
	return true
}
