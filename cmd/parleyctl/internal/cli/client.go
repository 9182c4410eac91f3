package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxResponseBytes bounds what parleyctl reads from the server.
const maxResponseBytes = 8 << 20

// client calls the server's API with a bearer token.
type client struct {
	http   *http.Client
	server string
	token  string
}

// do sends body as JSON and returns the raw response body of a 2xx reply,
// or an *APIError.
func (c *client) do(ctx context.Context, method, path string, body any) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.server, "/")+path, rd)
	if err != nil {
		return nil, fmt.Errorf("building request: %w", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("contacting %s: %w", c.server, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return nil, fmt.Errorf("reading reply from %s: %w", c.server, err)
	}
	if resp.StatusCode >= 300 {
		apiErr := &APIError{Status: resp.StatusCode}
		var eb struct {
			Error struct{ Code, Message string }
		}
		if json.Unmarshal(b, &eb) == nil {
			apiErr.Code, apiErr.Message = eb.Error.Code, eb.Error.Message
		}
		if apiErr.Code == "" {
			apiErr.Code = strings.ToLower(strings.ReplaceAll(http.StatusText(resp.StatusCode), " ", "-"))
		}
		return nil, apiErr
	}
	return b, nil
}

// get decodes a 2xx JSON reply into out.
func (c *client) call(ctx context.Context, method, path string, body, out any) ([]byte, error) {
	b, err := c.do(ctx, method, path, body)
	if err != nil {
		return nil, err
	}
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			return nil, fmt.Errorf("unexpected reply from server: %w", err)
		}
	}
	return b, nil
}

// seg escapes one path segment (names may contain spaces).
func seg(s string) string { return url.PathEscape(s) }
