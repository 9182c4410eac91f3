package server

import (
	"errors"
	"strings"
	"testing"

	"github.com/parley-voip/parley/signaling"
)

func TestDecodeEnvelopeRefuses(t *testing.T) {
	for name, in := range map[string]string{
		"not json":         `{`,
		"no node":          `{"k":"beat"}`,
		"unknown kind":     `{"k":"steal","n":"a"}`,
		"deliver, no to":   `{"k":"deliver","n":"a","f":{}}`,
		"call, no frame":   `{"k":"call","n":"a","to":"bob"}`,
		"kick, no to":      `{"k":"kick","n":"a"}`,
		"too large":        `{"k":"beat","n":"a","r":"` + strings.Repeat("x", maxEnvelopeBytes) + `"}`,
		"too many entries": `{"k":"presence","n":"a","u":[` + strings.Repeat(`{"id":"x","status":"available"},`, presenceChunk) + `{"id":"y","status":"available"}]}`,
	} {
		if _, err := decodeEnvelope([]byte(in)); !errors.Is(err, ErrBadEnvelope) {
			t.Errorf("%s: %v, want ErrBadEnvelope", name, err)
		}
	}
}

func TestEnvelopeRoundTrip(t *testing.T) {
	frame, err := signaling.Encode(&signaling.Message{Type: signaling.TypeInvite, From: "alice", To: "bob", CallID: "c1"})
	if err != nil {
		t.Fatal(err)
	}
	in := envelope{Kind: kindCall, Node: "n1", To: "bob", Frame: frame}
	out, err := decodeEnvelope(encodeEnvelope(&in))
	if err != nil || out.Kind != in.Kind || out.To != "bob" || string(out.Frame) != string(frame) {
		t.Fatalf("round trip: %+v, %v", out, err)
	}
}

// FuzzDecodeEnvelope: any bytes from the bus give an envelope or
// ErrBadEnvelope, never a panic, and a hub drops what it cannot use.
func FuzzDecodeEnvelope(f *testing.F) {
	for _, s := range []string{
		`{"k":"beat","n":"a"}`,
		`{"k":"presence","n":"a","u":[{"id":"bob","status":"in-call","name":"Bob"}]}`,
		`{"k":"deliver","n":"a","to":"bob","f":{"type":"chat"}}`,
		`{"k":"call","n":"a","to":"bob","f":{"type":"invite","from":"alice","to":"bob","call_id":"c"}}`,
		`{"k":"call","n":"a","to":"bob","f":{"type":"error"}}`,
		`{"k":"kick","n":"a","to":"bob","c":4001}`,
		`{"k":"hello","n":"a"}`, `{"k":"bye","n":"a"}`, `null`, `[]`,
	} {
		f.Add([]byte(s))
	}
	h := newHub(Config{}, NewLocalBus())
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := decodeEnvelope(b); err != nil && !errors.Is(err, ErrBadEnvelope) {
			t.Fatalf("untyped error %v", err)
		}
		h.fromBus(b)
	})
}
