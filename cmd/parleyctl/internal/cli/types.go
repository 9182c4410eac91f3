package cli

import (
	"fmt"
	"strconv"
)

// Wire shapes of the admin API (docs/admin.md). parleyctl keeps its own
// copies so the binary does not link the server.

type policyT struct {
	Name           string `json:"name"`
	E2EE           string `json:"e2ee"`
	AllowRecording bool   `json:"allow_recording"`
	AllowCaptions  bool   `json:"allow_captions"`
	AllowTransfer  bool   `json:"allow_transfer"`
	AllowPark      bool   `json:"allow_park"`
	RetentionDays  int    `json:"retention_days"`
	Description    string `json:"description,omitempty"`
}

// settings is the one-line summary of a policy's settings.
func (p policyT) settings() string {
	return fmt.Sprintf("E2EE %s, recording %s, captions %s, transfer %s, park %s, retention %s", p.E2EE,
		yesNo(p.AllowRecording, "allowed", "off"), yesNo(p.AllowCaptions, "allowed", "off"),
		yesNo(p.AllowTransfer, "allowed", "off"), yesNo(p.AllowPark, "allowed", "off"), retention(p.RetentionDays))
}

// retention reads a policy's retention days.
func retention(days int) string {
	if days == 0 {
		return "until deleted"
	}
	return strconv.Itoa(days) + " days"
}

type targetT struct {
	Kind string `json:"kind"`
	ID   string `json:"id,omitempty"`
}

func (t targetT) String() string {
	if t.Kind == "tenant" {
		return "tenant"
	}
	return t.Kind + ":" + t.ID
}

type grantT struct {
	Target targetT `json:"target"`
	Policy string  `json:"policy"`
}

type groupT struct {
	Name    string `json:"name"`
	Rank    int    `json:"rank"`
	Members int    `json:"members"`
}

type userT struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
	Email       string `json:"email,omitempty"`
	Enabled     bool   `json:"enabled"`
	Admin       bool   `json:"admin"`
}

type effectiveT struct {
	User   string   `json:"user"`
	Policy policyT  `json:"policy"`
	Source string   `json:"source"`
	Group  string   `json:"group,omitempty"`
	Rank   int      `json:"rank,omitempty"`
	Reason string   `json:"reason"`
	Groups []groupT `json:"groups"`
}
