package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/parley-voip/parley/api"
)

// client calls the server's API with a bearer token (package api).
type client struct {
	http   *http.Client
	server string
	token  string
}

// call sends body as JSON and returns the raw answer of a 2xx reply,
// decoded into out when out is not nil. A refusal is an *api.Error,
// wrapped with what to do about it when the status says.
func (c *client) call(ctx context.Context, method, path string, body, out any) ([]byte, error) {
	cl := api.Client{Base: c.server, Token: c.token, HTTP: c.http}
	b, err := cl.Do(ctx, method, path, body, out)
	var ae *api.Error
	switch {
	case err == nil:
		return b, nil
	case !errors.As(err, &ae):
		return nil, fmt.Errorf("contacting %s: %w", c.server, err)
	case ae.Status == http.StatusUnauthorized:
		return nil, fmt.Errorf("not signed in or session expired: run `parleyctl login` (%w)", err)
	case ae.Status == http.StatusForbidden:
		return nil, fmt.Errorf("refused: %w (this command needs an administrator)", err)
	case ae.Message != "":
		return nil, fmt.Errorf("%w (%s)", err, ae.Code)
	}
	return nil, err
}

// seg escapes one path segment (names may contain spaces).
func seg(s string) string { return url.PathEscape(s) }
