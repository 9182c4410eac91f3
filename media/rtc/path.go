package rtc

import "github.com/pion/webrtc/v4"

// Path is the candidate pair a connected call uses: the kinds of the local
// and remote candidates ("host", "srflx", "prflx", "relay") and the local
// one's transport protocol. A relayed call has "relay" on at least one side.
// RelayProtocol is, when the local candidate is relayed, how this side
// reaches its TURN server ("udp", "tcp" or "tls"): "tcp" on a network that
// lets no UDP out.
type Path struct {
	Local, Remote string
	Protocol      string
	RelayProtocol string
}

// Relayed reports whether media goes through a TURN server.
func (p Path) Relayed() bool { return p.Local == "relay" || p.Remote == "relay" }

// Path is the selected candidate pair; the zero Path before ICE has chosen
// one.
func (p *Peer) Path() Path {
	ice := p.dtls.ICETransport()
	if ice == nil {
		return Path{}
	}
	pair, err := ice.GetSelectedCandidatePair()
	if err != nil || pair == nil || pair.Local == nil || pair.Remote == nil {
		return Path{}
	}
	path := Path{Local: pair.Local.Typ.String(), Remote: pair.Remote.Typ.String(), Protocol: pair.Local.Protocol.String()}
	if pair.Local.Typ == webrtc.ICECandidateTypeRelay {
		path.RelayProtocol = p.relayProtocol(pair.Local)
	}
	return path
}

// relayProtocol is how the local relayed candidate c reaches its TURN
// server, from the candidate statistics (the selected pair's candidates
// carry no statistics id, so it is found by its address).
func (p *Peer) relayProtocol(c *webrtc.ICECandidate) string {
	for _, s := range p.pc.GetStats() {
		st, ok := s.(webrtc.ICECandidateStats)
		if ok && st.Type == webrtc.StatsTypeLocalCandidate && st.CandidateType == webrtc.ICECandidateTypeRelay &&
			st.IP == c.Address && st.Port == int32(c.Port) {
			return st.RelayProtocol
		}
	}
	return ""
}

// String is the path as logs show it: "relay/host udp", with the relay's
// own transport when it is not UDP ("relay(tcp)/host udp").
func (p Path) String() string {
	if p.Local == "" {
		return "none"
	}
	local := p.Local
	if p.RelayProtocol != "" && p.RelayProtocol != "udp" {
		local += "(" + p.RelayProtocol + ")"
	}
	return local + "/" + p.Remote + " " + p.Protocol
}
