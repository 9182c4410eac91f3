package policy

import (
	"strings"
	"testing"

	"github.com/parley-voip/parley/signaling"
)

func TestMessageRoundTrips(t *testing.T) {
	t.Parallel()
	cases := []struct {
		p    Policy
		want signaling.PolicyE2EE
	}{
		{Policy{Name: GlobalName}, signaling.PolicyDisabled},
		{Policy{Name: "Pilot team", E2EE: UserCanEnable}, signaling.PolicyUserCanEnable},
		{Policy{Name: strings.Repeat("p", MaxNameLen), E2EE: UserCanEnable}, signaling.PolicyUserCanEnable},
		{DefaultGlobal(), signaling.PolicyDisabled},
		{Policy{Name: "Keep", AllowRecording: true, RetentionDays: MaxRetentionDays}, signaling.PolicyDisabled},
	}
	for _, c := range cases {
		t.Run(c.p.Name[:min(len(c.p.Name), 8)], func(t *testing.T) {
			t.Parallel()
			b, err := signaling.Encode(Message(Effective{Policy: c.p}))
			if err != nil {
				t.Fatal(err)
			}
			m, err := signaling.Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			if m.Type != signaling.TypePolicy || m.Policy.Name != c.p.Name || m.Policy.E2EE != c.want ||
				m.Policy.E2EE.Allows() != c.p.E2EE.Allows() || m.Policy.Recording != c.p.AllowRecording ||
				m.Policy.Captions != c.p.AllowCaptions || m.Policy.RetentionDays != c.p.RetentionDays {
				t.Fatalf("got %+v", m.Policy)
			}
		})
	}
}
