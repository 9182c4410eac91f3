package turn_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parley-voip/parley/server/turn"
	pturn "github.com/pion/turn/v5"
)

// The password is the TURN REST API's (coturn use-auth-secret): checked
// against pion's independent implementation of the same convention.
func TestCredentialIsTheRESTAPIConvention(t *testing.T) {
	secret := turn.NewSecret("0123456789abcdef-shared")
	is := turn.NewIssuer(secret, time.Hour, []string{"turn:example.org:3478"})
	c, err := is.Issue("alice")
	if err != nil {
		t.Fatal(err)
	}
	exp, id, err := turn.ParseUsername(c.Username)
	if err != nil || id != "alice" || !exp.Equal(c.Expires) {
		t.Fatalf("ParseUsername(%q) = %v %q %v", c.Username, exp, id, err)
	}
	if d := time.Until(c.Expires); d < 59*time.Minute || d > time.Hour {
		t.Fatalf("expires in %v, want about an hour", d)
	}
	auth := pturn.LongTermTURNRESTAuthHandler(secret.Reveal(), nil)
	user, key, ok := auth(&pturn.RequestAttributes{Username: c.Username, Realm: "r"})
	if !ok || user != "alice" {
		t.Fatalf("pion's REST handler refused %q", c.Username)
	}
	if want := pturn.GenerateAuthKey(c.Username, "r", c.Password); string(key) != string(want) {
		t.Fatal("password differs from HMAC-SHA1(secret, username) in base64")
	}
}

func TestParseUsernameRefuses(t *testing.T) {
	for _, u := range []string{"", "alice", ":alice", "123:", "12a:alice", "-5:alice", "+5:alice",
		"9999999999999:alice", strings.Repeat("1", 10) + ":" + strings.Repeat("a", 200)} {
		if _, _, err := turn.ParseUsername(u); !errors.Is(err, turn.ErrMalformedUsername) {
			t.Errorf("ParseUsername(%q) = %v, want ErrMalformedUsername", u, err)
		}
	}
}

func FuzzParseUsername(f *testing.F) {
	for _, s := range []string{"1700000000:alice", "1:a:b", ":", "", "1700000000:", strings.Repeat("9", 129)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		exp, id, err := turn.ParseUsername(s)
		if err != nil {
			if !errors.Is(err, turn.ErrMalformedUsername) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		exp2, id2, err := turn.ParseUsername(turn.Username(id, exp))
		if err != nil || id2 != id || !exp2.Equal(exp) {
			t.Fatalf("round trip of %q: %v %q %v", s, exp2, id2, err)
		}
	})
}

func TestSecretNeverPrints(t *testing.T) {
	s := turn.NewSecret("very-secret-value-123")
	for _, out := range []string{s.String(), s.GoString()} {
		if strings.Contains(out, "very-secret") {
			t.Fatalf("secret printed: %s", out)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	good := turn.Config{UDP: "127.0.0.1:3478", Secret: turn.NewSecret("0123456789abcdef")}
	if err := good.Validate(); err != nil {
		t.Fatalf("good config: %v", err)
	}
	for name, mod := range map[string]func(*turn.Config){
		"short secret":          func(c *turn.Config) { c.Secret = turn.NewSecret("short") },
		"no public ip":          func(c *turn.Config) { c.UDP, c.TCP = ":3478", ":3478" },
		"tls without cert":      func(c *turn.Config) { c.TLS = ":5349" },
		"bad port range":        func(c *turn.Config) { c.PortMin, c.PortMax = 6000, 5000 },
		"all off":               func(c *turn.Config) { c.UDP, c.TCP = "off", "off" },
		"external without urls": func(c *turn.Config) { c.External = true },
		"short ttl":             func(c *turn.Config) { c.CredentialTTL = time.Second },
		"bad listen address":    func(c *turn.Config) { c.TCP = "nonsense" },
	} {
		c := good
		mod(&c)
		if err := c.Validate(); !errors.Is(err, turn.ErrInvalidConfig) {
			t.Errorf("%s: Validate = %v, want ErrInvalidConfig", name, err)
		}
	}
}
