package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestDoSendsTokenAndJSONAndDecodes(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.Header.Get("Authorization") != "Bearer pst_x" || r.Header.Get("Content-Type") != "application/json" ||
			string(b) != `{"login":"alice"}` || r.URL.Path != "/api/signin" {
			http.Error(w, "bad request", 400)
			return
		}
		_, _ = io.WriteString(w, `{"token":"t"}`)
	}))
	defer srv.Close()
	c := &Client{Base: srv.URL + "/", Token: "pst_x"}
	var out struct{ Token string }
	raw, err := c.Do(context.Background(), "POST", "/api/signin", map[string]string{"login": "alice"}, &out)
	if err != nil || out.Token != "t" || string(raw) != `{"token":"t"}` {
		t.Fatalf("Do = %q %+v %v", raw, out, err)
	}
}

func TestDoErrorEnvelope(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/envelope":
			w.WriteHeader(404)
			_, _ = io.WriteString(w, `{"error":{"code":"not-found","message":"no such user"}}`)
		case "/bare":
			w.WriteHeader(502)
			_, _ = io.WriteString(w, "<html>proxy error</html>")
		case "/huge":
			_, _ = io.WriteString(w, `{"x":"`+strings.Repeat("a", 100)+`"}`)
		}
	}))
	defer srv.Close()
	c := &Client{Base: srv.URL, MaxResponse: 80}
	var e *Error
	_, err := c.Do(context.Background(), "GET", "/envelope", nil, nil)
	if !errors.As(err, &e) || e.Status != 404 || e.Code != "not-found" || e.Message != "no such user" || err.Error() != "no such user" {
		t.Errorf("envelope: %#v", err)
	}
	_, err = c.Do(context.Background(), "GET", "/bare", nil, nil)
	if !errors.As(err, &e) || e.Status != 502 || e.Code != "bad-gateway" || err.Error() != "server answered 502 bad-gateway" {
		t.Errorf("no envelope: %#v", err)
	}
	var out map[string]string
	if _, err := c.Do(context.Background(), "GET", "/huge", nil, &out); err == nil {
		t.Errorf("an answer over MaxResponse decoded: %v", out)
	}
}
