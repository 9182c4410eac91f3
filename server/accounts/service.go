package accounts

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
)

// Config configures a Service.
type Config struct {
	// Store keeps users and sessions; required.
	Store Store
	// Hash sets argon2id's cost for new hashes; default DefaultHashParams.
	Hash HashParams
	// SessionTTL is how long a session lives without use. Default 30 days;
	// every authenticated request extends it.
	SessionTTL time.Duration
	// MaxSessionsPerUser bounds one user's sessions (signed-in devices).
	// A sign-in beyond it ends the user's least recently used sessions,
	// closing their connections, rather than refusing the new device: the
	// person signing in is present, the forgotten device is not. Default
	// 20; -1 means no limit (benchmarks with many devices per user).
	MaxSessionsPerUser int
	// Throttle bounds failed sign-ins.
	Throttle ThrottleConfig
	// HashMemory bounds the memory, in bytes, that argon2id may use at
	// once over all sign-ins and password changes; each evaluation takes
	// its hash's memory cost from it. Default 2 × Hash.Memory (two at a
	// time); at least one hash must fit.
	HashMemory int64
	// HashQueue is how many evaluations may wait for HashMemory; more are
	// refused with ErrBusy. Default 32.
	HashQueue int
	// HashWait bounds one evaluation's wait for HashMemory (then ErrBusy).
	// Default 5 s.
	HashWait time.Duration
	// ReturnMemory runs once hashing has been idle for a second, to give
	// argon2id's buffers back to the OS. Default debug.FreeOSMemory.
	ReturnMemory func()
	// Key derives argon2id keys; default argon2.IDKey. Only tests and
	// instrumentation set it.
	Key KeyFunc
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Logger receives audit logs (sign-ins, failures, revocations).
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.Hash == (HashParams{}) {
		c.Hash = DefaultHashParams
	}
	if c.SessionTTL == 0 {
		c.SessionTTL = 30 * 24 * time.Hour
	}
	if c.MaxSessionsPerUser == 0 {
		c.MaxSessionsPerUser = DefaultMaxSessionsPerUser
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Key == nil {
		c.Key = argon2.IDKey
	}
	if c.HashMemory == 0 {
		c.HashMemory = 2 * int64(c.Hash.Memory) << 10
	}
	if c.HashQueue == 0 {
		c.HashQueue = 32
	}
	if c.HashWait == 0 {
		c.HashWait = 5 * time.Second
	}
	if c.ReturnMemory == nil {
		c.ReturnMemory = debug.FreeOSMemory
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// DefaultMaxSessionsPerUser is Config.MaxSessionsPerUser's default.
const DefaultMaxSessionsPerUser = 20

// Validate reports the first unusable setting.
func (c Config) Validate() error {
	c = c.withDefaults()
	if c.Store == nil {
		return fmt.Errorf("%w: Store is nil", ErrInvalidConfig)
	}
	if c.SessionTTL < time.Minute {
		return fmt.Errorf("%w: SessionTTL %v below one minute", ErrInvalidConfig, c.SessionTTL)
	}
	if c.HashMemory < int64(c.Hash.Memory)<<10 {
		return fmt.Errorf("%w: HashMemory %d bytes holds no %d KiB hash", ErrInvalidConfig, c.HashMemory, c.Hash.Memory)
	}
	if c.HashQueue < 1 || c.HashWait < 0 {
		return fmt.Errorf("%w: HashQueue %d, HashWait %v", ErrInvalidConfig, c.HashQueue, c.HashWait)
	}
	if c.MaxSessionsPerUser < -1 {
		return fmt.Errorf("%w: MaxSessionsPerUser %d (want ≥ 1, or -1 for no limit)", ErrInvalidConfig, c.MaxSessionsPerUser)
	}
	return c.Hash.validate()
}

// RevokeFunc is told when sessions end (sign-out, password reset, account
// disabled) so live connections made with them can be closed. sessionID is
// "" when every session of userID ended.
type RevokeFunc func(userID, sessionID string)

// Service is accounts' business logic over a Store.
type Service struct {
	cfg      Config
	store    Store
	throttle *throttle
	gate     *hashGate
	onRevoke []RevokeFunc
	// dummyHash makes sign-in for an unknown user cost as much as for a
	// known one, so timing does not reveal which ids exist. It is made
	// without hashing (see dummyHash), so start-up allocates nothing.
	dummyHash string
}

// NewService checks cfg and builds a Service.
func NewService(cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	return &Service{
		cfg: cfg, store: cfg.Store, throttle: newThrottle(cfg.Throttle),
		gate:      newHashGate(cfg.HashMemory>>10, cfg.HashQueue, cfg.HashWait, cfg.ReturnMemory, time.Second),
		dummyHash: dummyHash(cfg.Hash),
	}, nil
}

// Store returns the underlying store (read access for other packages).
func (s *Service) Store() Store { return s.store }

// OnRevoke registers f; call before serving.
func (s *Service) OnRevoke(f RevokeFunc) { s.onRevoke = append(s.onRevoke, f) }

func (s *Service) revoked(userID, sessionID string) {
	for _, f := range s.onRevoke {
		f(userID, sessionID)
	}
}

// CreateUser validates n, hashes its password and stores the user, enabled.
func (s *Service) CreateUser(ctx context.Context, n NewUser) (User, error) {
	if err := n.normalize(); err != nil {
		return User{}, err
	}
	hash, err := s.hash(ctx, n.Password)
	if err != nil {
		return User{}, err
	}
	u := User{ID: n.ID, DisplayName: n.DisplayName, Email: n.Email, Enabled: true, Admin: n.Admin,
		CreatedAt: s.cfg.Now().UTC().Truncate(time.Second)}
	if err := s.store.CreateUser(ctx, u, hash); err != nil {
		return User{}, err
	}
	s.cfg.Logger.Info("user created", "user", u.ID, "admin", u.Admin)
	return u, nil
}

// InitOrg creates the organization and its first admin, once.
func (s *Service) InitOrg(ctx context.Context, orgName string, admin NewUser) (User, error) {
	orgName = strings.TrimSpace(orgName)
	if orgName == "" || validDisplayName(orgName) != nil {
		return User{}, fmt.Errorf("%w: organization name %q", ErrInvalidUser, orgName)
	}
	if _, err := s.store.OrgName(ctx); err == nil {
		return User{}, ErrOrgExists
	}
	admin.Admin = true
	u, err := s.CreateUser(ctx, admin)
	if err != nil {
		return User{}, err
	}
	if err := s.store.InitOrg(ctx, orgName, s.cfg.Now()); err != nil {
		return User{}, err
	}
	return u, nil
}

// SignIn checks login (user id or email) and password and opens a session.
// Failures are throttled per account and per address: the attempt is
// reserved against both budgets before the password is hashed and given
// back only when it succeeds, so concurrent attempts cannot overrun them.
// Every refusal is ErrBadCredentials or a *ThrottledError.
func (s *Service) SignIn(ctx context.Context, login, password, addr, userAgent string) (SignedIn, error) {
	login = strings.ToLower(strings.TrimSpace(login))
	att, d := s.throttle.reserve(login, AddrKey(addr), s.cfg.Now())
	if att == nil {
		s.cfg.Logger.Warn("sign-in throttled", "login", login, "addr", addr)
		return SignedIn{}, &ThrottledError{RetryAfter: d}
	}
	res, err := s.signIn(ctx, login, password, addr, userAgent)
	switch {
	case errors.Is(err, ErrBadCredentials):
		s.cfg.Logger.Warn("sign-in failed", "login", login, "addr", addr)
	case errors.Is(err, ErrBusy):
		s.cfg.Logger.Warn("sign-in refused: hashing at capacity", "login", login, "addr", addr)
		att.release()
	default:
		// Success, or a failure that says nothing about the password
		// (database error): the attempt does not count.
		att.release()
	}
	return res, err
}

func (s *Service) signIn(ctx context.Context, login, password, addr, userAgent string) (SignedIn, error) {
	if len(login) > 254 || len(password) > 1024 {
		return SignedIn{}, ErrBadCredentials
	}
	u, hash, err := s.store.UserByLogin(ctx, login)
	switch {
	case errors.Is(err, ErrNotFound):
		if _, err := s.verify(ctx, password, s.dummyHash); err != nil {
			return SignedIn{}, err
		}
		return SignedIn{}, ErrBadCredentials
	case err != nil:
		return SignedIn{}, err
	}
	ok, err := s.verify(ctx, password, hash)
	if errors.Is(err, ErrBadHash) {
		return SignedIn{}, fmt.Errorf("accounts: user %s: %w", u.ID, err)
	}
	if err != nil {
		return SignedIn{}, err
	}
	if !ok || !u.Enabled {
		return SignedIn{}, ErrBadCredentials
	}
	return s.openSession(ctx, u, addr, userAgent)
}

// hash hashes a new password with the configured cost, within the
// memory budget.
func (s *Service) hash(ctx context.Context, password string) (string, error) {
	if err := s.cfg.Hash.validate(); err != nil {
		return "", err
	}
	done, err := s.gate.acquire(ctx, s.cfg.Hash.Memory)
	if err != nil {
		return "", err
	}
	defer done()
	return hashPassword(s.cfg.Key, password, s.cfg.Hash)
}

// verify checks password against a stored hash, within the memory budget.
func (s *Service) verify(ctx context.Context, password, hash string) (bool, error) {
	p, salt, key, err := parseHash(hash)
	if err != nil {
		return false, err
	}
	done, err := s.gate.acquire(ctx, p.Memory)
	if err != nil {
		return false, err
	}
	defer done()
	return verifyKey(s.cfg.Key, password, p, salt, key), nil
}

// OpenSession signs userID in without a password. It is for callers that
// have already established who the user is: the desktop app's embedded
// local organization (the person at the computer), tests and benchmarks.
// Never expose it over the network.
func (s *Service) OpenSession(ctx context.Context, userID, addr, userAgent string) (SignedIn, error) {
	u, err := s.store.User(ctx, userID)
	if err != nil {
		return SignedIn{}, err
	}
	if !u.Enabled {
		return SignedIn{}, ErrBadCredentials
	}
	return s.openSession(ctx, u, addr, userAgent)
}

func (s *Service) openSession(ctx context.Context, u User, addr, userAgent string) (SignedIn, error) {
	now := s.cfg.Now()
	token, th := newToken()
	se := Session{
		ID: newSessionID(), UserID: u.ID,
		CreatedAt: now.UTC().Truncate(time.Second), LastSeen: now.UTC().Truncate(time.Second),
		ExpiresAt: now.Add(s.cfg.SessionTTL).UTC().Truncate(time.Second),
		Address:   truncate(addr, 64), UserAgent: truncate(userAgent, 256),
	}
	if err := s.store.CreateSession(ctx, se, th); err != nil {
		return SignedIn{}, err
	}
	s.cfg.Logger.Info("signed in", "user", u.ID, "session", se.ID, "addr", addr)
	if err := s.trimSessions(ctx, u.ID, se.ID); err != nil {
		s.cfg.Logger.Warn("ending a user's oldest sessions", "user", u.ID, "err", err)
	}
	return SignedIn{Token: token, User: u, Session: se}, nil
}

// trimSessions ends userID's least recently used sessions beyond
// MaxSessionsPerUser, never keep (the one just opened).
func (s *Service) trimSessions(ctx context.Context, userID, keep string) error {
	limit := s.cfg.MaxSessionsPerUser
	if limit < 0 {
		return nil
	}
	list, err := s.store.ListSessions(ctx, userID)
	if err != nil || len(list) <= limit {
		return err
	}
	others := slices.DeleteFunc(list, func(se Session) bool { return se.ID == keep })
	slices.SortStableFunc(others, func(a, b Session) int {
		return cmp.Or(a.LastSeen.Compare(b.LastSeen), a.CreatedAt.Compare(b.CreatedAt))
	})
	for _, se := range others[:max(0, len(others)+1-limit)] {
		if err := s.store.DeleteSession(ctx, userID, se.ID); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		s.cfg.Logger.Info("session ended: too many sessions", "user", userID, "session", se.ID, "limit", limit)
		s.revoked(userID, se.ID)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Authenticate resolves a bearer token to its user and session. Expired
// sessions and disabled users are ErrUnauthenticated. Use extends the
// session (sliding expiry), at most once a minute.
func (s *Service) Authenticate(ctx context.Context, token string) (User, Session, error) {
	if !wellFormedToken(token) {
		return User{}, Session{}, ErrUnauthenticated
	}
	se, u, err := s.store.SessionByToken(ctx, hashToken(token))
	if errors.Is(err, ErrNotFound) {
		return User{}, Session{}, ErrUnauthenticated
	}
	if err != nil {
		return User{}, Session{}, err
	}
	now := s.cfg.Now()
	if !now.Before(se.ExpiresAt) || !u.Enabled {
		return User{}, Session{}, ErrUnauthenticated
	}
	if now.Sub(se.LastSeen) > time.Minute {
		se.LastSeen = now.UTC().Truncate(time.Second)
		se.ExpiresAt = now.Add(s.cfg.SessionTTL).UTC().Truncate(time.Second)
		if err := s.store.TouchSession(ctx, se.ID, se.LastSeen, se.ExpiresAt); err != nil {
			s.cfg.Logger.Warn("touching session", "err", err)
		}
	}
	return u, se, nil
}

// SignOut ends the session of token.
func (s *Service) SignOut(ctx context.Context, token string) error {
	u, se, err := s.Authenticate(ctx, token)
	if err != nil {
		return err
	}
	return s.RevokeSession(ctx, u.ID, se.ID)
}

// Sessions lists userID's sessions.
func (s *Service) Sessions(ctx context.Context, userID string) ([]Session, error) {
	return s.store.ListSessions(ctx, userID)
}

// RevokeSession ends one of userID's sessions.
func (s *Service) RevokeSession(ctx context.Context, userID, sessionID string) error {
	if err := s.store.DeleteSession(ctx, userID, sessionID); err != nil {
		return err
	}
	s.cfg.Logger.Info("session revoked", "user", userID, "session", sessionID)
	s.revoked(userID, sessionID)
	return nil
}

// SetPassword replaces a user's password and signs them out everywhere.
func (s *Service) SetPassword(ctx context.Context, userID, password string) error {
	if err := checkPassword(password); err != nil {
		return err
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return err
	}
	if err := s.store.SetPasswordHash(ctx, userID, hash); err != nil {
		return err
	}
	return s.endAll(ctx, userID)
}

// SetEnabled enables or disables a user; disabling signs them out
// everywhere.
func (s *Service) SetEnabled(ctx context.Context, userID string, enabled bool) error {
	if err := s.store.SetEnabled(ctx, userID, enabled); err != nil {
		return err
	}
	if enabled {
		return nil
	}
	return s.endAll(ctx, userID)
}

func (s *Service) endAll(ctx context.Context, userID string) error {
	if err := s.store.DeleteSessionsOf(ctx, userID); err != nil {
		return err
	}
	s.cfg.Logger.Info("all sessions revoked", "user", userID)
	s.revoked(userID, "")
	return nil
}
