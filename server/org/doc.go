// Package org composes the organization server from its parts: the SQLite
// store, accounts, chat, E2EE policies, the media service that carries
// standard calls (server/sfu), the admin API and portal, and the signaling
// server that carries them to clients. cmd/parley-server and the desktop
// app's local organization both open an Org, so they run the same server.
// See docs/server.md.
package org
