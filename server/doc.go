// Package server is Parley's organization server: WebSocket signaling
// (presence, chat and the one-to-one call relay) at /ws, a JSON API at
// /api/… and a health check at /healthz. It is embeddable — the desktop app
// runs it in-process for "Start a local organization on this computer" —
// and cmd/parley-server runs it on its own.
//
// New needs an authenticator and refuses to build a server without one.
// WithAccounts (package accounts, over package
// store's SQLite) makes it the organization server: the WebSocket and API
// require a session token, invites and chats go only to existing users, a
// user may connect from several devices; WithChat stores chat encrypted at
// rest (package chat); WithTLS serves HTTPS/WSS (package tlsx makes a
// self-signed certificate), and without it the server listens on loopback
// only. Other packages reach connected clients through Notify, Online and
// OnConnect, and add routes through Mux.
//
// The hub maps users to their live connections and tracks calls (ringing,
// then active from accept until decline or hangup). Every hub method runs
// under its lock and only enqueues outgoing frames, so a slow client can
// never block it; its bounded send queue overflows and the server drops it
// instead. Work that touches the database (chat, directory checks) runs on
// the sender's connection goroutine, outside the lock.
//
// With WithMedia, standard calls go through the media service (package
// sfu; media.go); call control (transfer, park and pickup, move to another
// device; callctl.go is its state machine) re-bridges who is in such a
// call there, refused in an E2EE call and checked against the actor's
// policy (WithPolicies).
//
// Several servers sharing a database are nodes of one organization when
// they share a Bus (WithBus; package natsbus over NATS): presence deltas,
// chat delivery, pushes and sign-outs cross it by user subject, and each
// node keeps its own side of a call with a party elsewhere (cluster.go).
// Without WithBus a server is one node, on its own LocalBus.
//
// The wire protocol is described in package signaling, the HTTP API in
// ../docs/server-api.md, operations in ../docs/server.md. The product brief
// is ../shared/DESIGN.md.
package server
