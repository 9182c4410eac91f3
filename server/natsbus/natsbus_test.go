package natsbus_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/natstest"
	"github.com/parley-voip/parley/server/natsbus"
)

func TestMain(m *testing.M) { natstest.Main(m) }

func TestConfigRefuses(t *testing.T) {
	for name, url := range map[string]string{
		"empty":  "",
		"scheme": "http://127.0.0.1:4222",
		"bad":    "nats://u:secret@[::1",
	} {
		err := natsbus.Config{URL: url}.Validate()
		if !errors.Is(err, natsbus.ErrInvalidConfig) {
			t.Errorf("%s: %v, want ErrInvalidConfig", name, err)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: the error shows the password: %v", name, err)
		}
	}
	if err := (natsbus.Config{URL: "nats://a:4222,tls://b:4222"}).Validate(); err != nil {
		t.Fatalf("two URLs: %v", err)
	}
}

// Two buses on one NATS: each receives the other's messages in order,
// never its own, and nothing after unsubscribing.
func TestPublishSubscribe(t *testing.T) {
	url := natstest.URL(t)
	a, err := natsbus.Dial(natsbus.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := natsbus.Dial(natsbus.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	gotA, gotB := make(chan string, 10), make(chan string, 10)
	if _, err := a.Subscribe("parley.test", func(d []byte) { gotA <- string(d) }); err != nil {
		t.Fatal(err)
	}
	unsub, err := b.Subscribe("parley.test", func(d []byte) { gotB <- string(d) })
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := b.Flush(); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"one", "two", "three"} {
		if err := a.Publish("parley.test", []byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{"one", "two", "three"} {
		select {
		case got := <-gotB:
			if got != want {
				t.Fatalf("b got %q, want %q", got, want)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("b got nothing")
		}
	}
	unsub()
	if err := b.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := a.Publish("parley.test", []byte("late")); err != nil {
		t.Fatal(err)
	}
	if err := b.Publish("parley.test", []byte("from b")); err != nil {
		t.Fatal(err)
	}
	// a hears b's message (and, by then, would have heard its own).
	if got := <-gotA; got != "from b" {
		t.Fatalf("a got %q, want only b's message", got)
	}
	if err := a.Flush(); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-gotB:
		t.Fatalf("b got %q after unsubscribing", got)
	default:
	}
}
