package rtc

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pion/ice/v4"
	"github.com/pion/sdp/v3"
)

// checkICE refuses a remote description that pion would refuse only after
// moving its signaling state: pion applies the description first and reads
// the ICE details afterwards, and refuses a rollback from have-remote-offer,
// so a description it refused there left the Peer unable to take the genuine
// one. It applies pion's own rules early: every media section has a mid;
// ICE credentials come from the session level or the section pion takes
// them from (the BUNDLE group's first mid, else the first media section);
// and that section's candidates are not all unparseable. A description
// refused here leaves the Peer unchanged, as AcceptOffer and AcceptAnswer
// promise.
func checkICE(desc *sdp.SessionDescription) error {
	for i, m := range desc.MediaDescriptions {
		if m.MediaName.Port.Value == 0 && i > 0 {
			continue // a section refused (port 0) needs no mid: pion skips it
		}
		if mid, ok := m.Attribute("mid"); !ok || mid == "" {
			return fmt.Errorf("%w: media section %d has no mid", ErrMalformedSDP, i)
		}
	}
	ufrag, _ := desc.Attribute("ice-ufrag")
	pwd, _ := desc.Attribute("ice-pwd")
	if m := iceSection(desc); m != nil {
		u, _ := m.Attribute("ice-ufrag")
		p, _ := m.Attribute("ice-pwd")
		if ufrag == "" && u != "" {
			ufrag, pwd = u, p
		}
		if err := candidatesUsable(m); err != nil {
			return err
		}
	}
	if ufrag == "" || pwd == "" {
		return fmt.Errorf("%w: no ice-ufrag or ice-pwd", ErrMalformedSDP)
	}
	return nil
}

// iceSection is the media section pion reads ICE details from.
func iceSection(desc *sdp.SessionDescription) *sdp.MediaDescription {
	bundle := ""
	if group, _ := desc.Attribute(sdp.AttrKeyGroup); strings.Contains(group, "BUNDLE") {
		if ids := strings.Split(group, " "); len(ids) >= 2 {
			bundle = ids[1]
		}
	}
	for _, m := range desc.MediaDescriptions {
		if bundle == "" {
			return m
		}
		if mid, _ := m.Attribute("mid"); mid == bundle {
			return m
		}
	}
	return nil
}

// candidatesUsable refuses a section whose candidates all fail to parse
// (pion skips unknown types and networks, and refuses the description only
// when no candidate is left and one was malformed).
func candidatesUsable(m *sdp.MediaDescription) error {
	var bad error
	for _, a := range m.Attributes {
		if !a.IsICECandidate() {
			continue
		}
		if _, err := ice.UnmarshalCandidate(a.Value); err != nil {
			if errors.Is(err, ice.ErrUnknownCandidateTyp) || errors.Is(err, ice.ErrDetermineNetworkType) {
				continue
			}
			bad = err
			continue
		}
		return nil
	}
	if bad != nil {
		return fmt.Errorf("%w: no usable candidate: %w", ErrMalformedSDP, bad)
	}
	return nil
}
