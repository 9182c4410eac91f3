package app

import (
	"testing"

	"github.com/parley-voip/parley/server/org/orgtest"
)

// The cluster tests start PostgreSQL and NATS; Main stops them.
func TestMain(m *testing.M) { orgtest.Main(m) }
