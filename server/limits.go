package server

import (
	"fmt"
	"time"
)

// Limits bound what one client can hold open without (or before) signing
// in: how long an HTTP request and an idle keep-alive connection may take,
// how many connections one address may have, and how many WebSockets may
// be still authenticating. Zero fields take the defaults listed with them;
// -1 turns a count limit off.
type Limits struct {
	// ReadHeaderTimeout bounds reading a request's headers. Default 10 s.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request, body included, so a body
	// sent a byte at a time is cut. Default 30 s.
	ReadTimeout time.Duration
	// ResponseTimeout bounds the time from the end of the request headers
	// to the end of the response (http.Server.WriteTimeout). Default 30 s.
	ResponseTimeout time.Duration
	// IdleTimeout closes keep-alive connections idle this long. Default
	// 60 s.
	IdleTimeout time.Duration
	// MaxConnsPerAddr bounds one remote IP's open TCP connections (HTTP
	// and WebSocket); more are closed as soon as they are accepted, and
	// other addresses are not affected. Default 512; raise it when many
	// users share one NAT address.
	MaxConnsPerAddr int
	// MaxPendingWebSockets bounds WebSockets that are open but have not
	// yet authenticated (their hello is due within Config.HelloTimeout);
	// more upgrades get 503 with Retry-After. Default 1024.
	MaxPendingWebSockets int
	// MaxPendingWebSocketsPerAddr is the same bound for one remote IP.
	// Default 16.
	MaxPendingWebSocketsPerAddr int
}

func (l Limits) withDefaults() Limits {
	def := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	def(&l.ReadHeaderTimeout, 10*time.Second)
	def(&l.ReadTimeout, 30*time.Second)
	def(&l.ResponseTimeout, 30*time.Second)
	def(&l.IdleTimeout, 60*time.Second)
	count := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	count(&l.MaxConnsPerAddr, 512)
	count(&l.MaxPendingWebSockets, 1024)
	count(&l.MaxPendingWebSocketsPerAddr, 16)
	return l
}

func (l Limits) validate() error {
	for name, d := range map[string]time.Duration{
		"ReadHeaderTimeout": l.ReadHeaderTimeout, "ReadTimeout": l.ReadTimeout,
		"ResponseTimeout": l.ResponseTimeout, "IdleTimeout": l.IdleTimeout,
	} {
		if d < 0 {
			return fmt.Errorf("%w: Limits.%s %v is negative", ErrInvalidConfig, name, d)
		}
	}
	for name, n := range map[string]int{
		"MaxConnsPerAddr": l.MaxConnsPerAddr, "MaxPendingWebSockets": l.MaxPendingWebSockets,
		"MaxPendingWebSocketsPerAddr": l.MaxPendingWebSocketsPerAddr,
	} {
		if n < -1 {
			return fmt.Errorf("%w: Limits.%s %d (want ≥ 1, or -1 for none)", ErrInvalidConfig, name, n)
		}
	}
	return nil
}
