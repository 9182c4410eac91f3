package chat

import (
	"errors"
	"testing"
)

func TestSealOpenRecord(t *testing.T) {
	kr := &Keyring{keys: []Key{NewKey()}}
	s := &Service{keys: kr}
	id, body := s.Seal("transcript", []byte("call-1"), []byte("alice: hello"))
	pt, err := s.Open("transcript", id, []byte("call-1"), body)
	if err != nil || string(pt) != "alice: hello" {
		t.Fatalf("Open = %q, %v", pt, err)
	}
	for name, try := range map[string]func() error{
		"other row":    func() error { _, err := s.Open("transcript", id, []byte("call-2"), body); return err },
		"other domain": func() error { _, err := s.Open("recording", id, []byte("call-1"), body); return err },
		"tampered": func() error {
			b := append([]byte(nil), body...)
			b[len(b)-1] ^= 1
			_, err := s.Open("transcript", id, []byte("call-1"), b)
			return err
		},
	} {
		if err := try(); !errors.Is(err, ErrDecrypt) {
			t.Errorf("%s: %v, want ErrDecrypt", name, err)
		}
	}
	if _, err := s.Open("transcript", "nosuchkey", nil, body); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("unknown key: %v", err)
	}
}
