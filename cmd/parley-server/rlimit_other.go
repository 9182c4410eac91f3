//go:build !unix

package main

import "errors"

// raiseFileLimit has nothing to raise where descriptors are not limited by
// RLIMIT_NOFILE (Windows).
func raiseFileLimit() (soft, hard uint64, err error) {
	return 0, 0, errors.ErrUnsupported
}
