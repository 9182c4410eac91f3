// Package conformance runs the server stores' conformance suites
// (accountstest, chattest, policytest): named cases, each a parallel
// subtest on a fresh store, so one suite serves every implementation.
package conformance

import (
	"errors"
	"testing"
)

// Case is one test of a suite over a store of type S.
type Case[S any] struct {
	Name string
	Run  func(t *testing.T, s S)
}

// Run runs every case as a parallel subtest of t on a store open makes
// for it.
func Run[S any](t *testing.T, open func(t *testing.T) S, cases ...Case[S]) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			c.Run(t, open(t))
		})
	}
}

// Must fails t on a non-nil err.
func Must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// WantErr fails t unless errors.Is(err, target).
func WantErr(t testing.TB, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("got error %v, want %v", err, target)
	}
}
