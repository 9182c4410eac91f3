package sfu

import (
	"fmt"
	"slices"

	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
)

// A down track goes on a section its connection has already when one of
// its kind is free, so a long call where people come and go keeps as
// many sections as it has tracks at once, not one per track it ever
// carried (the offers would outgrow signaling.MaxSDPLen). A section is
// free once the service has stopped sending on it and the client has
// answered an offer that says so; the next down track comes there with a
// sender of its own (a new SSRC and stream id), and the client starts a
// new remote track for it on the same mid.
//
// Audio: RemoveTrack leaves the section receive-only (the service's
// audio sections are send-receive), and pion's AddTrack reuses such a
// section by itself. Video is handled here, for two reasons. AddTrack
// would also take the participant's own receive-only video section,
// which stays for its own camera or screen. And a section RemoveTrack
// leaves inactive is lost for video at a pion client: pion stops an
// answerer's transceiver on every offer that has its section inactive,
// and from the second such offer on it stops the fresh receiver it made
// for the next track without making another, so no track would ever
// start there again. So a video down track that has been sent is taken
// off by emptying its sender (ReplaceTrack(nil)): the section stays
// send-only with no track (no SSRC, no msid), the client ends the remote
// track and keeps a fresh receiver there, and the next video down track
// replaces the idle sender. One removed before it was ever sent (it was
// added and removed between an offer and its answer) is removed, as its
// sender could not start without a track; its section stays inactive.

// addSender puts track on a free section of its kind on m's connection,
// or on a new one.
func (m *Member) addSender(kind trackKind, track webrtc.TrackLocal) (*webrtc.RTPSender, error) {
	if kind == kindAudio {
		return m.pc.AddTrack(track)
	}
	m.nmu.Lock() // the answered offer and the senders stay as read
	defer m.nmu.Unlock()
	if tr := m.freeVideoSection(); tr != nil {
		sender, err := m.svc.api.NewRTPSender(track, m.pc.SCTP().Transport())
		if err != nil {
			return nil, fmt.Errorf("sender: %w", err)
		}
		if err := tr.Sender().Stop(); err != nil {
			m.svc.log.Debug("sfu: stop idle sender", "mid", tr.Mid(), "err", err)
		}
		if err := tr.SetSender(sender, track); err != nil {
			return nil, fmt.Errorf("reuse section %s: %w", tr.Mid(), err)
		}
		return sender, nil
	}
	tr, err := m.pc.AddTransceiverFromTrack(track, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
	if err != nil {
		return nil, err
	}
	return tr.Sender(), nil
}

// releaseSender takes d's track off m's connection, leaving its section
// for the next down track of its kind.
func (m *Member) releaseSender(d *downTrack) {
	m.nmu.Lock()
	defer m.nmu.Unlock()
	if d.kind != kindAudio && d.track.bound.Load() > 0 { // sent: Send bound the track
		if err := d.sender.ReplaceTrack(nil); err == nil {
			return
		}
	}
	if err := m.pc.RemoveTrack(d.sender); err != nil {
		m.svc.log.Debug("sfu: remove track", "err", err)
	}
}

// freeVideoSection is a video transceiver of m's connection, not one of
// its own receive-only ones, whose sender is idle (no track) and whose
// section had no track in the last offer the client answered; nil if
// there is none. Called with m.nmu held.
func (m *Member) freeVideoSection() *webrtc.RTPTransceiver {
	cur := m.pc.CurrentLocalDescription()
	if cur == nil {
		return nil
	}
	var parsed sdp.SessionDescription
	if err := parsed.UnmarshalString(cur.SDP); err != nil {
		return nil
	}
	empty := map[string]bool{}
	for _, md := range parsed.MediaDescriptions {
		_, sendonly := md.Attribute(webrtc.RTPTransceiverDirectionSendonly.String())
		_, msid := md.Attribute(sdp.AttrKeyMsid)
		_, ssrc := md.Attribute(sdp.AttrKeySSRC)
		if md.MediaName.Media == "video" && sendonly && !msid && !ssrc {
			mid, _ := md.Attribute(sdp.AttrKeyMID)
			empty[mid] = true
		}
	}
	for _, tr := range m.pc.GetTransceivers() {
		s := tr.Sender()
		if tr.Kind() == webrtc.RTPCodecTypeVideo && s != nil && s.Track() == nil && empty[tr.Mid()] && !slices.Contains(m.vrecv[:], tr) {
			return tr
		}
	}
	return nil
}
