// Package policy is the organization server's end-to-end encryption policy
// domain, modelled on Microsoft Teams' enhanced encryption policies: named
// policies with an E2EE setting, groups with a rank, grants of a policy to
// the tenant, a group or a user, and the resolution of a user's effective
// policy together with the reason it won.
//
// # Precedence
//
// A user's effective policy is, from strongest to weakest:
//
//  1. the policy granted directly to the user;
//  2. the policy granted to one of the user's groups — among several, the
//     group with the lowest rank number wins (rank 1 beats rank 2); equal
//     ranks are broken by the group name in byte order, so the result never
//     depends on storage order;
//  3. the policy granted to the tenant (the organization);
//  4. the Global policy, which always exists and cannot be deleted.
//
// Groups without a grant do not take part: a user in groups A (rank 1, no
// grant) and B (rank 2, granted "Pilot") gets "Pilot".
//
// Resolution (State.Effective) is pure; Service adds persistence through a
// Store and pushes a user's new effective policy to their signed-in clients
// whenever a change alters it, through a Notifier.
//
// The admin surfaces that drive it are described in ../../docs/admin.md; the
// product brief is ../../../shared/DESIGN.md ("Policy").
package policy
