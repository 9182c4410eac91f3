package signaling

import (
	"errors"
	"strings"
	"testing"
)

func TestSubscribeValidation(t *testing.T) {
	t.Parallel()
	many := make([]string, MaxSubscribeIDs+1)
	for i := range many {
		many[i] = "u"
	}
	cases := []struct {
		name string
		m    Message
		want error
	}{
		{"ids", Message{Type: TypeSubscribe, IDs: []string{"bob", "carol"}}, nil},
		{"all", Message{Type: TypeSubscribe, All: true}, nil},
		{"nobody", Message{Type: TypeSubscribe}, nil},
		{"both", Message{Type: TypeSubscribe, IDs: []string{"bob"}, All: true}, ErrFieldNotAllowed},
		{"too many", Message{Type: TypeSubscribe, IDs: many}, ErrFieldTooLong},
		{"space in id", Message{Type: TypeSubscribe, IDs: []string{"a b"}}, ErrInvalidField},
		{"empty id", Message{Type: TypeSubscribe, IDs: []string{""}}, ErrMissingField},
		{"ids elsewhere", Message{Type: TypeStatus, Status: StatusBusy, IDs: []string{"bob"}}, ErrFieldNotAllowed},
		{"resume", Message{Type: TypeResume, CallID: "c1", To: "bob"}, nil},
		{"resume without peer", Message{Type: TypeResume, CallID: "c1"}, ErrMissingField},
		{"snapshot", Message{Type: TypePresence, Ref: "s1"}, nil},
		{"welcome protocol", Message{Type: TypeWelcome, User: &User{ID: "a"}, Protocol: ProtocolVersion}, nil},
	}
	for _, c := range cases {
		err := c.m.Validate()
		if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s: Validate = %v, want %v", c.name, err, c.want)
		}
	}
}

// A frame refused for an invalid id gets no ref (it could not be encoded
// into the error), and PeekID finds only valid ids.
func TestInvalidIDIsNeverARef(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"a b", "tab\\there", strings.Repeat("x", MaxIDLen+1)} {
		frame := []byte(`{"type":"chat","id":"` + id + `","to":"bob","text":"hi"}`)
		_, err := Decode(frame)
		var de *DecodeError
		if !errors.As(err, &de) || de.Ref != "" {
			t.Errorf("id %q: %v, want a DecodeError without ref", id, err)
		}
		if got := PeekID(frame); got != "" {
			t.Errorf("PeekID(%q) = %q", id, got)
		}
		if _, err := Encode(&Message{Type: TypeError, Error: &ErrorInfo{Code: de.Code(), Ref: de.Ref}}); err != nil {
			t.Errorf("id %q: the error reply does not encode: %v", id, err)
		}
	}
	if got := PeekID([]byte(`{"type":"hangup","id":"m7","call_id":"c"} trailing`)); got != "m7" {
		t.Fatalf("PeekID = %q, want m7", got)
	}
}
