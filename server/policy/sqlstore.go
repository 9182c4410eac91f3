package policy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/parley-voip/parley/server/store"
)

// SQLStore is the Store on the server's SQL database (tables of migration
// component "policy").
// It serves SQLite and PostgreSQL alike: queries are written once with ?
// placeholders and rebound for the database db was opened on.
type SQLStore struct {
	db *sql.DB
	d  store.Dialect
}

// NewSQLStore uses db, which must have been opened by package store so the
// policy migrations have run.
func NewSQLStore(db *sql.DB) *SQLStore { return &SQLStore{db: db, d: store.DialectOf(db)} }

func (s *SQLStore) q(query string) string { return s.d.Rebind(query) }

var _ Store = (*SQLStore)(nil)

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *SQLStore) exists(ctx context.Context, q querier, query string, args ...any) (bool, error) {
	var ok bool
	if err := q.QueryRowContext(ctx, s.q(`SELECT EXISTS (`+query+`)`), args...).Scan(&ok); err != nil {
		return false, fmt.Errorf("policy store: %w", err)
	}
	return ok, nil
}

func (s *SQLStore) mustExist(ctx context.Context, q querier, what, name, query string) error {
	ok, err := s.exists(ctx, q, query, name)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s %q: %w", what, name, ErrNotFound)
	}
	return nil
}

const (
	qPolicy = `SELECT 1 FROM policies WHERE name = ?`
	qGroup  = `SELECT 1 FROM policy_groups WHERE name = ?`
)

func scanPolicy(sc interface{ Scan(...any) error }) (Policy, error) {
	var p Policy
	var e2ee string
	if err := sc.Scan(&p.Name, &e2ee, &p.AllowRecording, &p.AllowCaptions, &p.AllowTransfer, &p.AllowPark, &p.RetentionDays, &p.Description); err != nil {
		return Policy{}, err
	}
	v, err := ParseE2EE(e2ee)
	if err != nil {
		return Policy{}, err
	}
	p.E2EE = v
	return p, nil
}

// Policies implements Store.
func (s *SQLStore) Policies(ctx context.Context) ([]Policy, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT name, e2ee, allow_recording, allow_captions, allow_transfer, allow_park, retention_days, description FROM policies ORDER BY name`))
	if err != nil {
		return nil, fmt.Errorf("policy store: list policies: %w", err)
	}
	defer rows.Close()
	var out []Policy
	for rows.Next() {
		p, err := scanPolicy(rows)
		if err != nil {
			return nil, fmt.Errorf("policy store: list policies: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("policy store: list policies: %w", err)
	}
	return out, nil
}

// Policy implements Store.
func (s *SQLStore) Policy(ctx context.Context, name string) (Policy, error) {
	p, err := scanPolicy(s.db.QueryRowContext(ctx, s.q(`SELECT name, e2ee, allow_recording, allow_captions, allow_transfer, allow_park, retention_days, description FROM policies WHERE name = ?`), name))
	if errors.Is(err, sql.ErrNoRows) {
		return Policy{}, fmt.Errorf("policy %q: %w", name, ErrNotFound)
	} else if err != nil {
		return Policy{}, fmt.Errorf("policy store: read policy %q: %w", name, err)
	}
	return p, nil
}

// CreatePolicy implements Store.
func (s *SQLStore) CreatePolicy(ctx context.Context, p Policy) error {
	return store.InTx(ctx, s.db, func(tx *sql.Tx) error {
		ok, err := s.exists(ctx, tx, qPolicy, p.Name)
		if err != nil {
			return err
		}
		if ok {
			return fmt.Errorf("policy %q: %w", p.Name, ErrExists)
		}
		_, err = tx.ExecContext(ctx, s.q(`INSERT INTO policies (name, e2ee, allow_recording, allow_captions, allow_transfer, allow_park, retention_days, description)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
			p.Name, p.E2EE.String(), p.AllowRecording, p.AllowCaptions, p.AllowTransfer, p.AllowPark, p.RetentionDays, p.Description)
		if store.IsUniqueViolation(err) { // created meanwhile, by another node
			return fmt.Errorf("policy %q: %w", p.Name, ErrExists)
		}
		return wrapSQL("create policy", err)
	})
}

// UpdatePolicy implements Store.
func (s *SQLStore) UpdatePolicy(ctx context.Context, p Policy) error {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE policies SET e2ee = ?, allow_recording = ?, allow_captions = ?,
		allow_transfer = ?, allow_park = ?, retention_days = ?, description = ? WHERE name = ?`),
		p.E2EE.String(), p.AllowRecording, p.AllowCaptions, p.AllowTransfer, p.AllowPark, p.RetentionDays, p.Description, p.Name)
	return affected(res, err, "update policy", fmt.Errorf("policy %q: %w", p.Name, ErrNotFound))
}

// DeletePolicy implements Store.
func (s *SQLStore) DeletePolicy(ctx context.Context, name string) error {
	if name == GlobalName {
		return ErrGlobal
	}
	return store.InTx(ctx, s.db, func(tx *sql.Tx) error {
		if err := s.mustExist(ctx, tx, "policy", name, qPolicy); err != nil {
			return err
		}
		inUse, err := s.exists(ctx, tx, `SELECT 1 FROM policy_grants WHERE policy = ?`, name)
		if err != nil {
			return err
		}
		if inUse {
			return fmt.Errorf("policy %q: %w", name, ErrInUse)
		}
		_, err = tx.ExecContext(ctx, s.q(`DELETE FROM policies WHERE name = ?`), name)
		return wrapSQL("delete policy", err)
	})
}

const groupSelect = `SELECT g.name, g.rank, (SELECT COUNT(*) FROM policy_group_members m WHERE m.group_name = g.name)
	FROM policy_groups g`

func (s *SQLStore) queryGroups(ctx context.Context, query string, args ...any) ([]Group, error) {
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("policy store: list groups: %w", err)
	}
	defer rows.Close()
	var out []Group
	for rows.Next() {
		var g Group
		if err := rows.Scan(&g.Name, &g.Rank, &g.Members); err != nil {
			return nil, fmt.Errorf("policy store: list groups: %w", err)
		}
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("policy store: list groups: %w", err)
	}
	return out, nil
}

// Groups implements Store.
func (s *SQLStore) Groups(ctx context.Context) ([]Group, error) {
	return s.queryGroups(ctx, groupSelect+` ORDER BY g.rank, g.name`)
}

// Group implements Store.
func (s *SQLStore) Group(ctx context.Context, name string) (Group, error) {
	gs, err := s.queryGroups(ctx, groupSelect+` WHERE g.name = ?`, name)
	if err != nil {
		return Group{}, err
	}
	if len(gs) == 0 {
		return Group{}, fmt.Errorf("group %q: %w", name, ErrNotFound)
	}
	return gs[0], nil
}

// GroupsOf implements Store.
func (s *SQLStore) GroupsOf(ctx context.Context, user string) ([]Group, error) {
	return s.queryGroups(ctx, groupSelect+
		` WHERE g.name IN (SELECT group_name FROM policy_group_members WHERE user_id = ?) ORDER BY g.rank, g.name`, user)
}

// CreateGroup implements Store.
func (s *SQLStore) CreateGroup(ctx context.Context, g Group) error {
	return store.InTx(ctx, s.db, func(tx *sql.Tx) error {
		ok, err := s.exists(ctx, tx, qGroup, g.Name)
		if err != nil {
			return err
		}
		if ok {
			return fmt.Errorf("group %q: %w", g.Name, ErrExists)
		}
		_, err = tx.ExecContext(ctx, s.q(`INSERT INTO policy_groups (name, rank) VALUES (?, ?)`), g.Name, g.Rank)
		if store.IsUniqueViolation(err) {
			return fmt.Errorf("group %q: %w", g.Name, ErrExists)
		}
		return wrapSQL("create group", err)
	})
}

// DeleteGroup implements Store; foreign keys drop members and grant.
func (s *SQLStore) DeleteGroup(ctx context.Context, name string) error {
	res, err := s.db.ExecContext(ctx, s.q(`DELETE FROM policy_groups WHERE name = ?`), name)
	return affected(res, err, "delete group", fmt.Errorf("group %q: %w", name, ErrNotFound))
}

// SetRank implements Store.
func (s *SQLStore) SetRank(ctx context.Context, group string, rank int) error {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE policy_groups SET rank = ? WHERE name = ?`), rank, group)
	return affected(res, err, "set rank", fmt.Errorf("group %q: %w", group, ErrNotFound))
}

// Members implements Store.
func (s *SQLStore) Members(ctx context.Context, group string) ([]string, error) {
	if err := s.mustExist(ctx, s.db, "group", group, qGroup); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx,
		s.q(`SELECT user_id FROM policy_group_members WHERE group_name = ? ORDER BY user_id`), group)
	if err != nil {
		return nil, fmt.Errorf("policy store: members: %w", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, fmt.Errorf("policy store: members: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("policy store: members: %w", err)
	}
	return out, nil
}

// AddMember implements Store.
func (s *SQLStore) AddMember(ctx context.Context, group, user string) error {
	return store.InTx(ctx, s.db, func(tx *sql.Tx) error {
		if err := s.mustExist(ctx, tx, "group", group, qGroup); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx,
			s.q(`INSERT INTO policy_group_members (group_name, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING`), group, user)
		return wrapSQL("add member", err)
	})
}

// RemoveMember implements Store.
func (s *SQLStore) RemoveMember(ctx context.Context, group, user string) error {
	return store.InTx(ctx, s.db, func(tx *sql.Tx) error {
		if err := s.mustExist(ctx, tx, "group", group, qGroup); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx,
			s.q(`DELETE FROM policy_group_members WHERE group_name = ? AND user_id = ?`), group, user)
		return affected(res, err, "remove member", fmt.Errorf("user %q in group %q: %w", user, group, ErrNotFound))
	})
}

// Grants implements Store.
func (s *SQLStore) Grants(ctx context.Context) ([]Grant, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT kind, target, policy FROM policy_grants`))
	if err != nil {
		return nil, fmt.Errorf("policy store: grants: %w", err)
	}
	defer rows.Close()
	out := []Grant{}
	for rows.Next() {
		g, err := scanGrant(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("policy store: grants: %w", err)
	}
	SortGrants(out)
	return out, nil
}

func scanGrant(rows *sql.Rows) (Grant, error) {
	var kind, target, pol string
	if err := rows.Scan(&kind, &target, &pol); err != nil {
		return Grant{}, fmt.Errorf("policy store: grants: %w", err)
	}
	k, err := ParseTargetKind(kind)
	if err != nil {
		return Grant{}, fmt.Errorf("policy store: grants: %w", err)
	}
	return Grant{Target: Target{Kind: k, ID: target}, Policy: pol}, nil
}

// Grant implements Store.
func (s *SQLStore) Grant(ctx context.Context, g Grant) error {
	return store.InTx(ctx, s.db, func(tx *sql.Tx) error {
		if err := s.mustExist(ctx, tx, "policy", g.Policy, qPolicy); err != nil {
			return err
		}
		var group any
		if g.Target.Kind == TargetGroup {
			if err := s.mustExist(ctx, tx, "group", g.Target.ID, qGroup); err != nil {
				return err
			}
			group = g.Target.ID
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO policy_grants (kind, target, policy, group_name) VALUES (?, ?, ?, ?)
			ON CONFLICT (kind, target) DO UPDATE SET policy = excluded.policy`),
			g.Target.Kind.String(), g.Target.ID, g.Policy, group)
		return wrapSQL("grant", err)
	})
}

// Revoke implements Store.
func (s *SQLStore) Revoke(ctx context.Context, t Target) error {
	res, err := s.db.ExecContext(ctx, s.q(`DELETE FROM policy_grants WHERE kind = ? AND target = ?`), t.Kind.String(), t.ID)
	return affected(res, err, "revoke", fmt.Errorf("grant to %s: %w", t, ErrNotFound))
}

// maxStateUsers bounds the user ids bound into one membership query, below
// SQLite's default parameter limit (PostgreSQL's is 65535).
const maxStateUsers = 500

// State implements Store. It reads in one transaction so the snapshot is
// consistent.
func (s *SQLStore) State(ctx context.Context, users []string) (*State, error) {
	st := &State{
		Policies: map[string]Policy{},
		Groups:   map[string]Group{},
		Grants:   map[Target]string{},
		Member:   map[string][]string{},
	}
	opts := &sql.TxOptions{ReadOnly: true}
	if s.d == store.Postgres {
		// PostgreSQL's default (read committed) gives each statement its
		// own snapshot; SQLite's transaction is one snapshot already.
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("policy store: state: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // read-only: nothing to commit
	if err := s.eachRow(ctx, tx, `SELECT name, e2ee, allow_recording, allow_captions, allow_transfer, allow_park, retention_days, description FROM policies`, nil, func(rows *sql.Rows) error {
		p, err := scanPolicy(rows)
		st.Policies[p.Name] = p
		return err
	}); err != nil {
		return nil, err
	}
	if err := s.eachRow(ctx, tx, `SELECT name, rank FROM policy_groups`, nil, func(rows *sql.Rows) error {
		var g Group
		err := rows.Scan(&g.Name, &g.Rank)
		st.Groups[g.Name] = g
		return err
	}); err != nil {
		return nil, err
	}
	if err := s.eachRow(ctx, tx, `SELECT kind, target, policy FROM policy_grants`, nil, func(rows *sql.Rows) error {
		g, err := scanGrant(rows)
		st.Grants[g.Target] = g.Policy
		return err
	}); err != nil {
		return nil, err
	}
	for len(users) > 0 {
		n := min(len(users), maxStateUsers)
		batch := users[:n]
		users = users[n:]
		args := make([]any, len(batch))
		for i, u := range batch {
			args[i] = u
		}
		q := `SELECT user_id, group_name FROM policy_group_members WHERE user_id IN (?` +
			strings.Repeat(", ?", len(batch)-1) + `) ORDER BY user_id, group_name`
		if err := s.eachRow(ctx, tx, q, args, func(rows *sql.Rows) error {
			var u, g string
			err := rows.Scan(&u, &g)
			st.Member[u] = append(st.Member[u], g)
			return err
		}); err != nil {
			return nil, err
		}
	}
	return st, nil
}

func (s *SQLStore) eachRow(ctx context.Context, tx *sql.Tx, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return fmt.Errorf("policy store: state: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return fmt.Errorf("policy store: state: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("policy store: state: %w", err)
	}
	return nil
}

func wrapSQL(op string, err error) error {
	if err != nil {
		return fmt.Errorf("policy store: %s: %w", op, err)
	}
	return nil
}

// affected turns "no row changed" into notFound.
func affected(res sql.Result, err error, op string, notFound error) error {
	if err != nil {
		return wrapSQL(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return wrapSQL(op, err)
	}
	if n == 0 {
		return notFound
	}
	return nil
}
