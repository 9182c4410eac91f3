// Package admin is the organization server's administration surface: a JSON
// API under /api/admin/ (used by parleyctl) and a server-rendered web portal
// under /admin/ (the "Teams Admin Center" of Parley) for users, groups and
// enhanced encryption policies.
//
// Every route requires a signed-in administrator: no or a bad session gives
// 401, a session of a non-admin 403. The API takes the session token as a
// bearer token; the portal keeps it in an HttpOnly, SameSite=Strict cookie
// and protects every POST twice, with a per-session CSRF token in the form
// and with net/http's cross-origin protection (Sec-Fetch-Site / Origin).
//
// Routes, request and response shapes and the portal's pages are described
// in ../../docs/admin.md; the policy rules in package policy.
package admin
