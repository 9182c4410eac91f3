package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// DefaultMaxResponse bounds an answer when Client.MaxResponse is zero.
const DefaultMaxResponse = 8 << 20

// Client calls one server's HTTP API.
type Client struct {
	// Base is the server's address, "https://host:port" (a trailing
	// slash is ignored).
	Base string
	// Token is the session token sent as "Authorization: Bearer"; none
	// when empty.
	Token string
	// HTTP sends the requests (pinned TLS, timeouts); http.DefaultClient
	// when nil.
	HTTP *http.Client
	// MaxResponse bounds the bytes read of an answer; DefaultMaxResponse
	// when zero. A longer answer is cut there and fails to decode.
	MaxResponse int64
}

// Error is the server's refusal: its HTTP status and the envelope's code
// and message.
type Error struct {
	Status  int
	Code    string // e.g. "not-found", "unauthorized"; the status text when the body had none
	Message string
}

func (e *Error) Error() string {
	if e.Message != "" {
		return e.Message
	}
	return fmt.Sprintf("server answered %d %s", e.Status, e.Code)
}

// Do sends body (JSON-encoded unless nil) as method to path and returns
// the raw answer of a 2xx reply, decoded into out as well when out is not
// nil and the answer not empty. Any other status is an *Error.
func (c *Client) Do(ctx context.Context, method, path string, body, out any) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("api: encoding request: %w", err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.Base, "/")+path, rd)
	if err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	limit := c.MaxResponse
	if limit <= 0 {
		limit = DefaultMaxResponse
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	if err != nil {
		return nil, fmt.Errorf("api: reading the answer: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, decodeError(resp.StatusCode, b)
	}
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			return nil, fmt.Errorf("api: unexpected answer: %w", err)
		}
	}
	return b, nil
}

// decodeError reads the error envelope; a body without one still gives
// the status.
func decodeError(status int, b []byte) *Error {
	var env struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	_ = json.Unmarshal(b, &env)
	e := &Error{Status: status, Code: env.Error.Code, Message: env.Error.Message}
	if e.Code == "" {
		e.Code = strings.ToLower(strings.ReplaceAll(http.StatusText(status), " ", "-"))
	}
	return e
}
