package app

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/parley-voip/parley/server"
	"github.com/parley-voip/parley/server/tlsx"
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
		tr.TLSClientConfig = tlsx.PinnedClient(pin, server.Fingerprint)
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
	return server.Fingerprint(certs[0].Raw), nil
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
	body, _ := json.Marshal(map[string]string{"login": login, "password": password})
	var out signedIn
	if err := a.do(ctx, http.MethodPost, "/api/signin", "", body, &out); err != nil {
		return "", Contact{}, err
	}
	if out.Token == "" || out.User.ID == "" {
		return "", Contact{}, errors.New("sign-in answer without a session")
	}
	return out.Token, Contact{ID: out.User.ID, Name: out.User.DisplayName}, nil
}

// APIError is an error answer of the server's HTTP API.
type APIError struct {
	Status  int
	Code    string
	Message string
}

func (e *APIError) Error() string {
	if e.Message != "" {
		return e.Message
	}
	return fmt.Sprintf("server answered %d %s", e.Status, e.Code)
}

func (a orgAPI) do(ctx context.Context, method, path, token string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, a.base.String()+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := a.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAPIResponse))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		_ = json.Unmarshal(data, &e)
		return &APIError{Status: resp.StatusCode, Code: e.Error.Code, Message: e.Error.Message}
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(data, out)
}
