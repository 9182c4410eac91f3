package chat

import "errors"

var (
	// ErrInvalidConfig wraps every Config.Validate failure.
	ErrInvalidConfig = errors.New("chat: invalid config")
	// ErrKeyFile: the key file or variable cannot be parsed.
	ErrKeyFile = errors.New("chat: malformed key file")
	// ErrUnknownKey: a row names a key id the keyring does not hold.
	ErrUnknownKey = errors.New("chat: unknown key id")
	// ErrDecrypt: a row failed authentication (wrong key, tampered row).
	ErrDecrypt = errors.New("chat: message failed authentication")
)
