package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-voip/parley/api"
)

// procStatus reads one "Name:  N kB" field of /proc/PID/status in bytes
// (VmRSS: resident now; VmHWM: the peak resident size).
func procStatus(tb testing.TB, pid int, field string) int64 {
	tb.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		tb.Skipf("no /proc: %v", err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == field+":" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	tb.Fatalf("%s not found", field)
	return 0
}

// signInBurst is how many sign-ins BenchmarkSignInBurstRSS sends at once;
// PARLEY_BENCH_SIGNINS overrides. Without a bound on concurrent argon2id
// every one of them costs 64 MiB at the same time: do not raise it on a
// server that does not bound hashing.
const signInBurst = 500

// BenchmarkSignInBurstRSS runs the real server binary with the production
// argon2id cost (64 MiB), measures its idle RSS, sends signInBurst
// simultaneous sign-ins with wrong passwords for distinct unknown logins
// from distinct loopback addresses (127.0.0.2…, so neither the per-account
// nor the per-address throttle applies and each one would cost a full
// hash), and reports the peak RSS (VmHWM) and the RSS a few seconds after
// the burst. Run it alone:
//
//	go test -run xxx -bench SignInBurstRSS -benchtime 1x ./cmd/parley-server
func BenchmarkSignInBurstRSS(b *testing.B) {
	n := signInBurst
	if v, err := strconv.Atoi(os.Getenv("PARLEY_BENCH_SIGNINS")); err == nil && v > 0 {
		n = v
	}
	bin := buildBinary(b)
	data := b.TempDir()
	initOrg(b, bin, data, "RSS", "alice")
	p := startProc(b, bin, data)
	pid := p.cmd.Process.Pid
	if resp, err := p.client.Get(p.base + "/healthz"); err != nil {
		b.Fatal(err)
	} else {
		resp.Body.Close()
	}
	idle := procStatus(b, pid, "VmRSS")

	const addrs = 200 // 127.0.0.2 … 127.0.0.201
	clients := make([]*http.Client, addrs)
	for i := range clients {
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(2+i))}}
		clients[i] = &http.Client{Transport: &http.Transport{
			DialContext:     d.DialContext,
			TLSClientConfig: api.PinnedTLS(p.fingerprint),
		}}
	}
	var (
		mu     sync.Mutex
		status = map[string]int{}
		wg     sync.WaitGroup
		start  = make(chan struct{})
	)
	b.ResetTimer()
	for i := range n {
		wg.Go(func() {
			body, _ := json.Marshal(map[string]string{"login": fmt.Sprintf("nobody%d", i), "password": "wrong-password"})
			<-start
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, "POST", p.base+"/api/signin", bytes.NewReader(body))
			resp, err := clients[i%addrs].Do(req)
			key := "error"
			if err == nil {
				key = strconv.Itoa(resp.StatusCode)
				resp.Body.Close()
			}
			mu.Lock()
			status[key]++
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	b.StopTimer()
	peak := procStatus(b, pid, "VmHWM")
	time.Sleep(3 * time.Second) // measurement, not synchronization: memory returned afterwards
	after := procStatus(b, pid, "VmRSS")
	b.Logf("%d sign-ins: answers %v", n, status)
	b.ReportMetric(float64(idle)/(1<<20), "idle-rss-MiB")
	b.ReportMetric(float64(peak)/(1<<20), "peak-rss-MiB")
	b.ReportMetric(float64(after)/(1<<20), "after-rss-MiB")
}
