package app

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/parley-voip/parley/api"
)

// maxAPIResponse bounds what the app reads from the server's HTTP API.
const maxAPIResponse = 1 << 20

// UntrustedServerError is returned by SignIn when the server's certificate
// is neither verified by a known authority nor pinned: the user must
// compare Fingerprint with what the administrator published and, if it
// matches, trust it (trust on first use).
type UntrustedServerError struct {
	Server      string
	Fingerprint string // SHA-256 of the certificate seen in the TLS handshake
}

func (e *UntrustedServerError) Error() string {
	return fmt.Sprintf("the certificate of %s is not known (SHA-256 %s)", e.Server, e.Fingerprint)
}

// orgAPI is the organization server's HTTP API, as far as the app uses it.
type orgAPI struct {
	base *url.URL     // https://host:port or http://127.0.0.1:port
	hc   *http.Client // verifying by system roots, or by the pin
}

// parseServerURL accepts what a person types: "host:port", a https:// or
// http:// URL, or the ws(s)://…/ws signaling URL, and returns the HTTP base.
// Plain http is kept only for loopback hosts, where the server allows it.
func parseServerURL(s string) (*url.URL, error) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%q is not a server address", s)
	}
	switch u.Scheme {
	case "wss":
		u.Scheme = "https"
	case "ws":
		u.Scheme = "http"
	case "https", "http":
	default:
		return nil, fmt.Errorf("%q: unsupported scheme %s", s, u.Scheme)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("%s: plain http is only for a server on this computer; use https", u.Host)
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}

// signalingURL is the WebSocket endpoint under base.
func signalingURL(base *url.URL) string {
	u := *base
	u.Scheme = map[string]string{"https": "wss", "http": "ws"}[base.Scheme]
	u.Path = "/ws"
	return u.String()
}

// newOrgAPI returns the API at base, trusting a pinned fingerprint when
// pin is set and the system's authorities otherwise.
func newOrgAPI(base *url.URL, pin string) orgAPI {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if pin != "" {
		tr.TLSClientConfig = api.PinnedTLS(pin)
	}
	return orgAPI{base: base, hc: &http.Client{Transport: tr, Timeout: 15 * time.Second}}
}

// probe checks the server can be reached and trusted. A certificate no
// authority vouches for comes back as *UntrustedServerError with the
// fingerprint seen in the handshake (not one the server claims in JSON).
func (a orgAPI) probe(ctx context.Context) error {
	err := a.do(ctx, http.MethodGet, "/api/info", "", nil, nil)
	var uae x509.UnknownAuthorityError
	var cie x509.CertificateInvalidError
	var hne x509.HostnameError
	if !errors.As(err, &uae) && !errors.As(err, &cie) && !errors.As(err, &hne) {
		return err
	}
	fp, ferr := handshakeFingerprint(ctx, a.base.Host)
	if ferr != nil {
		return fmt.Errorf("read the server's certificate: %w", ferr)
	}
	return &UntrustedServerError{Server: a.base.Host, Fingerprint: fp}
}

func handshakeFingerprint(ctx context.Context, host string) (string, error) {
	d := tls.Dialer{Config: &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}} // only to read the certificate
	conn, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	certs := conn.(*tls.Conn).ConnectionState().PeerCertificates
	if len(certs) == 0 {
		return "", errors.New("no certificate")
	}
	return api.Fingerprint(certs[0].Raw), nil
}

type signedIn struct {
	Token string `json:"token"`
	User  struct {
		ID          string `json:"id"`
		DisplayName string `json:"display_name"`
	} `json:"user"`
}

// signIn exchanges a login and password for a session token.
func (a orgAPI) signIn(ctx context.Context, login, password string) (token string, me Contact, err error) {
	var out signedIn
	body := map[string]string{"login": login, "password": password}
	if err := a.do(ctx, http.MethodPost, "/api/signin", "", body, &out); err != nil {
		return "", Contact{}, err
	}
	if out.Token == "" || out.User.ID == "" {
		return "", Contact{}, errors.New("sign-in answer without a session")
	}
	return out.Token, Contact{ID: out.User.ID, Name: out.User.DisplayName}, nil
}

func (a orgAPI) do(ctx context.Context, method, path, token string, body, out any) error {
	c := api.Client{Base: a.base.String(), Token: token, HTTP: a.hc, MaxResponse: maxAPIResponse}
	_, err := c.Do(ctx, method, path, body, out)
	return err
}
