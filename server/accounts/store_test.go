package accounts_test

import (
	"testing"

	"github.com/parley-voip/parley/internal/pgtest"
	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/accounts/accountstest"
	"github.com/parley-voip/parley/server/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestSQLStore(t *testing.T) {
	t.Parallel()
	pgtest.EachDatabase(t, func(t *testing.T, open func(testing.TB) *store.DB) {
		accountstest.TestStore(t, func(t *testing.T) accounts.Store { return accounts.NewSQLStore(open(t).SQL()) })
	})
}
