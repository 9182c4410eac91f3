// Package server is Parley's organization server: WebSocket signaling
// (presence and the one-to-one call relay) at /ws and a health check at
// /healthz. It is embeddable — the desktop app runs it in-process for
// "Start a local organization on this computer" — and cmd/parley-server runs
// it on its own.
//
// The wire protocol and the call flow are described in package signaling.
// The server keeps all state in memory: a hub maps user ids to their one live
// connection and tracks calls (ringing, then active from accept until
// decline or hangup). Every message handler runs under the hub's lock and
// only enqueues outgoing frames, so a slow client can never block the hub;
// its bounded send queue overflows and the server drops it instead.
//
// Accounts, authentication and storage arrive with the organization server
// (issue 4); the Authenticator option is where sign-in plugs in. The product
// brief is ../shared/DESIGN.md.
package server
