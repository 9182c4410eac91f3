package signaling

import (
	"reflect"
	"testing"
)

// FuzzDecode checks that Decode never panics and that whatever it accepts
// survives encode→decode unchanged.
func FuzzDecode(f *testing.F) {
	for _, v := range loadVectors(f) {
		f.Add([]byte(v.Frame))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			if m != nil {
				t.Fatalf("message and error: %v", err)
			}
			return
		}
		out, err := Encode(m)
		if err != nil {
			t.Fatalf("Encode of an accepted message: %v", err)
		}
		m2, err := Decode(out)
		if err != nil {
			t.Fatalf("Decode(Encode(m)) of %q: %v", out, err)
		}
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("round trip differs:\n%+v\n%+v", m, m2)
		}
	})
}
