// Package netsim builds a virtual network (pion's vnet) for call tests: a
// public network with a TURN server's host, and two clients each behind
// its own NAT that maps and filters per remote address and port
// (symmetric), so neither host nor server-reflexive candidates connect and
// a call must be relayed. One client's link can be cut and restored.
package netsim

import (
	"log/slog"
	"sync/atomic"
	"testing"

	"github.com/parley-voip/parley/internal/pionlog"
	"github.com/pion/transport/v5/vnet"
)

// Addresses on the virtual network.
const (
	TURNIP = "1.2.3.4"  // the TURN server's public address
	NATA   = "1.2.3.10" // A's NAT, as the world sees it
	NATB   = "1.2.3.20" // B's NAT
	HostA  = "10.0.1.2" // A's private address
	HostB  = "10.0.2.2" // B's private address
	wanNet = "1.2.3.0/24"
)

// World is the running virtual network.
type World struct {
	// TURN is the public host for the TURN server; A and B are the two
	// clients' networks.
	TURN, A, B *vnet.Net
	wan        *vnet.Router
	cutA       atomic.Bool
}

var quiet = pionlog.Factory{Log: slog.New(slog.DiscardHandler)}

func symmetric() *vnet.NATType {
	return &vnet.NATType{
		Mode:              vnet.NATModeNormal,
		MappingBehavior:   vnet.EndpointAddrPortDependent,
		FilteringBehavior: vnet.EndpointAddrPortDependent,
	}
}

// New starts the network and stops it when the test ends.
func New(t testing.TB) *World {
	t.Helper()
	w := &World{}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	wan, err := vnet.NewRouter(&vnet.RouterConfig{CIDR: wanNet, LoggerFactory: quiet})
	must(err)
	w.wan = wan
	w.TURN, err = vnet.NewNet(&vnet.NetConfig{StaticIPs: []string{TURNIP}})
	must(err)
	must(wan.AddNet(w.TURN))

	lan := func(cidr, public, host string) (*vnet.Router, *vnet.Net) {
		r, err := vnet.NewRouter(&vnet.RouterConfig{CIDR: cidr, StaticIPs: []string{public}, NATType: symmetric(), LoggerFactory: quiet})
		must(err)
		n, err := vnet.NewNet(&vnet.NetConfig{StaticIPs: []string{host}})
		must(err)
		must(r.AddNet(n))
		must(wan.AddRouter(r))
		return r, n
	}
	lanA, a := lan("10.0.1.0/24", NATA, HostA)
	_, b := lan("10.0.2.0/24", NATB, HostB)
	w.A, w.B = a, b
	lanA.AddChunkFilter(func(vnet.Chunk) bool { return !w.cutA.Load() })
	must(wan.Start())
	t.Cleanup(func() { _ = wan.Stop() })
	return w
}

// CutA drops every packet to and from A (its network is gone) while on.
func (w *World) CutA(on bool) { w.cutA.Store(on) }
