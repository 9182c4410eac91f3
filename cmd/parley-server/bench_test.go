package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/store"
	"github.com/parley-voip/parley/signaling"
)

// idleConns is how many authenticated connections BenchmarkIdleConnections
// opens. Each costs one descriptor in this process and one in the server;
// Go raises the soft RLIMIT_NOFILE to the hard limit at start-up, so the
// hard limit (ulimit -Hn) must exceed it. PARLEY_BENCH_CONNS overrides.
const idleConns = 2000

// rssBytes reads a process's resident set size from /proc (Linux).
func rssBytes(tb testing.TB, pid int) int64 {
	tb.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		tb.Skipf("no /proc: %v", err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	tb.Fatal("VmRSS not found")
	return 0
}

// BenchmarkIdleConnections runs the real server binary (over TLS, like
// production) and measures how much its resident memory grows per idle,
// authenticated WebSocket connection. Run it once:
//
//	go test -run xxx -bench IdleConnections -benchtime 1x ./cmd/parley-server
func BenchmarkIdleConnections(b *testing.B) {
	n := idleConns
	if v, err := strconv.Atoi(os.Getenv("PARLEY_BENCH_CONNS")); err == nil && v > 0 {
		n = v
	}
	bin := buildBinary(b)
	data := b.TempDir()
	tokens := make([]string, n)
	func() {
		ctx := context.Background()
		db, err := store.Open(ctx, store.Config{Path: filepath.Join(data, store.FileName)})
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		acc, err := accounts.NewService(accounts.Config{Store: accounts.NewSQLStore(db.SQL()),
			Hash: accounts.HashParams{Memory: 64, Time: 1, Threads: 1}, MaxSessionsPerUser: -1})
		if err != nil {
			b.Fatal(err)
		}
		// 100 users with n/100 devices each: presence lists stay realistic
		// without n sign-ins' worth of argon2id.
		for u := range 100 {
			id := fmt.Sprintf("user%03d", u)
			if _, err := acc.CreateUser(ctx, accounts.NewUser{ID: id, Password: "bench-password"}); err != nil {
				b.Fatal(err)
			}
		}
		for i := range n {
			res, err := acc.OpenSession(ctx, fmt.Sprintf("user%03d", i%100), "127.0.0.1", "bench")
			if err != nil {
				b.Fatal(err)
			}
			tokens[i] = res.Token
		}
	}()
	// n/100 devices per user: above the default per-user limit.
	p := startProc(b, bin, data, "-max-conns-per-user", strconv.Itoa(n/100+1))
	before := rssBytes(b, p.cmd.Process.Pid)
	conns := make([]*signaling.Conn, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	errs := make(chan error, n)
	b.ResetTimer()
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			c, err := signaling.Dial(context.Background(), p.ws, signaling.User{}, signaling.WithToken(tokens[i]),
				signaling.WithHTTPClient(p.wsClient()))
			if err != nil {
				errs <- err
				return
			}
			conns[i] = c
		})
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatalf("dial: %v", err)
	}
	// Let the presence pushes drain, then measure.
	for _, c := range conns {
		drain(c)
	}
	after := rssBytes(b, p.cmd.Process.Pid)
	per := float64(after-before) / float64(n)
	b.ReportMetric(per, "rss-B/conn")
	b.ReportMetric(float64(1<<30)/per, "conns/GiB")
	b.ReportMetric(float64(after)/(1<<20), "rss-MiB-total")
	for _, c := range conns {
		_ = c.Close()
	}
}

// drain reads whatever is already queued on c without blocking for long.
func drain(c *signaling.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), 0)
	defer cancel()
	for {
		if _, err := c.Recv(ctx); err != nil {
			return
		}
	}
}
