package turn

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // the TURN REST API convention coturn checks is HMAC-SHA1
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MaxUsernameLen bounds the username a request may carry: ten digits, a
// colon and a user id of at most 64 bytes fit with room to spare.
const MaxUsernameLen = 128

// Credential is one time-limited TURN credential for one user.
type Credential struct {
	Username string // "<expiry unix seconds>:<user id>"
	Password string // base64(HMAC-SHA1(secret, Username))
	Expires  time.Time
	URLs     []string // where it is good
}

// Username is the REST API username for userID, valid until expires.
func Username(userID string, expires time.Time) string {
	return strconv.FormatInt(expires.Unix(), 10) + ":" + userID
}

// ParseUsername splits a REST API username into its expiry and user id.
// It is the one parser of the format; errors wrap ErrMalformedUsername.
func ParseUsername(username string) (expires time.Time, userID string, err error) {
	if len(username) > MaxUsernameLen {
		return time.Time{}, "", fmt.Errorf("%w: %d bytes, limit %d", ErrMalformedUsername, len(username), MaxUsernameLen)
	}
	ts, id, ok := strings.Cut(username, ":")
	if !ok || id == "" {
		return time.Time{}, "", fmt.Errorf("%w: want <expiry>:<user id>", ErrMalformedUsername)
	}
	if ts == "" || len(ts) > 12 || strings.TrimLeft(ts, "0123456789") != "" {
		return time.Time{}, "", fmt.Errorf("%w: expiry %q is not unix seconds", ErrMalformedUsername, ts)
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return time.Time{}, "", fmt.Errorf("%w: expiry: %w", ErrMalformedUsername, err)
	}
	return time.Unix(sec, 0), id, nil
}

// Password is the REST API password for username under secret.
func Password(secret Secret, username string) string {
	mac := hmac.New(sha1.New, secret.b)
	mac.Write([]byte(username))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Issuer makes credentials for users and checks those presented.
type Issuer struct {
	secret Secret
	ttl    time.Duration
	urls   []string
	now    func() time.Time
}

func newIssuer(cfg Config) *Issuer {
	return &Issuer{secret: cfg.Secret, ttl: cfg.CredentialTTL, urls: cfg.URLs, now: cfg.now}
}

// NewIssuer returns an issuer of credentials for the TURN servers at urls
// that share secret, each valid for ttl.
func NewIssuer(secret Secret, ttl time.Duration, urls []string) *Issuer {
	return &Issuer{secret: secret, ttl: ttl, urls: urls, now: time.Now}
}

// TTL is how long an issued credential stays valid.
func (i *Issuer) TTL() time.Duration { return i.ttl }

// Issue returns a fresh credential for userID.
func (i *Issuer) Issue(userID string) (Credential, error) {
	if userID == "" {
		return Credential{}, ErrNoUser
	}
	exp := i.now().Add(i.ttl).Truncate(time.Second)
	u := Username(userID, exp)
	if len(u) > MaxUsernameLen {
		return Credential{}, fmt.Errorf("%w: user id of %d bytes", ErrMalformedUsername, len(userID))
	}
	return Credential{Username: u, Password: Password(i.secret, u), Expires: exp, URLs: append([]string(nil), i.urls...)}, nil
}

// check returns the user id and password for a username presented in a
// request, refusing malformed and expired ones.
func (i *Issuer) check(username string) (userID, password string, err error) {
	exp, id, err := ParseUsername(username)
	if err != nil {
		return "", "", err
	}
	if !i.now().Before(exp) {
		return "", "", fmt.Errorf("%w: at %s", ErrExpired, exp.UTC().Format(time.RFC3339))
	}
	return id, Password(i.secret, username), nil
}
