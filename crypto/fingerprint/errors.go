package fingerprint

import "errors"

// Errors of Parse; each error it returns wraps one of them.
var (
	// ErrTooLarge: the value is longer than MaxSize; it is refused before
	// it is looked at.
	ErrTooLarge = errors.New("fingerprint: too large")
	// ErrMalformed: the value does not follow "hash-func SP HEX:HEX:…", or
	// the digest length does not fit the hash function.
	ErrMalformed = errors.New("fingerprint: malformed")
	// ErrWeakHash: a hash function RFC 8122 names that is not collision
	// resistant enough (md2, md5, sha-1, sha-224).
	ErrWeakHash = errors.New("fingerprint: hash function too weak")
	// ErrUnknownHash: a hash function name Parley does not know.
	ErrUnknownHash = errors.New("fingerprint: unknown hash function")
)
