package netsim

import (
	"context"
	"errors"
	"net"
	"strings"

	"github.com/pion/transport/v5"
)

// ErrNoUDP is what every UDP socket on a NoUDP network fails with.
var ErrNoUDP = errors.New("netsim: this network lets no UDP out")

// NoUDP is n with every UDP socket refused, TCP untouched: a network whose
// firewall lets only TCP out, or a Windows program under Wine 8, where Go
// cannot open any UDP socket (its ws2_32 refuses the SIO_UDP_NETRESET
// ioctl Go's net package makes on each). A call from there has only the
// TURN server over TCP.
func NoUDP(n transport.Net) transport.Net { return noUDP{n} }

type noUDP struct{ transport.Net }

func isUDP(network string) bool { return strings.HasPrefix(network, "udp") }

func (n noUDP) ListenPacket(network, address string) (net.PacketConn, error) {
	if isUDP(network) {
		return nil, opError("listen", network)
	}
	return n.Net.ListenPacket(network, address)
}

func (noUDP) ListenUDP(network string, _ *net.UDPAddr) (transport.UDPConn, error) {
	return nil, opError("listen", network)
}

func (noUDP) DialUDP(network string, _, _ *net.UDPAddr) (transport.UDPConn, error) {
	return nil, opError("dial", network)
}

func (n noUDP) Dial(network, address string) (net.Conn, error) {
	if isUDP(network) {
		return nil, opError("dial", network)
	}
	return n.Net.Dial(network, address)
}

func (n noUDP) CreateDialer(d *net.Dialer) transport.Dialer {
	return noUDPDialer{n.Net.CreateDialer(d)}
}

func (n noUDP) CreateListenConfig(lc *net.ListenConfig) transport.ListenConfig {
	return noUDPListenConfig{n.Net.CreateListenConfig(lc)}
}

type noUDPDialer struct{ transport.Dialer }

func (d noUDPDialer) Dial(network, address string) (net.Conn, error) {
	if isUDP(network) {
		return nil, opError("dial", network)
	}
	return d.Dialer.Dial(network, address)
}

type noUDPListenConfig struct{ transport.ListenConfig }

func (l noUDPListenConfig) ListenPacket(ctx context.Context, network, address string) (net.PacketConn, error) {
	if isUDP(network) {
		return nil, opError("listen", network)
	}
	return l.ListenConfig.ListenPacket(ctx, network, address)
}

func opError(op, network string) error { return &net.OpError{Op: op, Net: network, Err: ErrNoUDP} }
