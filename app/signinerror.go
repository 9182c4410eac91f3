package app

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/parley-voip/parley/api"
)

// SignInField names the sign-in screen's field a SignInError is about.
type SignInField string

const (
	FieldServer   SignInField = "server"
	FieldUser     SignInField = "user"
	FieldPassword SignInField = "password"
)

// SignInError is a failed sign-in as the sign-in screen shows it: a short
// sentence for a person, next to the field to fix. Err keeps the cause for
// logs; Error() never shows it.
type SignInError struct {
	Field   SignInField
	Message string
	Err     error
}

func (e *SignInError) Error() string { return e.Message }
func (e *SignInError) Unwrap() error { return e.Err }

// The sentences of humanSignInError; tests look for them.
const (
	MsgNotAnAddress  = "That is not a server address. It looks like parley.example.org or parley.example.org:7443."
	MsgNoServer      = "No server answers at that address. Check the address, or ask your administrator whether the server is running."
	MsgUnknownHost   = "There is no server with that name. Check the address for typing mistakes."
	MsgTimeout       = "The server did not answer in time. Check your network connection and try again."
	MsgPlainHTTP     = "This server does not offer a secure connection (https). Parley uses plain http only for a server on this computer."
	MsgNotParley     = "Something answers at that address, but it is not a Parley server."
	MsgBadPassword   = "Wrong user name or password."
	MsgThrottled     = "Too many attempts. Wait a minute, then try again."
	MsgCertChanged   = "The server's certificate is not the one you trusted before. Do not sign in; tell your administrator."
	MsgBadCert       = "The server's certificate is not valid for this address. Tell your administrator."
	MsgNeedPassword  = "Enter your password (only an organization on this computer takes none)."
	MsgNeedNameChars = "The name needs at least one letter or digit."
	MsgSignInFailed  = "Signing in did not work. Try again; if it keeps happening, tell your administrator."
)

// humanSignInError turns what went wrong while signing in into a
// SignInError; a *UntrustedServerError (the trust prompt) passes through.
func humanSignInError(err error) error {
	var se *SignInError
	var untrusted *UntrustedServerError
	if err == nil || errors.As(err, &se) || errors.As(err, &untrusted) {
		return err
	}
	msg := func(f SignInField, m string) error { return &SignInError{Field: f, Message: m, Err: err} }
	var dns *net.DNSError
	var apiErr *api.Error
	var rec tls.RecordHeaderError
	var hostErr interface{ Timeout() bool }
	switch {
	case errors.Is(err, api.ErrPinMismatch):
		return msg(FieldServer, MsgCertChanged)
	case errors.As(err, &apiErr) && (apiErr.Status == http.StatusUnauthorized || apiErr.Status == http.StatusForbidden):
		return msg(FieldPassword, MsgBadPassword)
	case errors.As(err, &apiErr) && apiErr.Status == http.StatusTooManyRequests:
		return msg(FieldPassword, MsgThrottled)
	case errors.As(err, &apiErr):
		return msg(FieldServer, MsgNotParley)
	case errors.Is(err, http.ErrSchemeMismatch) || errors.As(err, &rec):
		return msg(FieldServer, MsgPlainHTTP)
	case errors.As(err, &dns):
		return msg(FieldServer, MsgUnknownHost)
	case errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH):
		return msg(FieldServer, MsgNoServer)
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &hostErr) && hostErr.Timeout():
		return msg(FieldServer, MsgTimeout)
	case errors.Is(err, ErrBadAnswer):
		return msg(FieldServer, MsgNotParley)
	case isCertError(err):
		return msg(FieldServer, MsgBadCert)
	}
	return msg(FieldServer, MsgSignInFailed)
}

func isCertError(err error) bool {
	var v *tls.CertificateVerificationError
	return errors.As(err, &v) || strings.Contains(err.Error(), "x509:")
}

// resolveScheme applies the rule for an address typed without a scheme:
// https, and on loopback only, plain http when what answers there does not
// speak TLS. An address with a scheme is taken as typed.
func resolveScheme(typed string, base *url.URL) *url.URL {
	if strings.Contains(typed, "://") || base.Scheme != "https" || !isLoopback(base.Hostname()) {
		return base
	}
	d := tls.Dialer{
		NetDialer: &net.Dialer{Timeout: 2 * time.Second},
		// Only to learn whether TLS answers; the certificate is checked
		// (or pinned) by the sign-in that follows.
		Config: &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}, //nolint:gosec
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	conn, err := d.DialContext(ctx, "tcp", base.Host)
	if err == nil {
		_ = conn.Close()
		return base
	}
	var rec tls.RecordHeaderError
	if errors.As(err, &rec) {
		return &url.URL{Scheme: "http", Host: base.Host}
	}
	return base
}
