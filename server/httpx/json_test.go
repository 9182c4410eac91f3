package httpx

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestDecodeJSON(t *testing.T) {
	t.Parallel()
	type req struct {
		A string `json:"a"`
	}
	tests := []struct {
		name, body string
		ok         bool
	}{
		{"valid", `{"a":"x"}`, true},
		{"unknown field", `{"a":"x","b":1}`, false},
		{"trailing", `{"a":"x"} {}`, false},
		{"not json", `a=x`, false},
		{"too large", `{"a":"` + strings.Repeat("x", MaxBodyBytes) + `"}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tc.body))
			var v req
			err := DecodeJSON(httptest.NewRecorder(), r, &v)
			if tc.ok != (err == nil) {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, ErrBadRequest) {
				t.Fatalf("err = %v, want ErrBadRequest", err)
			}
		})
	}
}

func TestWriteError(t *testing.T) {
	t.Parallel()
	w := httptest.NewRecorder()
	WriteError(w, http.StatusForbidden, "forbidden", "admins only")
	if w.Code != http.StatusForbidden || strings.TrimSpace(w.Body.String()) != `{"error":{"code":"forbidden","message":"admins only"}}` {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
}
