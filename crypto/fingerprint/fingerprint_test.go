package fingerprint

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// colonHex writes b as RFC 8122 wants it, upper-case pairs and colons.
func colonHex(b []byte) string {
	h := strings.ToUpper(hex.EncodeToString(b))
	var parts []string
	for i := 0; i < len(h); i += 2 {
		parts = append(parts, h[i:i+2])
	}
	return strings.Join(parts, ":")
}

var testCert = []byte("not really DER, but any bytes hash the same way")

func TestFromCertificate(t *testing.T) {
	t.Parallel()
	s256 := sha256.Sum256(testCert)
	s384 := sha512.Sum384(testCert)
	s512 := sha512.Sum512(testCert)
	for _, tc := range []struct {
		h    Hash
		want string
	}{
		{SHA256, "sha-256 " + colonHex(s256[:])},
		{SHA384, "sha-384 " + colonHex(s384[:])},
		{SHA512, "sha-512 " + colonHex(s512[:])},
	} {
		f := FromCertificate(tc.h, testCert)
		if f.String() != tc.want {
			t.Fatalf("%v: %s, want %s", tc.h, f, tc.want)
		}
		back, err := Parse(tc.want)
		if err != nil || back != f || !back.Equal(f) {
			t.Fatalf("Parse(%q) = %v, %v", tc.want, back, err)
		}
		if !f.Matches(testCert) || f.Matches([]byte("other")) || f.Matches(nil) {
			t.Fatalf("%v: Matches is wrong", tc.h)
		}
	}
	if (Fingerprint{}).Matches(testCert) || (Fingerprint{}).String() != "" {
		t.Fatal("zero fingerprint matches or prints")
	}
}

// TestParseCanonical: the hash name is case-insensitive and hex may be of
// either case; the canonical string is the same.
func TestParseCanonical(t *testing.T) {
	t.Parallel()
	want := FromCertificate(SHA256, testCert)
	for _, in := range []string{
		want.String(),
		"SHA-256 " + strings.ToLower(strings.TrimPrefix(want.String(), "sha-256 ")),
		"Sha-256 " + strings.TrimPrefix(want.String(), "sha-256 "),
		"  " + want.String() + "\r\n",
	} {
		f, err := Parse(in)
		if err != nil || f.String() != want.String() || !f.Equal(want) {
			t.Fatalf("Parse(%q) = %q, %v", in, f, err)
		}
	}
	other := FromCertificate(SHA384, testCert)
	if other.Equal(want) || FromCertificate(SHA256, []byte("x")).Equal(want) {
		t.Fatal("different fingerprints compare equal")
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	good := FromCertificate(SHA256, testCert).String()
	hexPart := strings.TrimPrefix(good, "sha-256 ")
	s1 := sha1.Sum(testCert)
	cases := []struct {
		name, in string
		want     error
	}{
		{"empty", "", ErrMalformed},
		{"no hash", hexPart, ErrMalformed},
		{"sha-1", "sha-1 " + colonHex(s1[:]), ErrWeakHash},
		{"SHA-1 upper", "SHA-1 " + colonHex(s1[:]), ErrWeakHash},
		{"md5", "md5 " + colonHex(s1[:16]), ErrWeakHash},
		{"sha-224", "sha-224 " + colonHex(make([]byte, 28)), ErrWeakHash},
		{"unknown", "sha3-256 " + hexPart, ErrUnknownHash},
		{"underscore", "sha_256 " + hexPart, ErrUnknownHash},
		{"short digest", "sha-256 " + hexPart[:len(hexPart)-3], ErrMalformed},
		{"sha-256 digest as sha-384", "sha-384 " + hexPart, ErrMalformed},
		{"bad hex", "sha-256 " + strings.Replace(hexPart, hexPart[:2], "G0", 1), ErrMalformed},
		{"bad separator", "sha-256 " + strings.Replace(hexPart, ":", "-", 1), ErrMalformed},
		{"two spaces", "sha-256  " + hexPart, ErrMalformed},
		{"too large", "sha-256 " + strings.Repeat("A", MaxSize), ErrTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse(tc.in)
			if !errors.Is(err, tc.want) || !f.IsZero() {
				t.Fatalf("Parse(%q) = %v, %v; want %v", tc.in, f, err, tc.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add(FromCertificate(SHA256, testCert).String())
	f.Add(FromCertificate(SHA512, testCert).String())
	f.Add("SHA-384 " + strings.ToLower(strings.TrimPrefix(FromCertificate(SHA384, testCert).String(), "sha-384 ")))
	f.Add("sha-1 00:11")
	f.Fuzz(func(t *testing.T, s string) {
		fp, err := Parse(s)
		if err != nil {
			if !fp.IsZero() {
				t.Fatalf("error %v with a result", err)
			}
			return
		}
		again, err := Parse(fp.String())
		if err != nil || again != fp {
			t.Fatalf("canonical %q re-parsed as %q, %v", fp, again, err)
		}
	})
}
