package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parley-voip/parley/api"
	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/store"
	"github.com/parley-voip/parley/signaling"
)

// testTimeout bounds every wait; the test asserts on events, never on time.
const testTimeout = 2 * time.Minute

// proc is a running parley-server binary.
type proc struct {
	cmd         *exec.Cmd
	base, ws    string
	fingerprint string
	client      *http.Client
}

func buildBinary(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "parley-server")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startProc runs `bin serve` on a free loopback port with a self-signed
// certificate and reads the announced URLs and fingerprint from stdout.
// The per-address limits are off, because benchmarks open thousands of
// connections from 127.0.0.1, one address; flags in extra come later and
// win (flag parsing keeps the last value).
func startProc(t testing.TB, bin, data string, extra ...string) *proc {
	t.Helper()
	args := append([]string{"serve", "-data", data, "-addr", "127.0.0.1:0", "-tls", "self-signed",
		"-max-conns-per-addr", "-1", "-max-pending-ws-per-addr", "-1"}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Stderr = &bytes.Buffer{}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("server log:\n%s", cmd.Stderr)
		}
	})
	sc := bufio.NewScanner(stdout)
	for p.fingerprint == "" && sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "listening":
			p.base = f[1]
		case len(f) == 2 && f[0] == "signaling":
			p.ws = f[1]
		case len(f) == 3 && f[0] == "tls-fingerprint":
			p.fingerprint = f[2]
		}
	}
	if p.fingerprint == "" || p.base == "" {
		t.Fatalf("server did not announce itself: %v\n%s", sc.Err(), cmd.Stderr)
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	// Trust on first use: pin what the server printed.
	p.client = &http.Client{Transport: &http.Transport{TLSClientConfig: api.PinnedTLS(p.fingerprint)}}
	return p
}

// wsClient is an HTTP client for one WebSocket handshake, pinned like
// p.client. WebSockets hijack the connection, so each gets its own
// transport.
func (p *proc) wsClient() *http.Client {
	return &http.Client{Transport: &http.Transport{TLSClientConfig: api.PinnedTLS(p.fingerprint)}}
}

func (p *proc) api(t *testing.T, method, path, token string, body, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, method, p.base+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode < 300 {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

func (p *proc) signIn(t *testing.T, id, pw string) string {
	t.Helper()
	var res accounts.SignedIn
	if code := p.api(t, "POST", "/api/signin", "", map[string]string{"login": id, "password": pw}, &res); code != 200 {
		t.Fatalf("sign in %s: %d", id, code)
	}
	return res.Token
}

func (p *proc) dial(t *testing.T, token string) *signaling.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	c, err := signaling.Dial(ctx, p.ws, signaling.User{}, signaling.WithToken(token), signaling.WithHTTPClient(p.wsClient()))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// recvType returns the next message of type typ, skipping presence and
// policy; ok is false when the connection ended first.
func recvType(c *signaling.Conn, typ signaling.Type) (*signaling.Message, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	for {
		m, err := c.Recv(ctx)
		if err != nil {
			return nil, false
		}
		if m.Type == typ {
			return m, true
		}
		if m.Type == signaling.TypeError {
			return m, false
		}
	}
}

// TestKill9KeepsAcknowledgedChat builds the server, chats through it over
// WSS, kills it with SIGKILL right after sending a message, restarts it on
// the same data directory and checks that every acknowledged message is
// still there (and that sessions, the certificate and backups survive).
func TestKill9KeepsAcknowledgedChat(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server binary")
	}
	bin := buildBinary(t)
	data := initData(t, bin)

	p := startProc(t, bin, data)
	aliceTok, bobTok := p.signIn(t, "alice", "alice-password"), p.signIn(t, "bob", "bob-password")
	alice, bob := p.dial(t, aliceTok), p.dial(t, bobTok)

	const acked = 40
	var sent []signaling.ChatMessage
	for i := range acked {
		text := fmt.Sprintf("message %d", i)
		if err := alice.Send(context.Background(), &signaling.Message{Type: signaling.TypeChat, ID: fmt.Sprint("m", i), To: "bob", Text: text}); err != nil {
			t.Fatal(err)
		}
		ack, ok := recvType(alice, signaling.TypeChatAck)
		if !ok || ack.Ref != fmt.Sprint("m", i) || ack.Chat.Text != text {
			t.Fatalf("ack %d: %+v", i, ack)
		}
		sent = append(sent, *ack.Chat)
		if i == acked/2 {
			// A backup taken mid-conversation by another process.
			out, err := exec.Command(bin, "backup", "-data", data, filepath.Join(t.TempDir(), "mid.db")).CombinedOutput()
			if err != nil {
				t.Fatalf("backup while running: %v\n%s", err, out)
			}
		}
	}
	if m, ok := recvType(bob, signaling.TypeChat); !ok || m.Chat.Text != "message 0" {
		t.Fatalf("bob's first delivery: %+v", m)
	}
	// One more in flight, then SIGKILL: it may or may not survive, but
	// nothing acknowledged may be lost.
	_ = alice.Send(context.Background(), &signaling.Message{Type: signaling.TypeChat, ID: "in-flight", To: "bob", Text: "in flight"})
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = p.cmd.Wait()

	q := startProc(t, bin, data)
	if q.fingerprint != p.fingerprint {
		t.Fatalf("certificate changed across restart: %s → %s", p.fingerprint, q.fingerprint)
	}
	// The session survived the crash too: the old token still works.
	page := q.historyHas(t, bobTok, "alice", sent)
	if n := len(page.Messages); n != acked && n != acked+1 {
		t.Fatalf("%d messages after restart, want %d or %d", n, acked, acked+1)
	}

	// rotate-key while the server runs: history stays readable, new chat
	// still works.
	if out, err := exec.Command(bin, "rotate-key", "-data", data).CombinedOutput(); err != nil {
		t.Fatalf("rotate-key: %v\n%s", err, out)
	}
	if code := q.api(t, "GET", "/api/chats/bob/messages?limit=200", aliceTok, nil, &page); code != 200 || len(page.Messages) < acked {
		t.Fatalf("history after rotation: %d, %d messages", code, len(page.Messages))
	}
	a2 := q.dial(t, aliceTok)
	if err := a2.Send(context.Background(), &signaling.Message{Type: signaling.TypeChat, ID: "after", To: "bob", Text: "after rotation"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := recvType(a2, signaling.TypeChatAck); !ok {
		t.Fatal("no ack after rotation")
	}
}

// chatPage is a page of GET /api/chats/{peer}/messages.
type chatPage struct {
	Messages []signaling.ChatMessage `json:"messages"`
}

// historyHas reads the chat history with peer as token's user and fails
// t unless every message of sent is in it as sent (after a kill -9:
// nothing acknowledged may be lost).
func (p *proc) historyHas(t *testing.T, token, peer string, sent []signaling.ChatMessage) chatPage {
	t.Helper()
	var page chatPage
	if code := p.api(t, "GET", "/api/chats/"+peer+"/messages?limit=200", token, nil, &page); code != 200 {
		t.Fatalf("history with %s: %d", peer, code)
	}
	got := map[string]signaling.ChatMessage{}
	for _, m := range page.Messages {
		got[m.ID] = m
	}
	for _, m := range sent {
		if g, ok := got[m.ID]; !ok || g != m {
			t.Fatalf("acknowledged message %s (%q) lost or changed: %+v", m.ID, m.Text, g)
		}
	}
	return page
}

// initOrg runs `bin init` in data with admin (password admin+"-password")
// and extra flags.
func initOrg(t testing.TB, bin, data, org, admin string, extra ...string) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"init", "-data", data, "-org", org, "-admin", admin}, extra...)...)
	cmd.Env = append(os.Environ(), EnvAdminPassword+"="+admin+"-password")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
}

// initData initializes an organization with bin: admin alice
// (alice-password) and user bob (bob-password); it returns the data
// directory.
func initData(t *testing.T, bin string) string {
	t.Helper()
	data := t.TempDir()
	initOrg(t, bin, data, "Test", "alice")
	addUser(t, data, "bob")
	return data
}

// addUser creates a user directly in the data directory's database, as
// parleyctl would through the admin API.
func addUser(t *testing.T, data, id string) {
	t.Helper()
	addUserIn(t, store.Config{Path: filepath.Join(data, store.FileName)}, id)
}

// addUserIn creates a user (password id+"-password") in the organization
// in the database cfg opens: SQLite or PostgreSQL.
func addUserIn(t *testing.T, cfg store.Config, id string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	acc, err := accounts.NewService(accounts.Config{Store: accounts.NewSQLStore(db.SQL())})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acc.CreateUser(ctx, accounts.NewUser{ID: id, Password: id + "-password"}); err != nil {
		t.Fatal(err)
	}
}
