// Package accountstest holds the conformance tests every accounts.Store
// implementation must pass, so SQLStore behaves the same on SQLite and on
// PostgreSQL.
package accountstest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/conformance"
	"github.com/parley-voip/parley/server/accounts"
)

// TestStore runs the conformance suite; open returns a fresh, empty store
// for each subtest.
func TestStore(t *testing.T, open func(t *testing.T) accounts.Store) {
	t.Helper()
	type c = conformance.Case[accounts.Store]
	conformance.Run(t, open,
		c{Name: "CreateAndRead", Run: createAndRead},
		c{Name: "UniqueIDAndEmail", Run: uniqueIDAndEmail},
		c{Name: "UserByLogin", Run: userByLogin},
		c{Name: "ListUsers", Run: listUsers},
		c{Name: "Updates", Run: updates},
		c{Name: "Sessions", Run: sessions},
		c{Name: "DeleteSessions", Run: deleteSessions},
		c{Name: "Organization", Run: organization},
	)
}

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

var must, wantErr = conformance.Must, conformance.WantErr

func user(id, email string) accounts.User {
	return accounts.User{ID: id, DisplayName: "User " + id, Email: email, Enabled: true, CreatedAt: t0}
}

func create(t *testing.T, s accounts.Store, u accounts.User) {
	t.Helper()
	must(t, s.CreateUser(context.Background(), u, "hash-of-"+u.ID))
}

func createAndRead(t *testing.T, s accounts.Store) {
	ctx := context.Background()
	want := accounts.User{ID: "alice", DisplayName: "Alice Ærø", Email: "alice@example.org", Enabled: true, Admin: true, CreatedAt: t0}
	create(t, s, want)
	got, err := s.User(ctx, "alice")
	must(t, err)
	if got != want || got.CreatedAt.Location() != time.UTC {
		t.Fatalf("read back %+v, want %+v", got, want)
	}
	_, err = s.User(ctx, "nobody")
	wantErr(t, err, accounts.ErrNotFound)
}

func uniqueIDAndEmail(t *testing.T, s accounts.Store) {
	ctx := context.Background()
	create(t, s, user("bob", "bob@example.org"))
	wantErr(t, s.CreateUser(ctx, user("bob", "other@example.org"), "h"), accounts.ErrExists)
	wantErr(t, s.CreateUser(ctx, user("bob2", "bob@example.org"), "h"), accounts.ErrExists)
	// Users without an email do not collide on "".
	create(t, s, user("n1", ""))
	create(t, s, user("n2", ""))
}

func userByLogin(t *testing.T, s accounts.Store) {
	ctx := context.Background()
	create(t, s, user("carol", "carol@example.org"))
	create(t, s, user("noemail", ""))
	for _, login := range []string{"carol", "carol@example.org"} {
		u, hash, err := s.UserByLogin(ctx, login)
		must(t, err)
		if u.ID != "carol" || hash != "hash-of-carol" {
			t.Fatalf("UserByLogin(%q) = %+v, %q", login, u, hash)
		}
	}
	for _, login := range []string{"", "nobody", "carol@example"} {
		_, _, err := s.UserByLogin(ctx, login)
		wantErr(t, err, accounts.ErrNotFound)
	}
}

func ids(us []accounts.User) []string {
	out := []string{}
	for _, u := range us {
		out = append(out, u.ID)
	}
	return out
}

func listUsers(t *testing.T, s accounts.Store) {
	ctx := context.Background()
	for _, u := range []accounts.User{
		{ID: "dave", DisplayName: "Dave Jones", Email: "dave@example.org", Enabled: true, CreatedAt: t0},
		{ID: "erin", DisplayName: "Erin 100%", Email: "erin@example.org", Enabled: true, CreatedAt: t0},
		{ID: "a_b", DisplayName: "Underscore", Enabled: true, CreatedAt: t0},
		{ID: "a.b", DisplayName: "Dot", Enabled: true, CreatedAt: t0},
		{ID: "a-b", DisplayName: "Dash", Enabled: true, CreatedAt: t0},
		{ID: "axb", DisplayName: "Plain", Enabled: false, CreatedAt: t0},
	} {
		create(t, s, u)
	}
	tests := []struct {
		q    accounts.Query
		want []string
	}{
		{accounts.Query{}, []string{"a-b", "a.b", "a_b", "axb", "dave", "erin"}}, // byte order
		{accounts.Query{Search: "JONES"}, []string{"dave"}},                      // display name, any case
		{accounts.Query{Search: "erin@"}, []string{"erin"}},                      // email
		{accounts.Query{Search: "a_"}, []string{"a_b"}},                          // _ is not a wildcard
		{accounts.Query{Search: "100%"}, []string{"erin"}},                       // nor is %
		{accounts.Query{Search: `\`}, []string{}},                                // nor an escape
		{accounts.Query{EnabledOnly: true}, []string{"a-b", "a.b", "a_b", "dave", "erin"}},
		{accounts.Query{Limit: 2}, []string{"a-b", "a.b"}},
		{accounts.Query{Limit: 2, Offset: 4}, []string{"dave", "erin"}},
		{accounts.Query{Limit: accounts.MaxListLimit + 1, Offset: -1}, []string{"a-b", "a.b", "a_b", "axb", "dave", "erin"}},
	}
	for _, tc := range tests {
		got, err := s.ListUsers(ctx, tc.q)
		must(t, err)
		if !slices.Equal(ids(got), tc.want) {
			t.Errorf("ListUsers(%+v) = %v, want %v", tc.q, ids(got), tc.want)
		}
	}
}

func updates(t *testing.T, s accounts.Store) {
	ctx := context.Background()
	create(t, s, user("frank", ""))
	must(t, s.SetEnabled(ctx, "frank", false))
	must(t, s.SetAdmin(ctx, "frank", true))
	must(t, s.SetDisplayName(ctx, "frank", "Frank F."))
	must(t, s.SetPasswordHash(ctx, "frank", "new-hash"))
	u, hash, err := s.UserByLogin(ctx, "frank")
	must(t, err)
	if u.Enabled || !u.Admin || u.DisplayName != "Frank F." || hash != "new-hash" {
		t.Fatalf("after updates: %+v, %q", u, hash)
	}
	must(t, s.SetEnabled(ctx, "frank", true))
	must(t, s.SetAdmin(ctx, "frank", false))
	if u, _ := s.User(ctx, "frank"); !u.Enabled || u.Admin {
		t.Fatalf("after reverting: %+v", u)
	}
	wantErr(t, s.SetEnabled(ctx, "nobody", true), accounts.ErrNotFound)
	wantErr(t, s.SetAdmin(ctx, "nobody", true), accounts.ErrNotFound)
	wantErr(t, s.SetDisplayName(ctx, "nobody", "x"), accounts.ErrNotFound)
	wantErr(t, s.SetPasswordHash(ctx, "nobody", "x"), accounts.ErrNotFound)
}

func session(id, userID string, created time.Time) accounts.Session {
	return accounts.Session{ID: id, UserID: userID, CreatedAt: created, LastSeen: created,
		ExpiresAt: created.Add(time.Hour), Address: "192.0.2.1", UserAgent: "test"}
}

// A token hash is 32 arbitrary bytes, NUL and high bytes included.
func tokenHash(b byte) []byte {
	h := make([]byte, 32)
	h[0], h[1], h[31] = b, 0, 0xff
	return h
}

func sessions(t *testing.T, s accounts.Store) {
	ctx := context.Background()
	create(t, s, user("gina", "gina@example.org"))
	create(t, s, user("hal", ""))
	first := session("s1", "gina", t0)
	must(t, s.CreateSession(ctx, first, tokenHash(1)))
	must(t, s.CreateSession(ctx, session("s2", "gina", t0.Add(time.Minute)), tokenHash(2)))
	must(t, s.CreateSession(ctx, session("s3", "hal", t0), tokenHash(3)))

	se, u, err := s.SessionByToken(ctx, tokenHash(1))
	must(t, err)
	if se != first || u.ID != "gina" || u.Email != "gina@example.org" || !u.Enabled || !u.CreatedAt.Equal(t0) {
		t.Fatalf("SessionByToken = %+v, %+v", se, u)
	}
	_, _, err = s.SessionByToken(ctx, tokenHash(9))
	wantErr(t, err, accounts.ErrNotFound)
	if err := s.CreateSession(ctx, session("s4", "gina", t0), tokenHash(1)); err == nil {
		t.Fatal("a second session with the same token hash was stored")
	}

	seen, exp := t0.Add(10*time.Minute), t0.Add(48*time.Hour)
	must(t, s.TouchSession(ctx, "s1", seen, exp))
	se, _, err = s.SessionByToken(ctx, tokenHash(1))
	must(t, err)
	if !se.LastSeen.Equal(seen) || !se.ExpiresAt.Equal(exp) || !se.CreatedAt.Equal(t0) {
		t.Fatalf("after touch: %+v", se)
	}

	list, err := s.ListSessions(ctx, "gina")
	must(t, err)
	if len(list) != 2 || list[0].ID != "s2" || list[1].ID != "s1" {
		t.Fatalf("ListSessions(gina) = %+v, want s2 then s1", list)
	}
	list, err = s.ListSessions(ctx, "nobody")
	must(t, err)
	if len(list) != 0 {
		t.Fatalf("sessions of an unknown user: %+v", list)
	}
}

func deleteSessions(t *testing.T, s accounts.Store) {
	ctx := context.Background()
	create(t, s, user("ivy", ""))
	create(t, s, user("jo", ""))
	must(t, s.CreateSession(ctx, session("i1", "ivy", t0), tokenHash(1)))
	must(t, s.CreateSession(ctx, session("i2", "ivy", t0.Add(time.Hour)), tokenHash(2)))
	must(t, s.CreateSession(ctx, session("i3", "ivy", t0.Add(2*time.Hour)), tokenHash(3)))
	must(t, s.CreateSession(ctx, session("j1", "jo", t0), tokenHash(4)))

	// Another user's session is not found, and stays.
	wantErr(t, s.DeleteSession(ctx, "jo", "i1"), accounts.ErrNotFound)
	must(t, s.DeleteSession(ctx, "ivy", "i1"))
	wantErr(t, s.DeleteSession(ctx, "ivy", "i1"), accounts.ErrNotFound)

	// Expiry is inclusive: a session expiring exactly now is gone.
	n, err := s.DeleteExpired(ctx, t0.Add(2*time.Hour))
	must(t, err)
	if n != 2 { // i2 (expires t0+2h) and j1 (t0+1h)
		t.Fatalf("DeleteExpired removed %d, want 2", n)
	}
	if _, _, err := s.SessionByToken(ctx, tokenHash(3)); err != nil {
		t.Fatalf("unexpired session gone: %v", err)
	}
	must(t, s.DeleteSessionsOf(ctx, "ivy"))
	list, err := s.ListSessions(ctx, "ivy")
	must(t, err)
	if len(list) != 0 {
		t.Fatalf("sessions left after DeleteSessionsOf: %+v", list)
	}
}

func organization(t *testing.T, s accounts.Store) {
	ctx := context.Background()
	_, err := s.OrgName(ctx)
	wantErr(t, err, accounts.ErrNotFound)
	must(t, s.InitOrg(ctx, "Example Corp", t0))
	wantErr(t, s.InitOrg(ctx, "Again", t0), accounts.ErrOrgExists)
	name, err := s.OrgName(ctx)
	must(t, err)
	if name != "Example Corp" {
		t.Fatalf("OrgName = %q", name)
	}
}
