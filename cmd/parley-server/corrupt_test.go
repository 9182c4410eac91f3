package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parley-voip/parley/server/store"
	"github.com/parley-voip/parley/signaling"
)

// TestCorruptWALRefusesToStart is issue 9's report as a test: acknowledged
// chat, kill -9 (the WAL keeps it), random bytes over the WAL. SQLite alone
// would open it and silently drop every message after the damage; the
// server refuses to start and says what to do, and the salvage it names
// (backup of what is readable, put in place) gives a server that starts.
func TestCorruptWALRefusesToStart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server binary")
	}
	bin := buildBinary(t)
	data := initData(t, bin)

	p := startProc(t, bin, data)
	alice := p.dial(t, p.signIn(t, "alice", "alice-password"))
	const acked = 60
	for i := range acked {
		if err := alice.Send(context.Background(), &signaling.Message{Type: signaling.TypeChat, ID: fmt.Sprint("m", i), To: "bob", Text: fmt.Sprint("message ", i)}); err != nil {
			t.Fatal(err)
		}
		if ack, ok := recvType(alice, signaling.TypeChatAck); !ok || ack.Ref != fmt.Sprint("m", i) {
			t.Fatalf("ack %d: %+v", i, ack)
		}
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = p.cmd.Wait()

	// Random bytes over a page in the middle of the log's live frames
	// (those carrying the header's salts; a checkpoint may have left stale
	// ones behind them).
	walPath := filepath.Join(data, store.FileName) + "-wal"
	wal, err := os.ReadFile(walPath)
	if err != nil {
		t.Fatal(err)
	}
	frame := 24 + int(binary.BigEndian.Uint32(wal[8:]))
	var live []int
	for off := 32; off+frame <= len(wal); off += frame {
		if bytes.Equal(wal[off+8:off+16], wal[16:24]) {
			live = append(live, off)
		}
	}
	if len(live) < 10 {
		t.Fatalf("only %d live frames in the WAL", len(live))
	}
	copy(wal[live[len(live)/2]+24+100:], bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, 16))
	if err := os.WriteFile(walPath, wal, 0o600); err != nil {
		t.Fatal(err)
	}

	// A server that starts would serve until killed: bound the wait.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "serve", "-data", data, "-addr", "127.0.0.1:0", "-tls", "off").CombinedOutput()
	if err == nil || ctx.Err() != nil || strings.Contains(string(out), "listening") {
		t.Fatalf("serve started on a damaged WAL (%v):\n%s", err, out)
	}
	for _, want := range []string{"database damaged", "parley.db-wal", "committed transactions", "parley-server backup"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("serve's message lacks %q:\n%s", want, out)
		}
	}
	if got, _ := os.ReadFile(walPath); !bytes.Equal(got, wal) {
		t.Fatal("the refused start changed the WAL")
	}

	// Salvage as the message says.
	salvage := filepath.Join(t.TempDir(), "salvage.db")
	if out, err := exec.Command(bin, "backup", "-data", data, salvage).CombinedOutput(); err != nil {
		t.Fatalf("backup of the damaged database: %v\n%s", err, out)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		_ = os.Remove(filepath.Join(data, store.FileName) + suffix)
	}
	if err := os.Rename(salvage, filepath.Join(data, store.FileName)); err != nil {
		t.Fatal(err)
	}
	q := startProc(t, bin, data)
	var page struct {
		Messages []signaling.ChatMessage `json:"messages"`
	}
	if code := q.api(t, "GET", "/api/chats/bob/messages?limit=200", q.signIn(t, "alice", "alice-password"), nil, &page); code != 200 {
		t.Fatalf("history after salvage: %d", code)
	}
	if n := len(page.Messages); n >= acked {
		t.Fatalf("%d messages after salvage: the damage should have cost some of the %d", n, acked)
	}
	t.Logf("salvage kept %d of %d messages", len(page.Messages), acked)
}
