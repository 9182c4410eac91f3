package policy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
)

// Config configures a Service.
type Config struct {
	// Store persists the configuration. Required.
	Store Store
	// Notifier receives pushes; SetNotifier may set it later, because the
	// signaling server that implements it is often built after the
	// Service. Default: nobody is told.
	Notifier Notifier
	// Shared says other server nodes change the same policies and push
	// them too: what this node last pushed to a user may be stale, so a
	// change pushes to every online user it concerns, not only to those
	// whose policy differs from the last push seen here.
	Shared bool
	// Logger. Default: discarded.
	Logger *slog.Logger
}

// Validate reports a missing Store.
func (c Config) Validate() error {
	if c.Store == nil {
		return fmt.Errorf("%w: config: Store is required", ErrInvalid)
	}
	return nil
}

// Service is the policy API the admin surfaces use: it validates input,
// writes through the Store and, after every change, pushes the new
// effective policy to each signed-in user whose policy it altered.
type Service struct {
	store Store
	log   *slog.Logger

	// mu serializes changes with their pushes and with sign-in pushes, so
	// that a client's last push always reflects the latest committed
	// configuration.
	mu       sync.Mutex
	notifier Notifier
	last     map[string]Effective // last policy pushed per user
	shared   bool
}

// NewService builds a Service.
func NewService(cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Notifier == nil {
		cfg.Notifier = noNotifier{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{store: cfg.Store, log: cfg.Logger, notifier: cfg.Notifier, last: map[string]Effective{}, shared: cfg.Shared}, nil
}

// SetNotifier replaces the notifier (nil: nobody is told).
func (s *Service) SetNotifier(n Notifier) {
	if n == nil {
		n = noNotifier{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notifier = n
	clear(s.last)
}

// Store returns the underlying store, for read-only listings.
func (s *Service) Store() Store { return s.store }

// change runs fn under the lock and then pushes to every online user whose
// effective policy differs from what they were last sent.
func (s *Service) change(ctx context.Context, what string, fn func() error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := fn(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	online := s.notifier.Online()
	if len(online) == 0 {
		return nil
	}
	st, err := s.store.State(ctx, online)
	if err != nil {
		// The change is committed; clients catch up at their next sign-in.
		s.log.Error("policy push skipped", "change", what, "err", err)
		return nil
	}
	for _, u := range online {
		e := st.Effective(u)
		if last, ok := s.last[u]; ok && last.Same(e) && !s.shared {
			continue
		}
		s.last[u] = e
		s.notifier.PushPolicy(u, e)
	}
	return nil
}

// SignedIn pushes userID's effective policy to their clients; the server
// calls it once a new connection is welcomed.
func (s *Service) SignedIn(ctx context.Context, userID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.store.State(ctx, []string{userID})
	if err != nil {
		return fmt.Errorf("policy at sign-in of %q: %w", userID, err)
	}
	e := st.Effective(userID)
	s.last[userID] = e
	s.notifier.PushPolicy(userID, e)
	return nil
}

// Effective resolves userID's policy and the reason.
func (s *Service) Effective(ctx context.Context, userID string) (Effective, error) {
	if err := UserTarget(userID).Validate(); err != nil {
		return Effective{}, err
	}
	st, err := s.store.State(ctx, []string{userID})
	if err != nil {
		return Effective{}, fmt.Errorf("effective policy of %q: %w", userID, err)
	}
	return st.Effective(userID), nil
}

// CreatePolicy adds a custom policy. New policies are granted to nobody, so
// no push follows.
func (s *Service) CreatePolicy(ctx context.Context, p Policy) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if err := s.store.CreatePolicy(ctx, p); err != nil {
		return fmt.Errorf("create policy: %w", err)
	}
	return nil
}

// UpdatePolicy changes a policy's setting and description.
func (s *Service) UpdatePolicy(ctx context.Context, p Policy) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.change(ctx, "update policy", func() error { return s.store.UpdatePolicy(ctx, p) })
}

// DeletePolicy removes an ungranted custom policy.
func (s *Service) DeletePolicy(ctx context.Context, name string) error {
	if name == GlobalName {
		return ErrGlobal
	}
	if err := ValidateName("policy", name); err != nil {
		return err
	}
	if err := s.store.DeletePolicy(ctx, name); err != nil {
		return fmt.Errorf("delete policy: %w", err)
	}
	return nil
}

// CreateGroup adds an empty group.
func (s *Service) CreateGroup(ctx context.Context, g Group) error {
	if err := g.Validate(); err != nil {
		return err
	}
	if err := s.store.CreateGroup(ctx, g); err != nil {
		return fmt.Errorf("create group: %w", err)
	}
	return nil
}

// DeleteGroup removes a group, its memberships and its grant.
func (s *Service) DeleteGroup(ctx context.Context, name string) error {
	if err := ValidateName("group", name); err != nil {
		return err
	}
	return s.change(ctx, "delete group", func() error { return s.store.DeleteGroup(ctx, name) })
}

// SetRank changes a group's rank.
func (s *Service) SetRank(ctx context.Context, group string, rank int) error {
	if err := ValidateName("group", group); err != nil {
		return err
	}
	if err := ValidateRank(rank); err != nil {
		return err
	}
	return s.change(ctx, "set rank", func() error { return s.store.SetRank(ctx, group, rank) })
}

// AddMember puts user in group. The caller checks that the user exists.
func (s *Service) AddMember(ctx context.Context, group, user string) error {
	if err := errors.Join(ValidateName("group", group), UserTarget(user).Validate()); err != nil {
		return err
	}
	return s.change(ctx, "add member", func() error { return s.store.AddMember(ctx, group, user) })
}

// RemoveMember takes user out of group.
func (s *Service) RemoveMember(ctx context.Context, group, user string) error {
	if err := errors.Join(ValidateName("group", group), UserTarget(user).Validate()); err != nil {
		return err
	}
	return s.change(ctx, "remove member", func() error { return s.store.RemoveMember(ctx, group, user) })
}

// Grant assigns a policy to a target, replacing the target's previous
// grant. For user targets the caller checks that the user exists.
func (s *Service) Grant(ctx context.Context, g Grant) error {
	if err := errors.Join(g.Target.Validate(), ValidateName("policy", g.Policy)); err != nil {
		return err
	}
	return s.change(ctx, "grant", func() error { return s.store.Grant(ctx, g) })
}

// Revoke removes the grant of a target.
func (s *Service) Revoke(ctx context.Context, t Target) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return s.change(ctx, "revoke", func() error { return s.store.Revoke(ctx, t) })
}
