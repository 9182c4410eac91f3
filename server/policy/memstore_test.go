package policy_test

import (
	"testing"

	"github.com/parley-voip/parley/server/policy"
	"github.com/parley-voip/parley/server/policy/policytest"
)

func TestMemStore(t *testing.T) {
	t.Parallel()
	policytest.TestStore(t, func(*testing.T) policy.Store { return policy.NewMemStore() })
}
