package orgtest

import (
	"os"
	"testing"

	"github.com/parley-voip/parley/internal/natstest"
	"github.com/parley-voip/parley/internal/pgtest"
	"github.com/parley-voip/parley/server/chat"
	"github.com/parley-voip/parley/server/org"
)

// Main runs the tests of a package that starts clusters, then stops the
// PostgreSQL and NATS servers they used, and exits:
//
//	func TestMain(m *testing.M) { orgtest.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	natstest.Stop()
	pgtest.Stop()
	os.Exit(code)
}

// Cluster starts n nodes of one organization: a fresh PostgreSQL
// database (pgtest), the test binary's NATS server (natstest) and one
// chat key, each node with its own data directory. cfg is every node's
// configuration; Dir, Postgres and NATS are filled in. It skips t when
// PostgreSQL or nats-server is not installed and CI is unset.
func Cluster(t testing.TB, n int, cfg org.Config) []*org.Org {
	t.Helper()
	cfg.Postgres, cfg.NATS = pgtest.DSN(t), natstest.URL(t)
	var keys *chat.Keyring
	nodes := make([]*org.Org, n)
	for i := range nodes {
		c := cfg
		c.Dir = t.TempDir()
		if keys == nil {
			k, err := chat.LoadKeyring(c.Dir, true)
			if err != nil {
				t.Fatal(err)
			}
			keys = k
		} else if err := chat.SaveKeyring(c.Dir, keys); err != nil {
			t.Fatal(err)
		}
		nodes[i] = Start(t, c)
	}
	return nodes
}
