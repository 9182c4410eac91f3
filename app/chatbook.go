package app

import (
	"slices"
	"sort"
	"sync"
)

// maxConversation bounds the messages kept in memory per conversation;
// older ones are dropped (history paging fetches them again).
const maxConversation = 2000

// chatBook holds every conversation of one signed-in user. It outlives a
// server link: the Softphone's reconnecting Clients share it (through
// Config.book), so nothing typed is lost while the app runs. It has its own
// lock because the UI adds messages even while no Client is running; every
// change is reported, in order, under that lock.
type chatBook struct {
	me     string
	notify func(Conversation) // must not block (Listener rule)

	mu       sync.Mutex
	convs    map[string]*conversation
	open     string          // the conversation on screen: its messages are read
	inFlight map[string]bool // local ids sent on the current link, not yet answered
	status   Presence        // chosen by the user; sent again on every link
}

type conversation struct {
	msgs   []ChatMessage // stored by id, then unsent in typing order
	unread int
	// next is the history cursor ("" = newest page not fetched yet) and
	// more whether the server may hold older messages.
	next    string
	more    bool
	fetched bool
	// marked is the read mark this link last sent (chat-read); "" none.
	marked string
}

func newChatBook(me string, notify func(Conversation)) *chatBook {
	return &chatBook{me: me, notify: notify, convs: map[string]*conversation{},
		inFlight: map[string]bool{}, status: PresenceOnline}
}

func (b *chatBook) conv(peer string) *conversation {
	c := b.convs[peer]
	if c == nil {
		c = &conversation{more: true}
		b.convs[peer] = c
	}
	return c
}

// emitLocked sorts peer's conversation and reports a snapshot of it.
func (b *chatBook) emitLocked(peer string) {
	c := b.conv(peer)
	sort.SliceStable(c.msgs, func(i, j int) bool {
		x, y := c.msgs[i], c.msgs[j]
		switch {
		case x.ID != "" && y.ID != "":
			return idLess(x.ID, y.ID)
		case x.ID != "":
			return true
		}
		return false
	})
	if n := len(c.msgs) - maxConversation; n > 0 {
		c.msgs = slices.Delete(c.msgs, 0, n)
		c.next, c.more, c.fetched = c.msgs[0].ID, true, true
	}
	b.notify(Conversation{Peer: peer, Messages: slices.Clone(c.msgs), Unread: c.unread, MoreHistory: c.more})
}

// find returns the conversation and index of the message with local id.
func (b *chatBook) findLocked(localID string) (string, int) {
	for peer, c := range b.convs {
		for i, m := range c.msgs {
			if m.LocalID == localID {
				return peer, i
			}
		}
	}
	return "", -1
}

// add records a message I typed, pending.
func (b *chatBook) add(m ChatMessage) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c := b.conv(m.To)
	c.msgs = append(c.msgs, m)
	b.emitLocked(m.To)
}

// toSend returns the pending messages not yet sent on this link and marks
// them in flight.
func (b *chatBook) toSend() []ChatMessage {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []ChatMessage
	for _, c := range b.convs {
		for _, m := range c.msgs {
			if m.State == ChatPending && !b.inFlight[m.LocalID] {
				b.inFlight[m.LocalID] = true
				out = append(out, m)
			}
		}
	}
	// Typing order across conversations does not matter to the server,
	// but a stable order keeps the wire predictable.
	sort.Slice(out, func(i, j int) bool { return out[i].Sent.Before(out[j].Sent) })
	return out
}

// update applies f to the message with local id and reports the change;
// false when there is no such message.
func (b *chatBook) update(localID string, f func(*ChatMessage)) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	peer, i := b.findLocked(localID)
	if i < 0 {
		return false
	}
	m := &b.convs[peer].msgs[i]
	f(m)
	if m.State != ChatPending { // answered: a retry must go out again
		delete(b.inFlight, localID)
	}
	b.emitLocked(peer)
	return true
}

// linkDown fails everything still waiting: the link that carried it is
// gone. linkUp will send those messages again.
func (b *chatBook) linkDown() {
	b.mu.Lock()
	defer b.mu.Unlock()
	clear(b.inFlight)
	for peer, c := range b.convs {
		c.marked = "" // a mark sent on the lost link may not have arrived
		changed := false
		for i := range c.msgs {
			if c.msgs[i].State == ChatPending {
				c.msgs[i].State, c.msgs[i].Problem = ChatFailed, problemNoLink
				changed = true
			}
		}
		if changed {
			b.emitLocked(peer)
		}
	}
}

// problemNoLink marks messages that failed only because the link dropped:
// they are retried by themselves when it is back.
const problemNoLink = "No connection to the server"

// linkUp makes the messages that failed for want of a link pending again.
func (b *chatBook) linkUp() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for peer, c := range b.convs {
		changed := false
		for i := range c.msgs {
			if c.msgs[i].State == ChatFailed && c.msgs[i].Problem == problemNoLink {
				c.msgs[i].State, c.msgs[i].Problem = ChatPending, ""
				changed = true
			}
		}
		if changed {
			b.emitLocked(peer)
		}
	}
}

// received records a message from the server: someone's message to me, or
// a copy of one I sent from another device. It reports whether the unread
// count changed.
func (b *chatBook) received(m ChatMessage) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	peer := m.Peer()
	c := b.conv(peer)
	if slices.ContainsFunc(c.msgs, func(x ChatMessage) bool { return x.ID == m.ID }) {
		return false
	}
	c.msgs = append(c.msgs, m)
	counted := !m.Mine && b.open != peer
	if counted {
		c.unread++
	}
	b.emitLocked(peer)
	return counted
}

// merge adds a page of history (newest first, as the server sends it);
// next is the cursor for the page before it, "" when there is none.
func (b *chatBook) merge(peer string, page []ChatMessage, next string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c := b.conv(peer)
	have := make(map[string]bool, len(c.msgs))
	for _, m := range c.msgs {
		if m.ID != "" {
			have[m.ID] = true
		}
	}
	for _, m := range page {
		if !have[m.ID] {
			c.msgs = append(c.msgs, m)
		}
	}
	// A later fetch of the newest page must not move a cursor that paging
	// has already taken further back.
	if !c.fetched || next == "" || (c.next != "" && idLess(next, c.next)) {
		c.next = next
	}
	c.fetched = true
	c.more = c.next != ""
	b.emitLocked(peer)
}

// cursor is where the next older page of peer's history starts; "" for
// the newest page.
func (b *chatBook) cursor(peer string) (before string, more bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c := b.conv(peer)
	return c.next, c.more
}

// setOpen marks peer's conversation as the one on screen ("" for none):
// its messages count as read.
func (b *chatBook) setOpen(peer string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.open = peer
	if peer == "" {
		return
	}
	b.conv(peer).unread = 0
	b.emitLocked(peer)
}

// snapshot returns peer's conversation.
func (b *chatBook) snapshot(peer string) Conversation {
	b.mu.Lock()
	defer b.mu.Unlock()
	c := b.conv(peer)
	return Conversation{Peer: peer, Messages: slices.Clone(c.msgs), Unread: c.unread, MoreHistory: c.more}
}

// unread returns the unread count per peer, leaving out zeros.
func (b *chatBook) unread() map[string]int {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := map[string]int{}
	for peer, c := range b.convs {
		if c.unread > 0 {
			out[peer] = c.unread
		}
	}
	return out
}

func (b *chatBook) chosenStatus() Presence {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.status
}

func (b *chatBook) setStatus(p Presence) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.status = p
}
