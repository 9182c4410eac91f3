package rtc

import "testing"

func TestPathString(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		p    Path
		want string
	}{
		{Path{}, "none"},
		{Path{Local: "host", Remote: "host", Protocol: "udp"}, "host/host udp"},
		{Path{Local: "relay", Remote: "host", Protocol: "udp", RelayProtocol: "udp"}, "relay/host udp"},
		{Path{Local: "relay", Remote: "srflx", Protocol: "udp", RelayProtocol: "tcp"}, "relay(tcp)/srflx udp"},
	} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.p, got, tt.want)
		}
	}
}
