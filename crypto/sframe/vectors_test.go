package sframe

import (
	"bytes"
	"crypto/hkdf"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// hexBytes and hexUint read the RFC's notation: byte strings in hex,
// numbers as 0x-prefixed hex.
type hexBytes []byte

func (h *hexBytes) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := hex.DecodeString(s)
	*h = v
	return err
}

type hexUint uint64

func (h *hexUint) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := strconv.ParseUint(strings.TrimPrefix(s, "0x"), 16, 64)
	*h = hexUint(v)
	return err
}

type headerVector struct {
	KID    hexUint  `json:"kid"`
	CTR    hexUint  `json:"ctr"`
	Header hexBytes `json:"header"`
}

type aeadVector struct {
	Suite   hexUint  `json:"cipher_suite"`
	Key     hexBytes `json:"key"`
	EncKey  hexBytes `json:"enc_key"`
	AuthKey hexBytes `json:"auth_key"`
	Nonce   hexBytes `json:"nonce"`
	AAD     hexBytes `json:"aad"`
	PT      hexBytes `json:"pt"`
	CT      hexBytes `json:"ct"`
}

type sframeVector struct {
	Suite     hexUint  `json:"cipher_suite"`
	KID       hexUint  `json:"kid"`
	CTR       hexUint  `json:"ctr"`
	BaseKey   hexBytes `json:"base_key"`
	KeyLabel  hexBytes `json:"sframe_key_label"`
	SaltLabel hexBytes `json:"sframe_salt_label"`
	Secret    hexBytes `json:"sframe_secret"`
	Key       hexBytes `json:"sframe_key"`
	Salt      hexBytes `json:"sframe_salt"`
	Metadata  hexBytes `json:"metadata"`
	Nonce     hexBytes `json:"nonce"`
	AAD       hexBytes `json:"aad"`
	PT        hexBytes `json:"pt"`
	CT        hexBytes `json:"ct"`
}

type vectorFile struct {
	Header     []headerVector `json:"header"`
	AESCTRHMAC []aeadVector   `json:"aes_ctr_hmac"`
	SFrame     []sframeVector `json:"sframe"`
}

func loadVectors(t testing.TB) *vectorFile {
	t.Helper()
	b, err := os.ReadFile("testdata/rfc9605_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectorFile
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	// RFC 9605 C.1 has 17 KIDs x 17 CTRs, C.2 three suites, C.3 five.
	if len(v.Header) != 289 || len(v.AESCTRHMAC) != 3 || len(v.SFrame) != 5 {
		t.Fatalf("vector file: %d header, %d aead, %d sframe vectors", len(v.Header), len(v.AESCTRHMAC), len(v.SFrame))
	}
	return &v
}

func TestHeaderVectors(t *testing.T) {
	t.Parallel()
	for _, v := range loadVectors(t).Header {
		kid, ctr := uint64(v.KID), uint64(v.CTR)
		t.Run(fmt.Sprintf("kid=%x/ctr=%x", kid, ctr), func(t *testing.T) {
			t.Parallel()
			if got := AppendHeader(nil, kid, ctr); !bytes.Equal(got, v.Header) {
				t.Errorf("AppendHeader = %x, want %x", got, v.Header)
			}
			if got := HeaderSize(kid, ctr); got != len(v.Header) {
				t.Errorf("HeaderSize = %d, want %d", got, len(v.Header))
			}
			// Trailing bytes stand for the ciphertext that follows.
			in := append(bytes.Clone(v.Header), 0xde, 0xad)
			gk, gc, n, err := ParseHeader(in)
			if err != nil || gk != kid || gc != ctr || n != len(v.Header) {
				t.Errorf("ParseHeader = %x, %x, %d, %v; want %x, %x, %d", gk, gc, n, err, kid, ctr, len(v.Header))
			}
		})
	}
}

func TestAESCTRHMACVectors(t *testing.T) {
	t.Parallel()
	for _, v := range loadVectors(t).AESCTRHMAC {
		s := Suite(v.Suite)
		t.Run(s.String(), func(t *testing.T) {
			t.Parallel()
			p, err := s.params()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(v.Key[:p.nka], v.EncKey) || !bytes.Equal(v.Key[p.nka:], v.AuthKey) {
				t.Fatalf("key split: enc %x auth %x", v.Key[:p.nka], v.Key[p.nka:])
			}
			c, err := newCTRHMAC(p, v.Key)
			if err != nil {
				t.Fatal(err)
			}
			nonce := [nonceSize]byte(v.Nonce)
			if got := c.seal(nil, &nonce, v.AAD, nil, v.PT); !bytes.Equal(got, v.CT) {
				t.Errorf("encrypt = %x, want %x", got, v.CT)
			}
			// AAD split between header and metadata must not matter.
			if got := c.seal(nil, &nonce, v.AAD[:3], v.AAD[3:], v.PT); !bytes.Equal(got, v.CT) {
				t.Errorf("encrypt with split aad = %x, want %x", got, v.CT)
			}
			got, err := c.open(nil, &nonce, v.AAD, nil, v.CT)
			if err != nil || !bytes.Equal(got, v.PT) {
				t.Errorf("decrypt = %x, %v; want %x", got, err, v.PT)
			}
		})
	}
}

func TestSFrameVectors(t *testing.T) {
	t.Parallel()
	for _, v := range loadVectors(t).SFrame {
		s, kid, ctr := Suite(v.Suite), uint64(v.KID), uint64(v.CTR)
		t.Run(s.String(), func(t *testing.T) {
			t.Parallel()
			t.Run("derivation", func(t *testing.T) {
				t.Parallel()
				p, _ := s.params()
				if got := deriveLabel(keyLabelPrefix, kid, s); !bytes.Equal(got, v.KeyLabel) {
					t.Errorf("key label = %x, want %x", got, v.KeyLabel)
				}
				if got := deriveLabel(saltLabelPrefix, kid, s); !bytes.Equal(got, v.SaltLabel) {
					t.Errorf("salt label = %x, want %x", got, v.SaltLabel)
				}
				secret, err := hkdf.Extract(p.newHash, v.BaseKey, nil)
				if err != nil || !bytes.Equal(secret, v.Secret) {
					t.Errorf("sframe_secret = %x, %v; want %x", secret, err, v.Secret)
				}
				key, salt, err := deriveKeySalt(s, p, kid, v.BaseKey)
				if err != nil || !bytes.Equal(key, v.Key) || !bytes.Equal(salt[:], v.Salt) {
					t.Errorf("key, salt = %x, %x, %v; want %x, %x", key, salt, err, v.Key, v.Salt)
				}
				fk, err := newFrameKey(s, kid, v.BaseKey)
				if err != nil {
					t.Fatal(err)
				}
				if n := fk.nonce(ctr); !bytes.Equal(n[:], v.Nonce) {
					t.Errorf("nonce = %x, want %x", n, v.Nonce)
				}
				if aad := append(AppendHeader(nil, kid, ctr), v.Metadata...); !bytes.Equal(aad, v.AAD) {
					t.Errorf("aad = %x, want %x", aad, v.AAD)
				}
			})
			t.Run("stateless", func(t *testing.T) {
				t.Parallel()
				ct, err := Seal(s, v.BaseKey, kid, ctr, v.Metadata, v.PT)
				if err != nil || !bytes.Equal(ct, v.CT) {
					t.Errorf("Seal = %x, %v; want %x", ct, err, v.CT)
				}
				gk, gc, pt, err := Open(s, v.BaseKey, v.Metadata, v.CT)
				if err != nil || gk != kid || gc != ctr || !bytes.Equal(pt, v.PT) {
					t.Errorf("Open = %x, %x, %x, %v; want %x, %x, %x", gk, gc, pt, err, kid, ctr, v.PT)
				}
			})
			t.Run("context", func(t *testing.T) {
				t.Parallel()
				send := mustContext(t, s)
				if err := send.AddSendKey(kid, v.BaseKey); err != nil {
					t.Fatal(err)
				}
				send.lookup(kid).next = ctr // the vector starts mid-stream
				ct, err := send.Encrypt(make([]byte, 0, 128), kid, v.Metadata, v.PT)
				if err != nil || !bytes.Equal(ct, v.CT) {
					t.Errorf("Encrypt = %x, %v; want %x", ct, err, v.CT)
				}
				recv := mustContext(t, s)
				if err := recv.AddReceiveKey(kid, v.BaseKey); err != nil {
					t.Fatal(err)
				}
				gk, gc, pt, err := recv.DecryptKID(nil, v.Metadata, v.CT)
				if err != nil || gk != kid || gc != ctr || !bytes.Equal(pt, v.PT) {
					t.Errorf("DecryptKID = %x, %x, %x, %v; want %x, %x, %x", gk, gc, pt, err, kid, ctr, v.PT)
				}
			})
		})
	}
}

func mustContext(t testing.TB, s Suite) *Context {
	t.Helper()
	c, err := NewContext(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
