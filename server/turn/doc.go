// Package turn is the organization server's TURN and STUN service (RFC 8656,
// RFC 8489) on pion/turn, and the issuer of the time-limited credentials
// clients use with it.
//
// Credentials follow the TURN REST API convention that coturn's
// use-auth-secret / static-auth-secret understands: the username is
// "<expiry unix seconds>:<user id>" and the password is
// base64(HMAC-SHA1(secret, username)). A server that knows the shared
// secret checks them without a database, so the same credentials work with
// the built-in server and with coturn. The server counts allocations per
// user id and refuses those beyond the quota (486 Allocation Quota Reached).
//
// Binding requests (STUN) are answered on every listener without
// credentials, so clients learn their server-reflexive address from the
// same port.
package turn
