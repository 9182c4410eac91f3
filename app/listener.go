package app

// Listener receives the Client's state as it changes. Methods are called
// from the Client's own goroutine, one at a time and in order; a UI must hop
// to its own thread (fyne.Do) and must not block.
type Listener interface {
	// Connected reports the link to the server: err is nil when signed in,
	// otherwise why the link is down.
	Connected(me Contact, err error)
	ContactsChanged(contacts []Contact)
	CallChanged(call CallInfo)
	// PolicyChanged reports the user's effective E2EE policy: at sign-in
	// and whenever an admin changes anything that affects it.
	PolicyChanged(p Policy)
	// Notice tells the user something happened that needs no action, such
	// as a sound device unplugged and replaced mid-call.
	Notice(text string)
	// ChatChanged reports a conversation after any change: a message
	// typed, acknowledged, failed or received (mine from another device
	// too), history loaded, or its unread count reset.
	ChatChanged(c Conversation)
	// CallHistoryChanged reports a call of mine that ended (on any of my
	// devices: the server pushes its history record) or a new count of
	// missed calls not yet seen (also after sign-in, for calls missed
	// while offline, and after MarkCallsSeen).
	CallHistoryChanged(u CallHistoryUpdate)
}

// CallElsewhereListener is a Listener that also hears whether this user
// has a call on another of their devices while this one has none (the
// user's own presence says "in a call"): the home screen then offers
// "Move to this device" and "Add this device". Optional: the Client
// tells a Listener that implements it.
type CallElsewhereListener interface {
	CallElsewhere(on bool)
}
