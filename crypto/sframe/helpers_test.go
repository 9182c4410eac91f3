package sframe

import (
	"bytes"
	"errors"
	"testing"
)

var allSuites = []Suite{
	AES_128_CTR_HMAC_SHA256_80,
	AES_128_CTR_HMAC_SHA256_64,
	AES_128_CTR_HMAC_SHA256_32,
	AES_128_GCM_SHA256_128,
	AES_256_GCM_SHA512_128,
}

// testKey returns a deterministic base key distinct per seed.
func testKey(seed byte) []byte {
	k := make([]byte, 32)
	for i := range k {
		k[i] = seed + byte(i)
	}
	return k
}

// pair returns a sending and a receiving Context sharing kid.
func pair(t testing.TB, s Suite, kid uint64) (send, recv *Context) {
	t.Helper()
	send, recv = mustContext(t, s), mustContext(t, s)
	if err := send.AddSendKey(kid, testKey(1)); err != nil {
		t.Fatal(err)
	}
	if err := recv.AddReceiveKey(kid, testKey(1)); err != nil {
		t.Fatal(err)
	}
	return send, recv
}

func mustEncrypt(t testing.TB, c *Context, kid uint64, metadata, pt []byte) []byte {
	t.Helper()
	ct, err := c.Encrypt(nil, kid, metadata, pt)
	if err != nil {
		t.Fatal(err)
	}
	return ct
}

func wantErr(t testing.TB, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}

func wantOpen(t testing.TB, c *Context, metadata, ct, pt []byte) {
	t.Helper()
	got, err := c.Decrypt(nil, metadata, ct)
	if err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("Decrypt = %x, %v; want %x", got, err, pt)
	}
}
