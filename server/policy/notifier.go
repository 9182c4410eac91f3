package policy

// Notifier delivers effective policies to signed-in clients. The signaling
// server implements it: Online lists users with at least one live
// connection, PushPolicy sends a policy message to every connection of the
// user. PushPolicy must not block on the network (it is called with the
// Service's lock held).
type Notifier interface {
	Online() []string
	PushPolicy(userID string, e Effective)
}

// noNotifier is used when the Service has nobody to tell.
type noNotifier struct{}

func (noNotifier) Online() []string             { return nil }
func (noNotifier) PushPolicy(string, Effective) {}
