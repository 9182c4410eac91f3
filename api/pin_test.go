package api

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"
)

func selfSigned(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test"},
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1<<33, 0)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestFingerprintFormat(t *testing.T) {
	t.Parallel()
	der := selfSigned(t)
	fp := Fingerprint(der)
	sum := sha256.Sum256(der)
	hexBytes := make([]string, len(sum))
	for i, b := range sum {
		hexBytes[i] = fmt.Sprintf("%02X", b)
	}
	if want := strings.Join(hexBytes, ":"); fp != want {
		t.Fatalf("fingerprint %q, want the SHA-256's 32 bytes in uppercase hex, colon-separated: %q", fp, want)
	}
}

func TestPinnedTLS(t *testing.T) {
	t.Parallel()
	der := selfSigned(t)
	if err := PinnedTLS(Fingerprint(der)).VerifyPeerCertificate([][]byte{der}, nil); err != nil {
		t.Fatalf("pinned certificate refused: %v", err)
	}
	if err := PinnedTLS(Fingerprint(selfSigned(t))).VerifyPeerCertificate([][]byte{der}, nil); !errors.Is(err, ErrPinMismatch) {
		t.Fatalf("other certificate: %v, want ErrPinMismatch", err)
	}
	if err := PinnedTLS(Fingerprint(der)).VerifyPeerCertificate(nil, nil); !errors.Is(err, ErrPinMismatch) {
		t.Fatalf("no certificate: %v, want ErrPinMismatch", err)
	}
}
