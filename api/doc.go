// Package api is the client side of the organization server's HTTP API,
// shared by the desktop app (package app) and the admin command line
// (parleyctl): JSON requests with a bearer token, a bound on what an
// answer may weigh, and the server's one error envelope
// {"error":{"code","message"}} as *Error. It also holds the certificate
// fingerprint the server prints and clients pin after trust on first
// use. It imports nothing of Parley's: the server's routes and shapes are
// in docs/server-api.md.
package api
