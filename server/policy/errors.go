package policy

import "errors"

var (
	// ErrInvalid wraps every validation failure of a name, setting, rank or
	// target.
	ErrInvalid = errors.New("policy: invalid")
	// ErrNotFound: the named policy, group, membership or grant does not
	// exist.
	ErrNotFound = errors.New("policy: not found")
	// ErrExists: a policy or group of that name already exists.
	ErrExists = errors.New("policy: already exists")
	// ErrGlobal: the Global policy cannot be deleted or renamed.
	ErrGlobal = errors.New("policy: the Global policy cannot be deleted")
	// ErrInUse: the policy is still granted; revoke its grants first.
	ErrInUse = errors.New("policy: policy is granted")
)
