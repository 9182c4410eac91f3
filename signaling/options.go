package signaling

import (
	"net/http"
	"time"
)

// DialOption adjusts Dial.
type DialOption func(*dialConfig)

type dialConfig struct {
	httpClient   *http.Client
	header       http.Header
	readLimit    int64
	writeTimeout time.Duration
	recvBuffer   int
}

func defaultDialConfig() dialConfig {
	return dialConfig{
		readLimit:    MaxServerMessageBytes,
		writeTimeout: 10 * time.Second,
		recvBuffer:   64,
	}
}

// WithHTTPClient sets the HTTP client used for the WebSocket handshake
// (custom TLS roots, proxies).
func WithHTTPClient(c *http.Client) DialOption {
	return func(d *dialConfig) { d.httpClient = c }
}

// WithHeader adds HTTP headers to the handshake request (e.g. a session
// token once the server authenticates).
func WithHeader(h http.Header) DialOption {
	return func(d *dialConfig) {
		if d.header == nil {
			d.header = http.Header{}
		}
		for k, v := range h {
			d.header[k] = append([]string(nil), v...)
		}
	}
}

// WithToken authenticates the connection with a session token from the
// organization server's sign-in (sent as "Authorization: Bearer").
func WithToken(token string) DialOption {
	return func(d *dialConfig) {
		if d.header == nil {
			d.header = http.Header{}
		}
		d.header.Set("Authorization", "Bearer "+token)
	}
}

// WithReadLimit sets the largest frame accepted from the server; the
// default is MaxServerMessageBytes.
func WithReadLimit(n int64) DialOption {
	return func(d *dialConfig) {
		if n > 0 {
			d.readLimit = n
		}
	}
}

// WithWriteTimeout bounds each Send; the default is 10 s.
func WithWriteTimeout(t time.Duration) DialOption {
	return func(d *dialConfig) {
		if t > 0 {
			d.writeTimeout = t
		}
	}
}
