package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/parley-voip/parley/server/store"
)

// Users is the user table as the accounts service needs it.
type Users interface {
	CreateUser(ctx context.Context, u User, passwordHash string) error
	User(ctx context.Context, id string) (User, error)
	// UserByLogin finds by id or by email.
	UserByLogin(ctx context.Context, login string) (User, string, error)
	ListUsers(ctx context.Context, q Query) ([]User, error)
	SetEnabled(ctx context.Context, id string, enabled bool) error
	SetAdmin(ctx context.Context, id string, admin bool) error
	SetDisplayName(ctx context.Context, id, name string) error
	SetPasswordHash(ctx context.Context, id, hash string) error
}

// Sessions is the session table.
type Sessions interface {
	CreateSession(ctx context.Context, s Session, tokenHash []byte) error
	// SessionByToken returns the session and its user for a token hash.
	SessionByToken(ctx context.Context, tokenHash []byte) (Session, User, error)
	TouchSession(ctx context.Context, id string, seen, expires time.Time) error
	ListSessions(ctx context.Context, userID string) ([]Session, error)
	DeleteSession(ctx context.Context, userID, id string) error
	DeleteSessionsOf(ctx context.Context, userID string) error
	DeleteExpired(ctx context.Context, now time.Time) (int64, error)
}

// Store is everything accounts keeps; SQLStore keeps it in SQLite or
// PostgreSQL. Package accountstest holds the conformance suite.
type Store interface {
	Users
	Sessions
	// InitOrg records the organization's name once.
	InitOrg(ctx context.Context, name string, now time.Time) error
	OrgName(ctx context.Context) (string, error)
}

// Query selects users for the directory.
type Query struct {
	Search string // case-insensitive substring of id, display name or email
	Limit  int    // default and maximum 500
	Offset int
	// EnabledOnly hides disabled accounts (the user directory does).
	EnabledOnly bool
}

// MaxListLimit caps Query.Limit.
const MaxListLimit = 500

// SQLStore implements Store on the accounts tables of a store.DB, SQLite
// or PostgreSQL: queries are written once with ? placeholders and rebound
// for the database db was opened on.
type SQLStore struct {
	db *sql.DB
	d  store.Dialect
}

// NewSQLStore wraps db, which must have the "accounts" migrations applied.
func NewSQLStore(db *sql.DB) *SQLStore { return &SQLStore{db: db, d: store.DialectOf(db)} }

func (s *SQLStore) q(query string) string { return s.d.Rebind(query) }

const userCols = `id, display_name, email, enabled, admin, created_at`

func scanUser(row interface{ Scan(...any) error }, extra ...any) (User, error) {
	var u User
	var created int64
	dest := append([]any{&u.ID, &u.DisplayName, &u.Email, &u.Enabled, &u.Admin, &created}, extra...)
	if err := row.Scan(dest...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return User{}, ErrNotFound
		}
		return User{}, fmt.Errorf("accounts: reading user: %w", err)
	}
	u.CreatedAt = time.Unix(created, 0).UTC()
	return u, nil
}

// CreateUser inserts u.
func (s *SQLStore) CreateUser(ctx context.Context, u User, hash string) error {
	_, err := s.db.ExecContext(ctx,
		s.q(`INSERT INTO users (id, display_name, email, enabled, admin, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
		u.ID, u.DisplayName, u.Email, u.Enabled, u.Admin, hash, u.CreatedAt.Unix())
	if store.IsUniqueViolation(err) {
		return fmt.Errorf("%w: user %q or email %q", ErrExists, u.ID, u.Email)
	}
	if err != nil {
		return fmt.Errorf("accounts: creating user: %w", err)
	}
	return nil
}

// User finds a user by id.
func (s *SQLStore) User(ctx context.Context, id string) (User, error) {
	return scanUser(s.db.QueryRowContext(ctx, s.q(`SELECT `+userCols+` FROM users WHERE id = ?`), id))
}

// UserByLogin finds a user by id or email and returns its password hash.
func (s *SQLStore) UserByLogin(ctx context.Context, login string) (User, string, error) {
	var hash string
	u, err := scanUser(s.db.QueryRowContext(ctx,
		s.q(`SELECT `+userCols+`, password_hash FROM users WHERE id = ? OR (email <> '' AND email = ?) LIMIT 1`),
		login, login), &hash)
	return u, hash, err
}

// ListUsers pages through users ordered by id.
func (s *SQLStore) ListUsers(ctx context.Context, q Query) ([]User, error) {
	if q.Limit <= 0 || q.Limit > MaxListLimit {
		q.Limit = MaxListLimit
	}
	q.Offset = max(q.Offset, 0)
	where := []string{"1=1"}
	var args []any
	if q.Search != "" {
		like := "%" + escapeLike(strings.ToLower(q.Search)) + "%"
		where = append(where, `(id LIKE ? ESCAPE '\' OR LOWER(display_name) LIKE ? ESCAPE '\' OR email LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like)
	}
	if q.EnabledOnly {
		where = append(where, "enabled")
	}
	args = append(args, q.Limit, q.Offset)
	rows, err := s.db.QueryContext(ctx,
		s.q(`SELECT `+userCols+` FROM users WHERE `+strings.Join(where, " AND ")+` ORDER BY id LIMIT ? OFFSET ?`), args...)
	if err != nil {
		return nil, fmt.Errorf("accounts: listing users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("accounts: listing users: %w", err)
	}
	return out, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func (s *SQLStore) updateUser(ctx context.Context, id, set string, v any) error {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE users SET `+set+` = ? WHERE id = ?`), v, id)
	if err != nil {
		return fmt.Errorf("accounts: updating %s of %s: %w", set, id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: user %q", ErrNotFound, id)
	}
	return nil
}

// SetEnabled enables or disables a user.
func (s *SQLStore) SetEnabled(ctx context.Context, id string, on bool) error {
	return s.updateUser(ctx, id, "enabled", on)
}

// SetAdmin grants or removes the admin role.
func (s *SQLStore) SetAdmin(ctx context.Context, id string, on bool) error {
	return s.updateUser(ctx, id, "admin", on)
}

// SetDisplayName renames a user.
func (s *SQLStore) SetDisplayName(ctx context.Context, id, name string) error {
	return s.updateUser(ctx, id, "display_name", name)
}

// SetPasswordHash replaces a user's password hash.
func (s *SQLStore) SetPasswordHash(ctx context.Context, id, hash string) error {
	return s.updateUser(ctx, id, "password_hash", hash)
}

// CreateSession inserts a session.
func (s *SQLStore) CreateSession(ctx context.Context, se Session, tokenHash []byte) error {
	_, err := s.db.ExecContext(ctx,
		s.q(`INSERT INTO sessions (id, token_hash, user_id, created_at, last_seen, expires_at, address, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		se.ID, tokenHash, se.UserID, se.CreatedAt.Unix(), se.LastSeen.Unix(), se.ExpiresAt.Unix(), se.Address, se.UserAgent)
	if err != nil {
		return fmt.Errorf("accounts: creating session: %w", err)
	}
	return nil
}

const sessionCols = `s.id, s.user_id, s.created_at, s.last_seen, s.expires_at, s.address, s.user_agent`

func scanSession(dest []any, row interface{ Scan(...any) error }) (Session, error) {
	var se Session
	var c, l, e int64
	all := append([]any{&se.ID, &se.UserID, &c, &l, &e, &se.Address, &se.UserAgent}, dest...)
	if err := row.Scan(all...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Session{}, ErrNotFound
		}
		return Session{}, fmt.Errorf("accounts: reading session: %w", err)
	}
	se.CreatedAt, se.LastSeen, se.ExpiresAt = time.Unix(c, 0).UTC(), time.Unix(l, 0).UTC(), time.Unix(e, 0).UTC()
	return se, nil
}

// SessionByToken looks a session up by its token hash.
func (s *SQLStore) SessionByToken(ctx context.Context, tokenHash []byte) (Session, User, error) {
	var u User
	var created int64
	se, err := scanSession([]any{&u.ID, &u.DisplayName, &u.Email, &u.Enabled, &u.Admin, &created},
		s.db.QueryRowContext(ctx, s.q(`SELECT `+sessionCols+`, u.id, u.display_name, u.email, u.enabled, u.admin, u.created_at
			FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`), tokenHash))
	u.CreatedAt = time.Unix(created, 0).UTC()
	return se, u, err
}

// TouchSession records activity and slides the expiry.
func (s *SQLStore) TouchSession(ctx context.Context, id string, seen, expires time.Time) error {
	if _, err := s.db.ExecContext(ctx, s.q(`UPDATE sessions SET last_seen = ?, expires_at = ? WHERE id = ?`), seen.Unix(), expires.Unix(), id); err != nil {
		return fmt.Errorf("accounts: touching session: %w", err)
	}
	return nil
}

// ListSessions lists a user's sessions, newest first.
func (s *SQLStore) ListSessions(ctx context.Context, userID string) ([]Session, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+sessionCols+` FROM sessions s WHERE s.user_id = ? ORDER BY s.created_at DESC, s.id`), userID)
	if err != nil {
		return nil, fmt.Errorf("accounts: listing sessions: %w", err)
	}
	defer rows.Close()
	var out []Session
	for rows.Next() {
		se, err := scanSession(nil, rows)
		if err != nil {
			return nil, err
		}
		out = append(out, se)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("accounts: listing sessions: %w", err)
	}
	return out, nil
}

// DeleteSession removes one of userID's sessions; another user's session id
// is reported as not found.
func (s *SQLStore) DeleteSession(ctx context.Context, userID, id string) error {
	res, err := s.db.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE id = ? AND user_id = ?`), id, userID)
	if err != nil {
		return fmt.Errorf("accounts: deleting session: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: session", ErrNotFound)
	}
	return nil
}

// DeleteSessionsOf signs a user out everywhere.
func (s *SQLStore) DeleteSessionsOf(ctx context.Context, userID string) error {
	if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE user_id = ?`), userID); err != nil {
		return fmt.Errorf("accounts: deleting sessions: %w", err)
	}
	return nil
}

// DeleteExpired removes sessions past their expiry.
func (s *SQLStore) DeleteExpired(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE expires_at <= ?`), now.Unix())
	if err != nil {
		return 0, fmt.Errorf("accounts: deleting expired sessions: %w", err)
	}
	return res.RowsAffected()
}

// InitOrg records the organization once.
func (s *SQLStore) InitOrg(ctx context.Context, name string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO organization (id, name, created_at) VALUES (1, ?, ?)`), name, now.Unix())
	if store.IsUniqueViolation(err) {
		return ErrOrgExists
	}
	if err != nil {
		return fmt.Errorf("accounts: initializing organization: %w", err)
	}
	return nil
}

// OrgName is the organization's name, ErrNotFound before init.
func (s *SQLStore) OrgName(ctx context.Context) (string, error) {
	var n string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT name FROM organization WHERE id = 1`)).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("accounts: reading organization: %w", err)
	}
	return n, nil
}
