package e2ee

import (
	"bytes"
	"crypto/mlkem"
	"crypto/mlkem/mlkemtest"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"testing"

	"github.com/parley-voip/parley/crypto/identity"
	"github.com/parley-voip/parley/crypto/sframe"
)

var updateVectors = flag.Bool("update", false, "rewrite testdata/handshake_vectors.json from the implementation")

const vectorsFile = "testdata/handshake_vectors.json"

// handshakeVector pins the wire format, the code derivation and the key
// schedule: given the randomness of both sides, every message, the code and
// the media keys are fixed. The vectors were produced by this
// implementation (go test -run TestHandshakeVectors -update) and guard
// against unintended changes; a second implementation must reproduce them.
type handshakeVector struct {
	Name                 string       `json:"name"`
	Suite                sframe.Suite `json:"suite"`
	CallID               string       `json:"call_id"`
	InitiatorID          string       `json:"initiator_id"`
	ResponderID          string       `json:"responder_id"`
	InitiatorFingerprint string       `json:"initiator_fingerprint"`
	ResponderFingerprint string       `json:"responder_fingerprint"`
	InitiatorIdentity    string       `json:"initiator_identity_seed"` // Ed25519 seed (RFC 8032)
	ResponderIdentity    string       `json:"responder_identity_seed"`
	InitiatorRand        string       `json:"initiator_rand"` // x25519 scalar || nonce
	ResponderRand        string       `json:"responder_rand"` // x25519 scalar || ml-kem seed (d||z) || nonce
	EncapsulationRand    string       `json:"encapsulation_rand"`
	Commit               string       `json:"commit"`
	ResponderHello       string       `json:"responder_hello"`
	Reveal               string       `json:"reveal"`
	Confirm              string       `json:"confirm"`
	Code                 string       `json:"code"`
	KeyIR                string       `json:"key_initiator_to_responder"`
	KeyRI                string       `json:"key_responder_to_initiator"`
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// runVector replays a vector's handshake and returns what it produced.
func runVector(t *testing.T, v handshakeVector) handshakeVector {
	t.Helper()
	cfg := func(role Role, rnd, idSeed string) Config {
		id, err := identity.Generate(bytes.NewReader(unhex(t, idSeed)))
		if err != nil {
			t.Fatal(err)
		}
		return Config{
			Role: role, Identity: id, CallID: v.CallID, InitiatorID: v.InitiatorID, ResponderID: v.ResponderID,
			InitiatorFingerprint: mustFP(v.InitiatorFingerprint), ResponderFingerprint: mustFP(v.ResponderFingerprint),
			Suite: v.Suite, Rand: bytes.NewReader(unhex(t, rnd)),
		}
	}
	i := mustNew(t, cfg(Initiator, v.InitiatorRand, v.InitiatorIdentity))
	r := mustNew(t, cfg(Responder, v.ResponderRand, v.ResponderIdentity))
	m := unhex(t, v.EncapsulationRand)
	i.encapsulate = func(ek *mlkem.EncapsulationKey768) ([]byte, []byte, error) {
		return mlkemtest.Encapsulate768(ek, m)
	}
	out := v
	commit, err := i.Start()
	if err != nil {
		t.Fatal(err)
	}
	hello := step(t, r, commit)
	reveal := step(t, i, hello)
	confirm := step(t, r, reveal)
	step(t, i, confirm)
	ri, _ := i.Result()
	rr, _ := r.Result()
	if !ri.Code().Equal(rr.Code()) || !ri.SendKey().Equal(rr.ReceiveKey()) {
		t.Fatal("sides disagree")
	}
	out.Commit, out.ResponderHello = hex.EncodeToString(commit), hex.EncodeToString(hello)
	out.Reveal, out.Confirm = hex.EncodeToString(reveal), hex.EncodeToString(confirm)
	out.Code = ri.Code().String()
	out.KeyIR = hex.EncodeToString(ri.SendKey().key[:])
	out.KeyRI = hex.EncodeToString(ri.ReceiveKey().key[:])
	return out
}

func TestHandshakeVectors(t *testing.T) {
	raw, err := os.ReadFile(vectorsFile)
	if err != nil {
		t.Fatal(err)
	}
	var vs []handshakeVector
	if err := json.Unmarshal(raw, &vs); err != nil {
		t.Fatal(err)
	}
	if *updateVectors {
		for n := range vs {
			vs[n] = runVector(t, vs[n])
		}
		b, _ := json.MarshalIndent(vs, "", "  ")
		if err := os.WriteFile(vectorsFile, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, v := range vs {
		t.Run(v.Name, func(t *testing.T) {
			t.Parallel()
			if v.Code == "" {
				t.Fatal("vector has no expected output; run with -update")
			}
			got := runVector(t, v)
			if got != v {
				t.Fatalf("vector mismatch:\n got %+v\nwant %+v", got, v)
			}
		})
	}
}

// TestCodeReduction checks the digest → digits step on edge values
// computed independently (testdata/code_vectors.json).
func TestCodeReduction(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/code_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []struct{ Name, Digest, Code string }
	if err := json.Unmarshal(raw, &vs); err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		t.Run(v.Name, func(t *testing.T) {
			t.Parallel()
			var d [hashSize]byte
			if n := copy(d[:], unhex(t, v.Digest)); n != hashSize {
				t.Fatalf("digest is %d bytes", n)
			}
			if got := codeFromDigest(d).String(); got != v.Code {
				t.Fatalf("got %s, want %s", got, v.Code)
			}
		})
	}
}
