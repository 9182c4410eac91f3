package rtc

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/parley-voip/parley/crypto/fingerprint"
)

type fingerprintVector struct {
	Name string `json:"name"`
	SDP  string `json:"sdp"`
	Want string `json:"want"`
	Err  string `json:"err"`
}

var errorNames = map[string]error{
	"sdp_too_large":         ErrSDPTooLarge,
	"malformed_sdp":         ErrMalformedSDP,
	"no_fingerprint":        ErrNoFingerprint,
	"malformed_fingerprint": fingerprint.ErrMalformed,
	"weak_fingerprint":      fingerprint.ErrWeakHash,
}

func loadFingerprintVectors(tb testing.TB) []fingerprintVector {
	tb.Helper()
	raw, err := os.ReadFile("testdata/fingerprint.json")
	if err != nil {
		tb.Fatal(err)
	}
	var vs []fingerprintVector
	if err := json.Unmarshal(raw, &vs); err != nil {
		tb.Fatal(err)
	}
	return vs
}

func TestParseFingerprintVectors(t *testing.T) {
	t.Parallel()
	for _, v := range loadFingerprintVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseFingerprint(v.SDP)
			if v.Err != "" {
				want, ok := errorNames[v.Err]
				if !ok {
					t.Fatalf("vector names unknown error %q", v.Err)
				}
				if !errors.Is(err, want) {
					t.Fatalf("err = %v, want %v", err, want)
				}
				return
			}
			if err != nil || got.String() != v.Want {
				t.Fatalf("ParseFingerprint = %q, %v; want %q", got, err, v.Want)
			}
		})
	}
}

func TestParseFingerprintSizeLimit(t *testing.T) {
	t.Parallel()
	vs := loadFingerprintVectors(t)
	big := vs[0].SDP + "a=x:" + strings.Repeat("y", MaxSDPSize) + "\r\n"
	if _, err := ParseFingerprint(big); !errors.Is(err, ErrSDPTooLarge) {
		t.Fatalf("err = %v, want ErrSDPTooLarge", err)
	}
}

// minimalSDP wraps a fingerprint value in the smallest description that
// carries one, to check that canonical output parses back to itself.
func minimalSDP(fp fingerprint.Fingerprint) string {
	return "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=fingerprint:" + fp.String() +
		"\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"
}

func FuzzParseFingerprint(f *testing.F) {
	for _, v := range loadFingerprintVectors(f) {
		f.Add(v.SDP)
	}
	f.Fuzz(func(t *testing.T, desc string) {
		fp, err := ParseFingerprint(desc)
		if err != nil {
			if !fp.IsZero() {
				t.Fatalf("error %v with result %q", err, fp)
			}
			return
		}
		again, err := ParseFingerprint(minimalSDP(fp))
		if err != nil || again != fp {
			t.Fatalf("canonical %q re-parsed as %q, %v", fp, again, err)
		}
	})
}
