package netsim

import (
	"errors"
	"net"
	"testing"

	"github.com/pion/transport/v5/stdnet"
)

func TestNoUDPRefusesUDPAndLetsTCPThrough(t *testing.T) {
	std, err := stdnet.NewNet()
	if err != nil {
		t.Fatal(err)
	}
	n := NoUDP(std)
	if _, err := n.ListenPacket("udp4", "127.0.0.1:0"); !errors.Is(err, ErrNoUDP) {
		t.Errorf("ListenPacket udp4: %v, want ErrNoUDP", err)
	}
	if _, err := n.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}); !errors.Is(err, ErrNoUDP) {
		t.Errorf("ListenUDP: %v, want ErrNoUDP", err)
	}
	if _, err := n.Dial("udp", "127.0.0.1:9"); !errors.Is(err, ErrNoUDP) {
		t.Errorf("Dial udp: %v, want ErrNoUDP", err)
	}
	if _, err := n.CreateDialer(&net.Dialer{}).Dial("udp4", "127.0.0.1:9"); !errors.Is(err, ErrNoUDP) {
		t.Errorf("Dialer.Dial udp4: %v, want ErrNoUDP", err)
	}
	if _, err := n.CreateListenConfig(&net.ListenConfig{}).ListenPacket(t.Context(), "udp6", "[::1]:0"); !errors.Is(err, ErrNoUDP) {
		t.Errorf("ListenConfig.ListenPacket udp6: %v, want ErrNoUDP", err)
	}
	ln, err := n.ListenTCP("tcp4", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatalf("ListenTCP: %v", err)
	}
	defer ln.Close()
	c, err := n.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatalf("Dial tcp4: %v", err)
	}
	_ = c.Close()
}
