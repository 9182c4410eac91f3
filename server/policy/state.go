package policy

// State is the policy configuration that resolution needs: every policy,
// group and grant, and the group memberships of the users being resolved.
// A Store builds it; State.Effective reads it without I/O.
type State struct {
	Policies map[string]Policy   // by name
	Groups   map[string]Group    // by name
	Grants   map[Target]string   // target → policy name
	Member   map[string][]string // user id → names of the user's groups
}

// NewState returns an empty State holding only the default Global policy.
func NewState() *State {
	return &State{
		Policies: map[string]Policy{GlobalName: DefaultGlobal()},
		Groups:   map[string]Group{},
		Grants:   map[Target]string{},
		Member:   map[string][]string{},
	}
}

// grant returns the granted policy for t, if the grant exists and names an
// existing policy.
func (s *State) grant(t Target) (Policy, bool) {
	name, ok := s.Grants[t]
	if !ok {
		return Policy{}, false
	}
	p, ok := s.Policies[name]
	return p, ok
}

// Effective resolves userID's policy by the precedence in the package
// documentation. It always returns a policy: when even Global is missing
// (a store that was never initialised) it falls back to DefaultGlobal, so
// the answer errs on the side of E2EE disabled.
//
// Grants that name a missing policy or group are ignored; the stores
// prevent them with foreign keys, and ignoring them keeps a damaged
// configuration from granting more than it says.
func (s *State) Effective(userID string) Effective {
	if p, ok := s.grant(UserTarget(userID)); ok {
		return Effective{UserID: userID, Policy: p, Source: SourceUser}
	}
	var best Group
	var bestPolicy Policy
	found := false
	for _, name := range s.Member[userID] {
		g, ok := s.Groups[name]
		if !ok {
			continue
		}
		p, ok := s.grant(GroupTarget(name))
		if !ok {
			continue
		}
		if !found || g.outranks(best) {
			best, bestPolicy, found = g, p, true
		}
	}
	if found {
		return Effective{UserID: userID, Policy: bestPolicy, Source: SourceGroup, Group: best.Name, Rank: best.Rank}
	}
	if p, ok := s.grant(Tenant()); ok {
		return Effective{UserID: userID, Policy: p, Source: SourceTenant}
	}
	g, ok := s.Policies[GlobalName]
	if !ok {
		g = DefaultGlobal()
	}
	return Effective{UserID: userID, Policy: g, Source: SourceGlobal}
}
