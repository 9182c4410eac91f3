package signaling

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

type decodeVector struct {
	Name  string `json:"name"`
	Frame string `json:"frame"`
	Code  string `json:"code"` // expected DecodeError.Code(); empty for valid frames
	Is    string `json:"is"`   // expected sentinel
	Ref   string `json:"ref"`
}

var sentinels = map[string]error{
	"malformed":     ErrMalformed,
	"unknown-type":  ErrUnknownType,
	"too-large":     ErrTooLarge,
	"missing-field": ErrMissingField,
	"not-allowed":   ErrFieldNotAllowed,
	"too-long":      ErrFieldTooLong,
	"invalid-field": ErrInvalidField,
}

func loadVectors(t testing.TB) []decodeVector {
	t.Helper()
	b, err := os.ReadFile("testdata/decode.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []decodeVector
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatal(err)
	}
	return vs
}

func TestDecodeVectors(t *testing.T) {
	t.Parallel()
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			t.Parallel()
			m, err := Decode([]byte(v.Frame))
			if v.Code == "" {
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				assertRoundTrip(t, m)
				return
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("Decode error = %v, want *DecodeError", err)
			}
			if m != nil {
				t.Errorf("Decode returned a message with error %v", err)
			}
			if got := string(de.Code()); got != v.Code {
				t.Errorf("code = %q, want %q (%v)", got, v.Code, err)
			}
			if want := sentinels[v.Is]; !errors.Is(err, want) {
				t.Errorf("error %v is not %v", err, want)
			}
			if de.Ref != v.Ref {
				t.Errorf("ref = %q, want %q", de.Ref, v.Ref)
			}
		})
	}
}

func assertRoundTrip(t *testing.T, m *Message) {
	t.Helper()
	b, err := Encode(m)
	if err != nil {
		t.Fatalf("Encode(decoded): %v", err)
	}
	m2, err := Decode(b)
	if err != nil {
		t.Fatalf("Decode(Encode(decoded)) of %s: %v", b, err)
	}
	if !reflect.DeepEqual(m, m2) {
		t.Fatalf("round trip differs:\n first %+v\nsecond %+v", m, m2)
	}
	b2, err := Encode(m2)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, b2) {
		t.Fatalf("encoding not stable:\n%s\n%s", b, b2)
	}
}

func TestDecodeTooLarge(t *testing.T) {
	t.Parallel()
	sdp := strings.Repeat("a", MaxMessageBytes)
	frame := `{"type":"offer","call_id":"c","sdp":"` + sdp + `"}`
	_, err := Decode([]byte(frame))
	var de *DecodeError
	if !errors.As(err, &de) || de.Code() != CodeTooLarge || !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Decode(oversized) = %v, want too-large", err)
	}
}

func TestDecodeFieldLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		m    Message
	}{
		{"sdp", Message{Type: TypeOffer, CallID: "c", SDP: strings.Repeat("v", MaxSDPLen+1)}},
		{"name", Message{Type: TypeHello, User: &User{ID: "a", Name: strings.Repeat("n", MaxNameLen+1)}}},
		{"data", Message{Type: TypeKeyAgreement, CallID: "c", Data: make([]byte, MaxDataLen+1)}},
		{"candidate", Message{Type: TypeCandidate, CallID: "c", Candidate: &Candidate{Candidate: strings.Repeat("c", MaxCandidateLen+1)}}},
		{"call id", Message{Type: TypeHangup, CallID: strings.Repeat("c", MaxIDLen+1)}},
		{"error text", Message{Type: TypeError, Error: &ErrorInfo{Code: CodeInternal, Message: strings.Repeat("m", MaxErrorTextLen+1)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := Encode(&tt.m); !errors.Is(err, ErrFieldTooLong) {
				t.Errorf("Encode = %v, want ErrFieldTooLong", err)
			}
			b, err := json.Marshal(&tt.m)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Decode(b); !errors.Is(err, ErrFieldTooLong) {
				t.Errorf("Decode = %v, want ErrFieldTooLong", err)
			}
			// One byte less is accepted, so the limit is where it claims.
			shrink(&tt.m)
			if _, err := Encode(&tt.m); err != nil {
				t.Errorf("Encode at the limit: %v", err)
			}
		})
	}
}

func shrink(m *Message) {
	switch {
	case m.SDP != "":
		m.SDP = m.SDP[1:]
	case m.User != nil:
		m.User.Name = m.User.Name[1:]
	case m.Data != nil:
		m.Data = m.Data[1:]
	case m.Candidate != nil:
		m.Candidate.Candidate = m.Candidate.Candidate[1:]
	case m.Error != nil:
		m.Error.Message = m.Error.Message[1:]
	default:
		m.CallID = m.CallID[1:]
	}
}

func TestEncodeRejectsInvalid(t *testing.T) {
	t.Parallel()
	if _, err := Encode(&Message{Type: "bogus"}); !errors.Is(err, ErrUnknownType) {
		t.Errorf("Encode(bogus) = %v", err)
	}
	if _, err := Encode(&Message{Type: TypeOffer, CallID: "c"}); !errors.Is(err, ErrMissingField) {
		t.Errorf("Encode(offer without sdp) = %v", err)
	}
}

func TestMessageErr(t *testing.T) {
	t.Parallel()
	m := &Message{Type: TypeError, Error: &ErrorInfo{Code: CodeUnreachable, Message: "bob is offline", Ref: "7"}}
	var se *ServerError
	if !errors.As(m.Err(), &se) || se.Code != CodeUnreachable || se.Ref != "7" {
		t.Fatalf("Err() = %v", m.Err())
	}
	if (&Message{Type: TypeRinging, CallID: "c"}).Err() != nil {
		t.Fatal("Err() of a non-error message is not nil")
	}
}
