package signaling

import (
	"errors"
	"testing"
)

func TestMediaVideoWire(t *testing.T) {
	m, err := Decode([]byte(`{"type":"media-video","call_id":"c1","video":{"camera":true,"screen":false}}`))
	if err != nil || m.Video == nil || !m.Video.Camera || m.Video.Screen || !m.Type.IsMediaMessage() || m.Type.IsCallMessage() || m.Type.FromServerOnly() {
		t.Fatalf("decode: %+v, %v", m, err)
	}
	for _, bad := range []string{
		`{"type":"media-video","call_id":"c1"}`,                            // no video
		`{"type":"media-video","video":{"camera":true}}`,                   // no call
		`{"type":"media-video","call_id":"c1","video":{},"muted":true}`,    // a field it does not carry
		`{"type":"mute","call_id":"c1","muted":true,"video":{"camera":1}}`, // video on another type
	} {
		var fe *FieldError
		if _, err := Decode([]byte(bad)); err == nil || (!errors.As(err, &fe) && !errors.Is(err, ErrMalformed)) {
			t.Errorf("%s: %v, want a field error", bad, err)
		}
	}
	r, err := Decode([]byte(`{"type":"roster","call_id":"c1","roster":[{"id":"alice","camera":true,"screen":true}]}`))
	if err != nil || !r.Roster[0].Camera || !r.Roster[0].Screen {
		t.Fatalf("roster: %+v, %v", r, err)
	}
}
