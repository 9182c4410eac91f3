package accounts

import (
	"errors"
	"strings"
	"testing"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	t.Parallel()
	h, err := HashPassword("correct horse", testHash)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q does not carry its parameters", h)
	}
	if ok, err := VerifyPassword("correct horse", h); !ok || err != nil {
		t.Fatalf("right password: %v %v", ok, err)
	}
	if ok, err := VerifyPassword("correct horsE", h); ok || err != nil {
		t.Fatalf("wrong password: %v %v", ok, err)
	}
	h2, _ := HashPassword("correct horse", testHash)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
	// Hashes made with other parameters still verify: they are read back
	// from the string.
	h3, err := HashPassword("x", HashParams{Memory: 128, Time: 2, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := VerifyPassword("x", h3); !ok {
		t.Fatal("hash with other parameters does not verify")
	}
}

func TestParseHashRejects(t *testing.T) {
	t.Parallel()
	for name, h := range map[string]string{
		"empty":         "",
		"argon2i":       "$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHQ$c29tZWtleXNvbWVrZXlzb21la2V5",
		"version":       "$argon2id$v=16$m=64,t=1,p=1$c29tZXNhbHQ$c29tZWtleXNvbWVrZXlzb21la2V5",
		"huge memory":   "$argon2id$v=19$m=4294967295,t=1,p=1$c29tZXNhbHQ$c29tZWtleXNvbWVrZXlzb21la2V5",
		"huge time":     "$argon2id$v=19$m=64,t=1000,p=1$c29tZXNhbHQ$c29tZWtleXNvbWVrZXlzb21la2V5",
		"zero threads":  "$argon2id$v=19$m=64,t=1,p=0$c29tZXNhbHQ$c29tZWtleXNvbWVrZXlzb21la2V5",
		"unknown param": "$argon2id$v=19$m=64,t=1,x=1$c29tZXNhbHQ$c29tZWtleXNvbWVrZXlzb21la2V5",
		"short salt":    "$argon2id$v=19$m=64,t=1,p=1$c29t$c29tZWtleXNvbWVrZXlzb21la2V5",
		"bad key b64":   "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$!!!",
		"extra part":    "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$c29tZWtleXNvbWVrZXlzb21la2V5$x",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := VerifyPassword("x", h); !errors.Is(err, ErrBadHash) {
				t.Fatalf("err = %v, want ErrBadHash", err)
			}
		})
	}
}

func FuzzParseHash(f *testing.F) {
	h, _ := HashPassword("seed", testHash)
	f.Add(h)
	f.Add("$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$c29tZWtleXNvbWVrZXlzb21la2V5")
	f.Add("$argon2id$v=19$m=99999999999,t=1,p=1$$")
	f.Fuzz(func(t *testing.T, s string) {
		p, salt, key, err := parseHash(s)
		if err != nil {
			if !errors.Is(err, ErrBadHash) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if p.Memory > maxHashMemory || p.Time > maxHashTime || len(salt) < 8 || len(key) < 16 {
			t.Fatalf("accepted out-of-bounds hash %q", s)
		}
	})
}
