// Package tlsx gives the organization server its TLS certificate: the one
// an operator configured, or a self-signed one made on first run and kept in
// the data directory. Apps pin a self-signed certificate by its SHA-256
// fingerprint on first connect (trust on first use, package api); see
// ../../docs/server.md.
package tlsx
