package signaling

import (
	"errors"
	"testing"
)

func TestMediaStateWire(t *testing.T) {
	m, err := Decode([]byte(`{"type":"media-state","call_id":"c1","media":{"muted":true,"held":false}}`))
	if err != nil || m.Media == nil || !m.Media.Muted || m.Media.Held || !m.Type.IsCallMessage() {
		t.Fatalf("decode: %+v, %v", m, err)
	}
	for _, bad := range []string{
		`{"type":"media-state","call_id":"c1"}`,                         // no media
		`{"type":"media-state","media":{"muted":true}}`,                 // no call
		`{"type":"media-state","call_id":"c1","media":{},"sdp":"v=0"}`,  // a field it does not carry
		`{"type":"chat","to":"bob","text":"hi","media":{"muted":true}}`, // media on another type
	} {
		var fe *FieldError
		if _, err := Decode([]byte(bad)); !errors.As(err, &fe) {
			t.Errorf("%s: %v, want a field error", bad, err)
		}
	}
}
