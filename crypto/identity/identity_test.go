package identity

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
)

func mustGenerate(t testing.TB) *PrivateKey {
	t.Helper()
	k, err := Generate(nil)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSignVerify(t *testing.T) {
	t.Parallel()
	k := mustGenerate(t)
	msg := []byte("transcript")
	sig := k.Sign(msg)
	if !k.Public().Verify(msg, sig) {
		t.Fatal("own signature does not verify")
	}
	if k.Public().Verify([]byte("other"), sig) {
		t.Fatal("signature verifies for another message")
	}
	if mustGenerate(t).Public().Verify(msg, sig) {
		t.Fatal("signature verifies under another key")
	}
	if k.Public().Verify(msg, sig[:SignatureSize-1]) || (PublicKey{}).Verify(msg, sig) {
		t.Fatal("short signature or zero key verifies")
	}
}

func TestPrivateKeyRoundTrip(t *testing.T) {
	t.Parallel()
	k := mustGenerate(t)
	enc := k.Marshal()
	if !bytes.HasPrefix(enc, []byte("-----BEGIN PRIVATE KEY-----\n")) {
		t.Fatalf("not a PKCS #8 PEM block: %q", enc)
	}
	back, err := ParsePrivateKey(enc)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Public().Equal(k.Public()) {
		t.Fatal("round trip changed the key")
	}
	if !k.Public().Verify([]byte("m"), back.Sign([]byte("m"))) {
		t.Fatal("parsed key signs differently")
	}
}

func TestGenerateDeterministic(t *testing.T) {
	t.Parallel()
	seed := bytes.Repeat([]byte{7}, 32)
	a, _ := Generate(bytes.NewReader(seed))
	b, _ := Generate(bytes.NewReader(seed))
	if !a.Public().Equal(b.Public()) {
		t.Fatal("same seed, different keys")
	}
	if _, err := Generate(bytes.NewReader(seed[:31])); err == nil {
		t.Fatal("short randomness accepted")
	}
}

func TestParsePrivateKeyErrors(t *testing.T) {
	t.Parallel()
	good := mustGenerate(t).Marshal()
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(ec)
	cases := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrMalformed},
		{"too large", append(bytes.Clone(good), bytes.Repeat([]byte{'\n'}, MaxPrivateKeySize)...), ErrTooLarge},
		{"not pem", []byte("hello"), ErrMalformed},
		{"wrong block", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1}}), ErrMalformed},
		{"garbage der", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2, 3}}), ErrMalformed},
		{"trailing data", append(bytes.Clone(good), "x"...), ErrMalformed},
		{"ecdsa key", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), ErrWrongType},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParsePrivateKey(tc.in); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestPublicKeyText(t *testing.T) {
	t.Parallel()
	pub := mustGenerate(t).Public()
	s := pub.String()
	if !strings.HasPrefix(s, "ed25519:") || len(s) != MaxTextSize {
		t.Fatalf("text form %q", s)
	}
	back, err := ParsePublicKey(s)
	if err != nil || back != pub || !back.Equal(pub) {
		t.Fatalf("ParsePublicKey(%q) = %v, %v", s, back, err)
	}
	j, err := json.Marshal(map[string]PublicKey{"k": pub})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]PublicKey
	if err := json.Unmarshal(j, &m); err != nil || m["k"] != pub {
		t.Fatalf("json round trip: %s, %v", j, err)
	}
	fp := pub.Fingerprint()
	if len(fp) != 39 || strings.Count(fp, " ") != 7 {
		t.Fatalf("fingerprint %q", fp)
	}
	if mustGenerate(t).Public().Fingerprint() == fp {
		t.Fatal("two keys share a fingerprint")
	}
	if _, err := (PublicKey{}).MarshalText(); err == nil {
		t.Fatal("zero key marshalled")
	}
}

// smallOrder lists encodings of points of small order computed from the
// curve equation: y = 1 (the identity), y = -1 (order 2) and y = 0 with
// either sign of x (order 4).
func smallOrder() [][]byte {
	one := make([]byte, 32)
	one[0] = 1
	minusOne, _ := hex.DecodeString("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
	zero := make([]byte, 32)
	zeroNeg := make([]byte, 32)
	zeroNeg[31] = 0x80
	return [][]byte{one, minusOne, zero, zeroNeg}
}

func TestPublicKeyFromBytesErrors(t *testing.T) {
	t.Parallel()
	for i, b := range smallOrder() {
		if _, err := PublicKeyFromBytes(b); !errors.Is(err, ErrWeakKey) {
			t.Errorf("small-order key %d (%x): %v, want ErrWeakKey", i, b, err)
		}
	}
	nonCanonical, _ := hex.DecodeString("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f") // y = p
	if _, err := PublicKeyFromBytes(nonCanonical); !errors.Is(err, ErrMalformed) {
		t.Errorf("y = p: %v, want ErrMalformed", err)
	}
	notPoint := make([]byte, 32)
	notPoint[0] = 2 // y = 2: x^2 = 3/(4d+1) is not a square
	if _, err := PublicKeyFromBytes(notPoint); !errors.Is(err, ErrMalformed) {
		t.Errorf("y = 2: %v, want ErrMalformed", err)
	}
	if _, err := PublicKeyFromBytes(make([]byte, 31)); !errors.Is(err, ErrMalformed) {
		t.Errorf("short key: %v", err)
	}
	// Every honest key passes.
	for range 200 {
		pub := mustGenerate(t).Public()
		if _, err := PublicKeyFromBytes(pub.Bytes()); err != nil {
			t.Fatalf("generated key %s refused: %v", pub, err)
		}
	}
}

func TestParsePublicKeyErrors(t *testing.T) {
	t.Parallel()
	good := mustGenerate(t).Public().String()
	cases := []struct {
		in   string
		want error
	}{
		{"", ErrMalformed},
		{good + "A", ErrTooLarge},
		{strings.TrimPrefix(good, "ed25519:"), ErrMalformed},
		{"x25519:" + strings.TrimPrefix(good, "ed25519:")[:36], ErrWrongType},
		{"ed25519:" + strings.Repeat("!", 43), ErrMalformed},
		{"ed25519:AAAA", ErrMalformed},
		{good[:len(good)-1] + "=", ErrMalformed},
	}
	for _, tc := range cases {
		if _, err := ParsePublicKey(tc.in); !errors.Is(err, tc.want) {
			t.Errorf("ParsePublicKey(%q) = %v, want %v", tc.in, err, tc.want)
		}
	}
}

func TestPrivateKeyNotFormatted(t *testing.T) {
	t.Parallel()
	k := mustGenerate(t)
	seed := k.k.Seed()
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%q"} {
		out := fmt.Sprintf(verb, k)
		if strings.Contains(strings.ToLower(out), hex.EncodeToString(seed)) || strings.Contains(out, string(seed)) {
			t.Fatalf("%s leaks the key: %s", verb, out)
		}
	}
	k.Erase()
	if !bytes.Equal(k.k, make([]byte, len(k.k))) {
		t.Fatal("Erase left key bytes")
	}
}

func FuzzParsePublicKey(f *testing.F) {
	f.Add(mustGenerate(f).Public().String())
	f.Add("ed25519:")
	f.Add("ed25519:" + strings.Repeat("A", 43))
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParsePublicKey(s)
		if err != nil {
			return
		}
		if k.String() != s {
			t.Fatalf("%q parsed, prints as %q", s, k.String())
		}
	})
}

func FuzzParsePrivateKey(f *testing.F) {
	f.Add(mustGenerate(f).Marshal())
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := ParsePrivateKey(b)
		if err != nil {
			return
		}
		back, err := ParsePrivateKey(k.Marshal())
		if err != nil || !back.Public().Equal(k.Public()) {
			t.Fatalf("re-parse: %v", err)
		}
	})
}

func BenchmarkPublicKeyFromBytes(b *testing.B) {
	pub := mustGenerate(b).Public().Bytes()
	for b.Loop() {
		if _, err := PublicKeyFromBytes(pub); err != nil {
			b.Fatal(err)
		}
	}
}

// orderEight derives the encodings of the points of order 8 from the curve
// equations, independently of check: on the Montgomery form (A = 486662) a
// point P has order 8 when [2]P has u = 1 (an order-4 point), that is
// (u^2 - 1)^2 = 4u(u^2 + Au + 1). Dividing by u^2 and writing w = u + 1/u
// gives w^2 - 4w - 4(A + 1) = 0, so w = 2 ± 2·sqrt(A + 2), then
// u^2 - wu + 1 = 0. Each u maps to Edwards y = (u - 1)/(u + 1).
func orderEight(t *testing.T) [][]byte {
	t.Helper()
	p := fieldPrime
	mod := func(v *big.Int) *big.Int { return v.Mod(v, p) }
	sqrt := func(v *big.Int) (*big.Int, bool) {
		r := new(big.Int).ModSqrt(mod(new(big.Int).Set(v)), p)
		return r, r != nil
	}
	s, ok := sqrt(big.NewInt(486662 + 2))
	if !ok {
		t.Fatal("A + 2 is not a square")
	}
	var out [][]byte
	for _, sign := range []int64{1, -1} {
		w := mod(new(big.Int).Add(big.NewInt(2), new(big.Int).Mul(big.NewInt(2*sign), s)))
		disc := mod(new(big.Int).Sub(new(big.Int).Mul(w, w), big.NewInt(4)))
		r, ok := sqrt(disc)
		if !ok {
			continue
		}
		half := new(big.Int).ModInverse(big.NewInt(2), p)
		for _, rs := range []*big.Int{r, new(big.Int).Neg(r)} {
			u := mod(new(big.Int).Mul(new(big.Int).Add(w, rs), half))
			y := mod(new(big.Int).Mul(new(big.Int).Sub(u, big.NewInt(1)), new(big.Int).ModInverse(new(big.Int).Add(u, big.NewInt(1)), p)))
			var be [32]byte
			y.FillBytes(be[:])
			out = append(out, reversed(be[:]))
		}
	}
	return out
}

func TestOrderEightKeysRefused(t *testing.T) {
	t.Parallel()
	var points int
	for _, enc := range orderEight(t) {
		for _, neg := range []byte{0, 0x80} {
			b := bytes.Clone(enc)
			b[31] |= neg
			_, err := PublicKeyFromBytes(b)
			if errors.Is(err, ErrMalformed) {
				continue // this u lies on the quadratic twist, not on the curve
			}
			if !errors.Is(err, ErrWeakKey) {
				t.Fatalf("order-8 point %x: %v, want ErrWeakKey", b, err)
			}
			points++
		}
	}
	if points != 4 { // the curve has exactly four points of order 8
		t.Fatalf("found %d points of order 8, want 4", points)
	}
}
