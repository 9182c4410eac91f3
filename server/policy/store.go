package policy

import "context"

// Store persists the policy configuration. Implementations validate
// referential integrity (a grant names an existing policy and, for groups,
// an existing group) and report ErrNotFound, ErrExists, ErrInUse and
// ErrGlobal wrapped with context; Service validates values before calling.
// The Global policy exists from the store's creation.
type Store interface {
	Policies(ctx context.Context) ([]Policy, error) // sorted by name
	Policy(ctx context.Context, name string) (Policy, error)
	CreatePolicy(ctx context.Context, p Policy) error
	// UpdatePolicy replaces the setting and description of an existing
	// policy.
	UpdatePolicy(ctx context.Context, p Policy) error
	// DeletePolicy refuses Global (ErrGlobal) and granted policies
	// (ErrInUse).
	DeletePolicy(ctx context.Context, name string) error

	Groups(ctx context.Context) ([]Group, error) // by rank, then name; Members filled
	Group(ctx context.Context, name string) (Group, error)
	CreateGroup(ctx context.Context, g Group) error
	// DeleteGroup also drops the group's memberships and grant.
	DeleteGroup(ctx context.Context, name string) error
	SetRank(ctx context.Context, group string, rank int) error
	Members(ctx context.Context, group string) ([]string, error) // sorted
	// AddMember is idempotent; RemoveMember reports ErrNotFound for a
	// user who is not a member.
	AddMember(ctx context.Context, group, user string) error
	RemoveMember(ctx context.Context, group, user string) error
	// GroupsOf lists the groups user belongs to, by rank then name.
	GroupsOf(ctx context.Context, user string) ([]Group, error)

	Grants(ctx context.Context) ([]Grant, error) // tenant, then groups, then users; by id
	// Grant creates or replaces the grant for g.Target.
	Grant(ctx context.Context, g Grant) error
	// Revoke removes the grant for t; ErrNotFound when there is none.
	Revoke(ctx context.Context, t Target) error

	// State loads every policy, group and grant and the memberships of the
	// given users, for resolving their effective policies in one read.
	State(ctx context.Context, users []string) (*State, error)
}
