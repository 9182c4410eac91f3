package rtc

// Path is the candidate pair a connected call uses: the kinds of the local
// and remote candidates ("host", "srflx", "prflx", "relay") and the local
// one's transport protocol. A relayed call has "relay" on at least one side.
type Path struct {
	Local, Remote string
	Protocol      string
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
	return Path{Local: pair.Local.Typ.String(), Remote: pair.Remote.Typ.String(), Protocol: pair.Local.Protocol.String()}
}
