package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/parley-voip/parley/server"
	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/server/sfu"
	"github.com/parley-voip/parley/server/tlsx"
)

func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, data := newFlags("serve", stderr)
	addr := fs.String("addr", "127.0.0.1:7480", "listen address (host:port)")
	certFile := fs.String("tls-cert", "", "TLS certificate chain (PEM); with -tls-key")
	keyFile := fs.String("tls-key", "", "TLS private key (PEM)")
	mode := fs.String("tls", "auto", "auto: -tls-cert if given, else self-signed unless on loopback; self-signed; off (loopback only)")
	verbose := fs.Bool("v", false, "log debug messages")
	perAddr := fs.Int("max-conns-per-addr", 0, "open connections one IP address may have (default 512; -1: no limit); raise it when many users share one NAT address")
	pendingPerAddr := fs.Int("max-pending-ws-per-addr", 0, "WebSockets one IP address may have still signing in (default 16; -1: no limit)")
	hashMiB := fs.Int64("hash-memory", 0, "MiB that password hashing may use at once (default: 2 hashes' worth, 128)")
	turnF := addTURNFlags(fs)
	natsURL := fs.String("nats", os.Getenv(EnvNATS), "NATS server URL(s), comma-separated, joining this node to the others of the organization (needs -postgres; default $"+EnvNATS+")")
	maxSessions := fs.Int("max-sessions-per-user", 0, "sessions one user may have; signing in beyond it ends the least recently used (default 20; -1: no limit)")
	var hub server.Config
	fs.DurationVar(&hub.RingTimeout, "ring-timeout", 0, "end an invite nobody answers after this (0: 60s)")
	fs.DurationVar(&hub.ResumeGrace, "resume-grace", 0, "hold an accepted call this long for a party whose connection dropped (0: 30s; negative: end it at once)")
	fs.IntVar(&hub.MaxConnsPerUser, "max-conns-per-user", 0, "signaling connections one user may have at once (0: 16)")
	publicIPs := fs.String("media-public-ip", "", "addresses (comma-separated) clients on other machines reach the media service at, e.g. a 1:1 NAT's public address (default: the interfaces' own)")
	ports := fs.String("media-ports", "", "UDP port range of the media service, min-max (default: any ephemeral port)")
	captionsWorker := fs.String("captions-worker", "", "live-captions worker binary (default: parley-captions next to this binary or on PATH; \"off\": no captions)")
	if err := parse(fs, args); err != nil {
		return err
	}
	media, err := mediaConfig(*publicIPs, *ports, *addr)
	if err != nil {
		return err
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	if soft, hard, err := raiseFileLimit(); err == nil {
		log.Info("open files limit", "soft", soft, "hard", hard)
	} else if !errors.Is(err, errors.ErrUnsupported) {
		log.Warn("raising the open files limit", "soft", soft, "hard", hard, "err", err)
	}
	cert, err := chooseCert(*mode, *addr, *certFile, *keyFile, *data, log)
	if err != nil {
		return err
	}
	hub.Addr, hub.Logger = *addr, log
	hub.Limits = server.Limits{MaxConnsPerAddr: *perAddr, MaxPendingWebSocketsPerAddr: *pendingPerAddr}
	turnCfg, err := turnF.config(*data, cert)
	if err != nil {
		return err
	}
	if turnCfg != nil {
		turnCfg.Logger = log
	}
	o, err := org.Open(ctx, org.Config{
		Dir: *data, Postgres: postgresOf(fs), NATS: *natsURL,
		Server: hub,
		SignIn: accounts.Config{HashMemory: *hashMiB << 20, MaxSessionsPerUser: *maxSessions},
		TLS:    cert, Logger: log, TURN: turnCfg,
		Media: media, CaptionsWorker: *captionsWorker,
	})
	if err != nil {
		return err
	}
	defer o.DB.Close()
	if o.TURN != nil {
		defer o.TURN.Close()
		fmt.Fprintf(stdout, "turn %s\n", strings.Join(o.TURN.URLs(), " "))
	}
	if n, err := o.Accounts.Store().DeleteExpired(ctx, time.Now()); err != nil {
		return err
	} else if n > 0 {
		log.Info("removed expired sessions", "count", n)
	}
	sweepCtx, stopSweep := context.WithCancel(ctx)
	defer stopSweep()
	go o.RunSweeper(sweepCtx)
	o.StartCaptions()
	defer o.Captions.Close() // after the server stops: stores the transcripts of calls in progress
	return serve(ctx, o.Server, log, stdout)
}

// chooseCert applies the -tls mode; nil means plain HTTP.
func chooseCert(mode, addr, certFile, keyFile, data string, log *slog.Logger) (*tls.Certificate, error) {
	if (certFile == "") != (keyFile == "") {
		return nil, usageError{errors.New("-tls-cert and -tls-key go together")}
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, usageError{fmt.Errorf("-addr %q: %w", addr, err)}
	}
	ip := net.ParseIP(host)
	loopback := host == "localhost" || ip != nil && ip.IsLoopback()
	switch {
	case mode == "off":
		if certFile != "" {
			return nil, usageError{errors.New("-tls off with a certificate")}
		}
		return nil, nil // the server refuses non-loopback addresses itself
	case certFile != "" && (mode == "auto" || mode == "on"):
		c, err := tlsx.Load(certFile, keyFile)
		return &c, err
	case mode == "self-signed" || mode == "auto" && !loopback:
		hosts := []string{}
		if host != "" && !loopback && (ip == nil || !ip.IsUnspecified()) {
			hosts = append(hosts, host)
		}
		c, created, err := tlsx.LoadOrCreate(data, hosts)
		if err != nil {
			return nil, err
		}
		if created {
			log.Info("made a self-signed TLS certificate", "dir", data)
		}
		return &c, nil
	case mode == "auto":
		return nil, nil
	}
	return nil, usageError{fmt.Errorf("-tls %q: want auto, self-signed or off", mode)}
}

// run serves until ctx ends, then shuts down gracefully. It prints the
// URLs (and the certificate's fingerprint, which apps pin on first use) on
// stdout, where scripts and tests read the bound port.
func run(ctx context.Context, cfg server.Config, stdout io.Writer, opts ...server.Option) error {
	srv, err := server.New(cfg, opts...)
	if err != nil {
		return err
	}
	return serve(ctx, srv, cfg.Logger, stdout)
}

// serve starts srv, prints where it listens, and shuts it down when ctx ends.
func serve(ctx context.Context, srv *server.Server, log *slog.Logger, stdout io.Writer) error {
	if _, err := srv.Start(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "listening %s\nsignaling %s\n", srv.BaseURL(), srv.URL())
	if fp := srv.Fingerprint(); fp != "" {
		fmt.Fprintf(stdout, "tls-fingerprint sha256 %s\n", fp)
	}
	if log != nil {
		log.Info("parley-server ready", "url", srv.BaseURL(), "fingerprint", srv.Fingerprint())
	}
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// mediaConfig reads the media service's flags. A server on loopback offers
// loopback candidates (clients on the same machine only).
func mediaConfig(publicIPs, ports, addr string) (sfu.Config, error) {
	var c sfu.Config
	for _, ip := range strings.Split(publicIPs, ",") {
		if ip = strings.TrimSpace(ip); ip != "" {
			c.PublicIPs = append(c.PublicIPs, ip)
		}
	}
	if ports != "" {
		lo, hi, ok := strings.Cut(ports, "-")
		a, errA := strconv.ParseUint(lo, 10, 16)
		b, errB := strconv.ParseUint(hi, 10, 16)
		if !ok || errA != nil || errB != nil {
			return c, usageError{fmt.Errorf("-media-ports %q: want min-max", ports)}
		}
		c.PortMin, c.PortMax = uint16(a), uint16(b)
	}
	if host, _, err := net.SplitHostPort(addr); err == nil {
		ip := net.ParseIP(host)
		c.IncludeLoopback = host == "localhost" || ip != nil && ip.IsLoopback()
	}
	if err := c.Validate(); err != nil {
		return c, usageError{err}
	}
	return c, nil
}
