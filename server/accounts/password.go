package accounts

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// HashParams are argon2id's cost parameters. They are written into every
// hash string, so raising them affects new hashes only and old ones still
// verify.
type HashParams struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

// DefaultHashParams follow RFC 9106's second recommended option (64 MiB,
// 3 passes), with 2 lanes for a small server.
var DefaultHashParams = HashParams{Memory: 64 << 10, Time: 3, Threads: 2}

// Limits on parameters read back from a stored hash, so a tampered row
// cannot make one sign-in allocate gigabytes or spin for minutes.
const (
	maxHashMemory = 1 << 20 // KiB, 1 GiB
	maxHashTime   = 64
	saltLen       = 16
	keyLen        = 32
)

func (p HashParams) validate() error {
	if p.Memory < 8*uint32(p.Threads) || p.Memory > maxHashMemory || p.Time < 1 || p.Time > maxHashTime || p.Threads < 1 {
		return fmt.Errorf("%w: argon2id parameters m=%d t=%d p=%d", ErrInvalidConfig, p.Memory, p.Time, p.Threads)
	}
	return nil
}

// KeyFunc derives an argon2id key; argon2.IDKey is the only production
// one. Config.Key lets tests and instrumentation count or observe
// evaluations.
type KeyFunc func(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte

// HashPassword returns the PHC string
// $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<key> (unpadded
// base64), the format the reference implementation prints.
func HashPassword(password string, p HashParams) (string, error) {
	return hashPassword(argon2.IDKey, password, p)
}

func hashPassword(kdf KeyFunc, password string, p HashParams) (string, error) {
	if err := p.validate(); err != nil {
		return "", err
	}
	salt := make([]byte, saltLen)
	_, _ = rand.Read(salt)
	return formatHash(p, salt, kdf([]byte(password), salt, p.Time, p.Memory, p.Threads, keyLen)), nil
}

func formatHash(p HashParams, salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// dummyHash is a well-formed hash with p's cost that no password matches
// (its key is random, not derived). Verifying against it costs what a real
// hash costs, without computing one: sign-in for an unknown user takes as
// long as for a known one, and nothing is hashed at start-up.
func dummyHash(p HashParams) string {
	salt, key := make([]byte, saltLen), make([]byte, keyLen)
	_, _ = rand.Read(salt)
	_, _ = rand.Read(key)
	return formatHash(p, salt, key)
}

// VerifyPassword reports whether password matches the PHC string hash. The
// comparison is constant-time.
func VerifyPassword(password, hash string) (bool, error) {
	p, salt, key, err := parseHash(hash)
	if err != nil {
		return false, err
	}
	return verifyKey(argon2.IDKey, password, p, salt, key), nil
}

func verifyKey(kdf KeyFunc, password string, p HashParams, salt, key []byte) bool {
	got := kdf([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

func parseHash(s string) (HashParams, []byte, []byte, error) {
	bad := func(why string) (HashParams, []byte, []byte, error) {
		return HashParams{}, nil, nil, fmt.Errorf("%w: %s", ErrBadHash, why)
	}
	if len(s) > 256 {
		return bad("too long")
	}
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return bad("not $argon2id$v=..$m=..,t=..,p=..$salt$key")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return bad("unsupported version " + parts[2])
	}
	var p HashParams
	for kv := range strings.SplitSeq(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return bad("parameter " + kv)
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return bad("parameter " + kv)
		}
		switch k {
		case "m":
			p.Memory = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			if n > 255 {
				return bad("parameter " + kv)
			}
			p.Threads = uint8(n)
		default:
			return bad("parameter " + kv)
		}
	}
	if err := p.validate(); err != nil {
		return bad(err.Error())
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return bad("salt")
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 64 {
		return bad("key")
	}
	return p, salt, key, nil
}
