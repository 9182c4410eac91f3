package calllog

import "errors"

// ErrInvalidRecord: a record to add lacks its user, peer or call id, or has
// an unknown outcome or a negative duration.
var ErrInvalidRecord = errors.New("calllog: invalid record")
