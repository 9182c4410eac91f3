package policy

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
)

// MemStore is a Store in memory, for an organization that needs no
// persistence (tests, a throwaway local organization).
type MemStore struct {
	mu       sync.Mutex
	policies map[string]Policy
	groups   map[string]Group
	members  map[string]map[string]bool // group → set of users
	grants   map[Target]string
}

// NewMemStore returns a store holding only the default Global policy.
func NewMemStore() *MemStore {
	return &MemStore{
		policies: map[string]Policy{GlobalName: DefaultGlobal()},
		groups:   map[string]Group{},
		members:  map[string]map[string]bool{},
		grants:   map[Target]string{},
	}
}

var _ Store = (*MemStore)(nil)

// Policies implements Store.
func (m *MemStore) Policies(context.Context) ([]Policy, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Policy, 0, len(m.policies))
	for _, p := range m.policies {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Policy implements Store.
func (m *MemStore) Policy(_ context.Context, name string) (Policy, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.policies[name]
	if !ok {
		return Policy{}, fmt.Errorf("policy %q: %w", name, ErrNotFound)
	}
	return p, nil
}

// CreatePolicy implements Store.
func (m *MemStore) CreatePolicy(_ context.Context, p Policy) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.policies[p.Name]; ok {
		return fmt.Errorf("policy %q: %w", p.Name, ErrExists)
	}
	m.policies[p.Name] = p
	return nil
}

// UpdatePolicy implements Store.
func (m *MemStore) UpdatePolicy(_ context.Context, p Policy) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.policies[p.Name]; !ok {
		return fmt.Errorf("policy %q: %w", p.Name, ErrNotFound)
	}
	m.policies[p.Name] = p
	return nil
}

// DeletePolicy implements Store.
func (m *MemStore) DeletePolicy(_ context.Context, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if name == GlobalName {
		return ErrGlobal
	}
	if _, ok := m.policies[name]; !ok {
		return fmt.Errorf("policy %q: %w", name, ErrNotFound)
	}
	for _, p := range m.grants {
		if p == name {
			return fmt.Errorf("policy %q: %w", name, ErrInUse)
		}
	}
	delete(m.policies, name)
	return nil
}

func (m *MemStore) groupLocked(name string) (Group, error) {
	g, ok := m.groups[name]
	if !ok {
		return Group{}, fmt.Errorf("group %q: %w", name, ErrNotFound)
	}
	g.Members = len(m.members[name])
	return g, nil
}

// Groups implements Store.
func (m *MemStore) Groups(context.Context) ([]Group, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Group, 0, len(m.groups))
	for name := range m.groups {
		g, _ := m.groupLocked(name)
		out = append(out, g)
	}
	sortGroups(out)
	return out, nil
}

func sortGroups(gs []Group) {
	sort.Slice(gs, func(i, j int) bool { return gs[i].outranks(gs[j]) })
}

// Group implements Store.
func (m *MemStore) Group(_ context.Context, name string) (Group, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.groupLocked(name)
}

// CreateGroup implements Store.
func (m *MemStore) CreateGroup(_ context.Context, g Group) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.groups[g.Name]; ok {
		return fmt.Errorf("group %q: %w", g.Name, ErrExists)
	}
	g.Members = 0
	m.groups[g.Name] = g
	m.members[g.Name] = map[string]bool{}
	return nil
}

// DeleteGroup implements Store.
func (m *MemStore) DeleteGroup(_ context.Context, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.groups[name]; !ok {
		return fmt.Errorf("group %q: %w", name, ErrNotFound)
	}
	delete(m.groups, name)
	delete(m.members, name)
	delete(m.grants, GroupTarget(name))
	return nil
}

// SetRank implements Store.
func (m *MemStore) SetRank(_ context.Context, name string, rank int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	g, ok := m.groups[name]
	if !ok {
		return fmt.Errorf("group %q: %w", name, ErrNotFound)
	}
	g.Rank = rank
	m.groups[name] = g
	return nil
}

// Members implements Store.
func (m *MemStore) Members(_ context.Context, group string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	set, ok := m.members[group]
	if !ok {
		return nil, fmt.Errorf("group %q: %w", group, ErrNotFound)
	}
	out := make([]string, 0, len(set))
	for u := range set {
		out = append(out, u)
	}
	slices.Sort(out)
	return out, nil
}

// AddMember implements Store.
func (m *MemStore) AddMember(_ context.Context, group, user string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	set, ok := m.members[group]
	if !ok {
		return fmt.Errorf("group %q: %w", group, ErrNotFound)
	}
	set[user] = true
	return nil
}

// RemoveMember implements Store.
func (m *MemStore) RemoveMember(_ context.Context, group, user string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	set, ok := m.members[group]
	if !ok {
		return fmt.Errorf("group %q: %w", group, ErrNotFound)
	}
	if !set[user] {
		return fmt.Errorf("user %q in group %q: %w", user, group, ErrNotFound)
	}
	delete(set, user)
	return nil
}

// GroupsOf implements Store.
func (m *MemStore) GroupsOf(_ context.Context, user string) ([]Group, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Group
	for name, set := range m.members {
		if set[user] {
			g, _ := m.groupLocked(name)
			out = append(out, g)
		}
	}
	sortGroups(out)
	return out, nil
}

// Grants implements Store.
func (m *MemStore) Grants(context.Context) ([]Grant, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Grant, 0, len(m.grants))
	for t, p := range m.grants {
		out = append(out, Grant{Target: t, Policy: p})
	}
	SortGrants(out)
	return out, nil
}

// SortGrants orders grants tenant first, then groups, then users, each by id.
func SortGrants(gs []Grant) {
	sort.Slice(gs, func(i, j int) bool {
		a, b := gs[i].Target, gs[j].Target
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.ID < b.ID
	})
}

// Grant implements Store.
func (m *MemStore) Grant(_ context.Context, g Grant) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.policies[g.Policy]; !ok {
		return fmt.Errorf("policy %q: %w", g.Policy, ErrNotFound)
	}
	if g.Target.Kind == TargetGroup {
		if _, ok := m.groups[g.Target.ID]; !ok {
			return fmt.Errorf("group %q: %w", g.Target.ID, ErrNotFound)
		}
	}
	m.grants[g.Target] = g.Policy
	return nil
}

// Revoke implements Store.
func (m *MemStore) Revoke(_ context.Context, t Target) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.grants[t]; !ok {
		return fmt.Errorf("grant to %s: %w", t, ErrNotFound)
	}
	delete(m.grants, t)
	return nil
}

// State implements Store.
func (m *MemStore) State(_ context.Context, users []string) (*State, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := &State{
		Policies: make(map[string]Policy, len(m.policies)),
		Groups:   make(map[string]Group, len(m.groups)),
		Grants:   make(map[Target]string, len(m.grants)),
		Member:   make(map[string][]string, len(users)),
	}
	for k, v := range m.policies {
		s.Policies[k] = v
	}
	for k, v := range m.groups {
		s.Groups[k] = v
	}
	for k, v := range m.grants {
		s.Grants[k] = v
	}
	for _, u := range users {
		for g, set := range m.members {
			if set[u] {
				s.Member[u] = append(s.Member[u], g)
			}
		}
	}
	return s, nil
}
