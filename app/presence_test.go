package app

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/signaling"
)

// recordSubscribes keeps the presence subscriptions a link sends.
type recordSubscribes struct {
	SignalConn
	mu   *sync.Mutex
	sent *[][]string
}

func (r recordSubscribes) Send(ctx context.Context, m *signaling.Message) error {
	if m.Type == signaling.TypeSubscribe && !m.All {
		r.mu.Lock()
		*r.sent = append(*r.sent, slices.Clone(m.IDs))
		r.mu.Unlock()
	}
	return r.SignalConn.Send(ctx, m)
}

// The home screen's directory page is what the link watches (protocol 2):
// after a search the Client subscribes to exactly those people, and their
// presence changes reach the list as before.
func TestPresenceFollowsDirectoryPage(t *testing.T) {
	t.Parallel()
	o := startOrg(t, false)
	ctx := context.Background()
	for _, id := range []string{"alice", "bob", "carol"} {
		if _, err := o.Accounts.CreateUser(ctx, accounts.NewUser{ID: id, Password: "a long enough password"}); err != nil {
			t.Fatal(err)
		}
	}
	s, err := o.Accounts.OpenSession(ctx, "alice", "127.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var sent [][]string
	dial := func(ctx context.Context, url string, u signaling.User) (SignalConn, error) {
		c, err := signaling.Dial(ctx, url, u, signaling.WithToken(s.Token))
		if err != nil {
			return nil, err
		}
		return recordSubscribes{c, &mu, &sent}, nil
	}
	alice := startUser(t, o.Server.URL(), "alice", false, audio.Silence(), withDial(dial))
	carol, err := o.Accounts.OpenSession(ctx, "carol", "127.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	carolUser := startUser(t, o.Server.URL(), "carol", false, audio.Silence(), func(c *Config) { c.Token = carol.Token })

	alice.SetDirectory("", []Contact{{ID: "bob", Name: "Bob"}, {ID: "carol", Name: "Carol"}})
	alice.sees(t, "carol", PresenceOnline)
	mu.Lock()
	var last []string
	if len(sent) > 0 {
		last = sent[len(sent)-1]
	}
	mu.Unlock()
	// Herself too: her own presence says whether she is in a call on
	// another device (callElsewhere).
	if slices.Sort(last); !slices.Equal(last, []string{"alice", "bob", "carol"}) {
		t.Fatalf("subscribed to %v, want herself and the directory page [alice bob carol]", last)
	}
	carolUser.SetStatus(PresenceBusy)
	alice.sees(t, "carol", PresenceBusy)
}
