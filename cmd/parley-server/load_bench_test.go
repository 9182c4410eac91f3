package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/store"
)

// BenchmarkLoad runs the real server binary and N authenticated WebSocket
// clients (one user each, TLS, loopback) and reports connect time, presence
// propagation, chat acknowledgement latency, call set-ups per second, the
// server's RSS and the connections it dropped. It speaks the wire by hand
// (raw frames, no signaling package) so the same file measures an older
// server too: PARLEY_LOAD_BIN=/path/to/parley-server. It only runs when
// PARLEY_LOAD_N lists the sizes (make bench-load):
//
//	PARLEY_LOAD_N=1000,5000,10000 go test -run '^$' -bench Load -benchtime 1x -timeout 60m ./cmd/parley-server
//
// Each client watches loadContacts others (its "contacts"); against a
// protocol-2 server it subscribes to them, a version-1 server pushes
// everyone's presence to everyone.
func BenchmarkLoad(b *testing.B) {
	sizes := os.Getenv("PARLEY_LOAD_N")
	if sizes == "" {
		b.Skip("set PARLEY_LOAD_N (e.g. 1000,5000,10000); see make bench-load")
	}
	raiseNoFile(b)
	bin := os.Getenv("PARLEY_LOAD_BIN")
	if bin == "" {
		bin = buildBinary(b)
	}
	for _, f := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < loadContacts+2 {
			b.Fatalf("PARLEY_LOAD_N: bad size %q", f)
		}
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			for range b.N {
				runLoad(b, bin, n)
			}
		})
	}
}

const (
	loadContacts    = 20               // ids each client watches
	loadDialers     = 50               // dials in flight at once
	loadConnectTime = 3 * time.Minute  // bound on the connect phase
	loadProbes      = 30               // presence changes timed
	loadProbeWait   = 5 * time.Second  // per presence change
	loadChats       = 500              // chat messages timed
	loadCalls       = 200              // call set-ups timed
	loadOpWait      = 10 * time.Second // per chat ack / call set-up
	loadInFlight    = 10               // chats or call set-ups in flight at once
	loadPhaseTime   = time.Minute      // no new chat or call after this (a server that collapsed)
)

func raiseNoFile(b *testing.B) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		b.Skipf("getrlimit: %v", err)
	}
	lim.Cur = lim.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		b.Fatalf("setrlimit: %v", err)
	}
}

// provision makes n users with a session each in a fresh data directory,
// on tmpfs when there is one (fsync per row would dominate), then moves
// the database next to the server's data.
func provision(b *testing.B, n int) (data string, tokens []string) {
	data = b.TempDir()
	work := data
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if work, err = os.MkdirTemp("/dev/shm", "parley-load-"); err != nil {
			b.Fatal(err)
		}
		defer os.RemoveAll(work)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{Path: filepath.Join(work, store.FileName)})
	if err != nil {
		b.Fatal(err)
	}
	acc, err := accounts.NewService(accounts.Config{Store: accounts.NewSQLStore(db.SQL()),
		Hash: accounts.HashParams{Memory: 64, Time: 1, Threads: 1}})
	if err != nil {
		b.Fatal(err)
	}
	tokens = make([]string, n)
	for i := range n {
		id := loadUser(i)
		if _, err := acc.CreateUser(ctx, accounts.NewUser{ID: id, DisplayName: "Load " + id, Password: "load-password"}); err != nil {
			b.Fatal(err)
		}
		s, err := acc.OpenSession(ctx, id, "127.0.0.1", "load")
		if err != nil {
			b.Fatal(err)
		}
		tokens[i] = s.Token
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	if work != data {
		src, err := os.ReadFile(filepath.Join(work, store.FileName))
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(data, store.FileName), src, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	return data, tokens
}

func loadUser(i int) string { return fmt.Sprintf("u%05d", i) }

// loadFrame is what the load clients read of a server frame. Presence is
// not decoded (a version-1 list is huge): probes search its bytes.
type loadFrame struct {
	Type     string `json:"type"`
	Ref      string `json:"ref"`
	CallID   string `json:"call_id"`
	Protocol int    `json:"protocol"`
	Error    *struct {
		Code string `json:"code"`
		Ref  string `json:"ref"`
	} `json:"error"`
}

type loadClient struct {
	idx      int
	ws       *websocket.Conn
	protocol int
	ended    chan struct{}
	closeErr atomic.Value // error that ended the reader
}

// loadRun is one N's shared state: the clients and what they wait for.
type loadRun struct {
	clients []*loadClient

	presenceBytes atomic.Int64
	frames        atomic.Int64
	probe         atomic.Pointer[presenceProbe]

	mu      sync.Mutex
	waiting map[string]chan struct{} // chat ref or call id → closed on answer
}

// presenceProbe is one timed presence change: user changed to status at
// start; each watcher records when it sees it.
type presenceProbe struct {
	needle   []byte // `"id":"uXXXXX"`
	status   []byte // `"status":"busy"`
	start    time.Time
	watchers map[int]*atomic.Bool
	mu       sync.Mutex
	lat      []time.Duration
	left     atomic.Int32
	done     chan struct{}
}

func (r *loadRun) expect(key string) chan struct{} {
	ch := make(chan struct{})
	r.mu.Lock()
	r.waiting[key] = ch
	r.mu.Unlock()
	return ch
}

func (r *loadRun) answer(key string) {
	r.mu.Lock()
	ch := r.waiting[key]
	delete(r.waiting, key)
	r.mu.Unlock()
	if ch != nil {
		close(ch)
	}
}

func (r *loadRun) read(c *loadClient) {
	defer close(c.ended)
	ctx := context.Background()
	for {
		_, b, err := c.ws.Read(ctx)
		if err != nil {
			c.closeErr.Store(err)
			return
		}
		r.frames.Add(1)
		if bytes.HasPrefix(b, []byte(`{"type":"presence"`)) {
			r.presenceBytes.Add(int64(len(b)))
			if p := r.probe.Load(); p != nil {
				p.observe(c.idx, b)
			}
			continue
		}
		var f loadFrame
		if json.Unmarshal(b, &f) != nil {
			continue
		}
		switch f.Type {
		case "chat-ack":
			r.answer("chat:" + f.Ref)
		case "invite":
			_ = c.write(fmt.Sprintf(`{"type":"accept","call_id":%q}`, f.CallID))
		case "accept":
			r.answer("call:" + f.CallID)
		case "error":
			if f.Error != nil && f.Error.Ref != "" {
				r.answer("chat:" + f.Error.Ref) // counted as an answer; errors are reported below
			}
		}
	}
}

func (p *presenceProbe) observe(idx int, b []byte) {
	seen, ok := p.watchers[idx]
	if !ok || seen.Load() {
		return
	}
	i := bytes.Index(b, p.needle)
	if i < 0 {
		return
	}
	end := min(len(b), i+len(p.needle)+200)
	if !bytes.Contains(b[i:end], p.status) || !seen.CompareAndSwap(false, true) {
		return
	}
	d := time.Since(p.start)
	p.mu.Lock()
	p.lat = append(p.lat, d)
	p.mu.Unlock()
	if p.left.Add(-1) == 0 {
		close(p.done)
	}
}

func (c *loadClient) write(s string) error {
	ctx, cancel := context.WithTimeout(context.Background(), loadOpWait)
	defer cancel()
	return c.ws.Write(ctx, websocket.MessageText, []byte(s))
}

// dialLoad opens one authenticated connection and reads its welcome.
func dialLoad(ctx context.Context, p *proc, token string) (*websocket.Conn, int, error) {
	h := http.Header{}
	h.Set("Authorization", "Bearer "+token)
	ws, _, err := websocket.Dial(ctx, p.ws, &websocket.DialOptions{HTTPClient: p.wsClient(), HTTPHeader: h})
	if err != nil {
		return nil, 0, err
	}
	ws.SetReadLimit(64 << 20)
	if err := ws.Write(ctx, websocket.MessageText, []byte(`{"type":"hello","id":"hello"}`)); err != nil {
		ws.CloseNow()
		return nil, 0, err
	}
	for {
		_, b, err := ws.Read(ctx)
		if err != nil {
			ws.CloseNow()
			return nil, 0, err
		}
		var f loadFrame
		if json.Unmarshal(b, &f) == nil && f.Type == "welcome" {
			return ws, f.Protocol, nil
		}
		if f.Type == "error" {
			ws.CloseNow()
			return nil, 0, fmt.Errorf("hello refused: %s", b)
		}
	}
}

func percentile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func runLoad(b *testing.B, bin string, n int) {
	b.StopTimer()
	data, tokens := provision(b, n)
	p := startProc(b, bin, data)
	pid := p.cmd.Process.Pid
	rssIdle := rssBytes(b, pid)
	r := &loadRun{clients: make([]*loadClient, n), waiting: map[string]chan struct{}{}}

	// Connect.
	ctx, cancel := context.WithTimeout(context.Background(), loadConnectTime)
	defer cancel()
	var wg sync.WaitGroup
	sem := make(chan struct{}, loadDialers)
	var dialFailed atomic.Int64
	var firstErr atomic.Value
	start := time.Now()
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			ws, proto, err := dialLoad(ctx, p, tokens[i])
			if err != nil {
				dialFailed.Add(1)
				firstErr.CompareAndSwap(nil, err)
				return
			}
			c := &loadClient{idx: i, ws: ws, protocol: proto, ended: make(chan struct{})}
			r.clients[i] = c
			go r.read(c)
			if proto >= 2 {
				ids := make([]string, loadContacts)
				for k := range ids {
					ids[k] = strconv.Quote(loadUser((i + 1 + k) % n))
				}
				_ = c.write(`{"type":"subscribe","id":"s","ids":[` + strings.Join(ids, ",") + `]}`)
			}
		})
	}
	wg.Wait()
	connectTime := time.Since(start)
	if err := firstErr.Load(); err != nil {
		b.Logf("N=%d: %d dials failed, first: %v", n, dialFailed.Load(), err)
	}
	defer func() {
		for _, c := range r.clients {
			if c != nil {
				c.ws.CloseNow()
			}
		}
	}()
	// Let the connect storm's presence settle: until a second passes with
	// no frame, at most a minute.
	for settle := time.Now(); time.Since(settle) < time.Minute; {
		before := r.frames.Load()
		time.Sleep(time.Second)
		if r.frames.Load() == before {
			break
		}
	}
	rssConnected := rssBytes(b, pid)
	live := func() (alive []*loadClient) {
		for _, c := range r.clients {
			if c == nil {
				continue
			}
			select {
			case <-c.ended:
			default:
				alive = append(alive, c)
			}
		}
		return alive
	}
	droppedAtConnect := n - len(live())

	// Presence: user j goes busy; its watchers are the clients that list
	// it among their contacts (j-1 … j-loadContacts).
	var presLat []time.Duration
	presMissed, blank := 0, 0
	for k := range loadProbes {
		if blank == 3 {
			presMissed += (loadProbes - k) * loadContacts
			break // a server that has stopped answering
		}
		j := (k*n)/loadProbes + loadContacts
		if r.clients[j%n] == nil {
			continue
		}
		pr := &presenceProbe{
			needle:   []byte(`"id":"` + loadUser(j%n) + `"`),
			status:   []byte(`"status":"busy"`),
			watchers: map[int]*atomic.Bool{},
			done:     make(chan struct{}),
		}
		for w := 1; w <= loadContacts; w++ {
			if c := r.clients[(j-w+n)%n]; c != nil {
				pr.watchers[c.idx] = &atomic.Bool{}
			}
		}
		pr.left.Store(int32(len(pr.watchers)))
		r.probe.Store(pr)
		pr.start = time.Now()
		_ = r.clients[j%n].write(`{"type":"status","status":"busy"}`)
		select {
		case <-pr.done:
		case <-time.After(loadProbeWait):
		}
		r.probe.Store(nil)
		pr.mu.Lock()
		presLat = append(presLat, pr.lat...)
		presMissed += len(pr.watchers) - len(pr.lat)
		if len(pr.lat) == 0 {
			blank++
		} else {
			blank = 0
		}
		pr.mu.Unlock()
		_ = r.clients[j%n].write(`{"type":"status","status":"available"}`)
	}

	// Chat: i → i+1, loadInFlight at once.
	timed := func(count int, op func(k int) (time.Duration, bool)) (lat []time.Duration, failed int, wall time.Duration) {
		var mu sync.Mutex
		sem := make(chan struct{}, loadInFlight)
		var wg sync.WaitGroup
		t0 := time.Now()
		for k := range count {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				if time.Since(t0) > loadPhaseTime {
					mu.Lock()
					failed++
					mu.Unlock()
					return
				}
				d, ok := op(k)
				mu.Lock()
				defer mu.Unlock()
				if ok {
					lat = append(lat, d)
				} else {
					failed++
				}
			})
		}
		wg.Wait()
		return lat, failed, time.Since(t0)
	}
	await := func(ch chan struct{}) bool {
		select {
		case <-ch:
			return true
		case <-time.After(loadOpWait):
			return false
		}
	}
	chatLat, chatFailed, _ := timed(loadChats, func(k int) (time.Duration, bool) {
		i := (k * 7919) % n
		c := r.clients[i]
		if c == nil {
			return 0, false
		}
		ref := fmt.Sprintf("c%d", k)
		ch := r.expect("chat:" + ref)
		t0 := time.Now()
		if c.write(fmt.Sprintf(`{"type":"chat","id":%q,"to":%q,"text":"load test message %d"}`, ref, loadUser((i+1)%n), k)) != nil {
			return 0, false
		}
		ok := await(ch)
		return time.Since(t0), ok
	})

	// Calls: caller 2m invites 2m+1, which accepts; timed to the accept.
	callLat, callFailed, callWall := timed(loadCalls, func(k int) (time.Duration, bool) {
		i := (2 * k) % (n - n%2) // pairs in flight at once are distinct
		caller, callee := r.clients[i], r.clients[i+1]
		if caller == nil || callee == nil {
			return 0, false
		}
		id := fmt.Sprintf("call%d", k)
		ch := r.expect("call:" + id)
		t0 := time.Now()
		if caller.write(fmt.Sprintf(`{"type":"invite","to":%q,"call_id":%q}`, loadUser(i+1), id)) != nil {
			return 0, false
		}
		ok := await(ch)
		d := time.Since(t0)
		_ = caller.write(fmt.Sprintf(`{"type":"hangup","call_id":%q,"reason":"hangup"}`, id))
		return d, ok
	})
	rssEnd := rssBytes(b, pid)
	dropped := n - len(live())

	per := float64(rssConnected-rssIdle) / float64(n)
	b.ReportMetric(connectTime.Seconds(), "connect-s")
	b.ReportMetric(float64(dialFailed.Load()), "dial-failed")
	b.ReportMetric(float64(dropped), "dropped")
	b.ReportMetric(ms(percentile(presLat, 0.5)), "presence-p50-ms")
	b.ReportMetric(ms(percentile(presLat, 0.99)), "presence-p99-ms")
	b.ReportMetric(float64(presMissed), "presence-missed")
	b.ReportMetric(float64(r.presenceBytes.Load())/(1<<20), "presence-MiB")
	b.ReportMetric(ms(percentile(chatLat, 0.5)), "chat-ack-p50-ms")
	b.ReportMetric(ms(percentile(chatLat, 0.99)), "chat-ack-p99-ms")
	b.ReportMetric(float64(len(callLat))/callWall.Seconds(), "calls/s")
	b.ReportMetric(float64(rssConnected)/(1<<20), "rss-MiB")
	b.ReportMetric(per/1024, "rss-KiB/conn")
	b.Logf("N=%d: connect %.1fs (%d dials failed), dropped %d at connect and %d by the end; "+
		"presence p50 %.0f ms p99 %.0f ms (%d samples, %d missed, %.0f MiB of presence frames); "+
		"chat ack p50 %.1f ms p99 %.1f ms (%d failed); %.0f call set-ups/s (p50 %.1f ms, %d failed); "+
		"RSS idle %.0f MiB, connected %.0f MiB (%.1f KiB/conn), end %.0f MiB",
		n, connectTime.Seconds(), dialFailed.Load(), droppedAtConnect, dropped,
		ms(percentile(presLat, 0.5)), ms(percentile(presLat, 0.99)), len(presLat), presMissed,
		float64(r.presenceBytes.Load())/(1<<20),
		ms(percentile(chatLat, 0.5)), ms(percentile(chatLat, 0.99)), chatFailed,
		float64(len(callLat))/callWall.Seconds(), ms(percentile(callLat, 0.5)), callFailed,
		float64(rssIdle)/(1<<20), float64(rssConnected)/(1<<20), per/1024, float64(rssEnd)/(1<<20))
}
