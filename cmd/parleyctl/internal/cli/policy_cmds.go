package cli

import (
	"context"
	"flag"
	"strconv"
	"strings"
)

func setupPolicyNew(fs *flag.FlagSet) func(context.Context, *cmd) error {
	e2ee := fs.String("e2ee", "Disabled", "Disabled or UserCanEnable (Teams: DisabledUserOverride)")
	rec := fs.Bool("recording", true, "users may record standard calls (Teams: AllowCloudRecording)")
	capt := fs.Bool("captions", true, "users may turn on live captions and transcription (Teams: AllowTranscription)")
	xfer := fs.Bool("transfer", true, "users may transfer standard calls and move them to another device")
	park := fs.Bool("park", true, "users may park standard calls and pick parked calls up (Teams: AllowCallPark)")
	days := fs.Int("retention-days", defaultRetentionDays, "days recordings and transcripts are kept, 0 = until deleted")
	desc := fs.String("description", "", "description")
	return func(ctx context.Context, c *cmd) error {
		var p policyT
		body := policyT{Name: c.args[0], E2EE: *e2ee, AllowRecording: *rec, AllowCaptions: *capt,
			AllowTransfer: *xfer, AllowPark: *park, RetentionDays: *days, Description: *desc}
		if text, err := c.api(ctx, "POST", "/api/admin/policies", body, &p); err != nil || !text {
			return err
		}
		c.printf("Created policy %s (%s).\n", p.Name, p.settings())
		return nil
	}
}

func setupPolicySet(fs *flag.FlagSet) func(context.Context, *cmd) error {
	var e2ee, desc, days optString
	var rec, capt, xfer, park optBool
	fs.Var(&e2ee, "e2ee", "Disabled or UserCanEnable")
	fs.Var(&rec, "recording", "users may record standard calls (--recording=false forbids it)")
	fs.Var(&capt, "captions", "users may turn on live captions and transcription (--captions=false forbids it)")
	fs.Var(&xfer, "transfer", "users may transfer standard calls and move them to another device (--transfer=false forbids it)")
	fs.Var(&park, "park", "users may park standard calls and pick them up (--park=false forbids it)")
	fs.Var(&days, "retention-days", "days recordings and transcripts are kept, 0 = until deleted")
	fs.Var(&desc, "description", "description")
	return func(ctx context.Context, c *cmd) error {
		body := map[string]any{}
		if xfer.set {
			body["allow_transfer"] = xfer.v
		}
		if park.set {
			body["allow_park"] = park.v
		}
		if e2ee.set {
			body["e2ee"] = e2ee.v
		}
		if rec.set {
			body["allow_recording"] = rec.v
		}
		if capt.set {
			body["allow_captions"] = capt.v
		}
		if days.set {
			n, err := strconv.Atoi(days.v)
			if err != nil {
				return usagef("policy set: --retention-days %q is not a number", days.v)
			}
			body["retention_days"] = n
		}
		if desc.set {
			body["description"] = desc.v
		}
		if len(body) == 0 {
			return usagef("policy set: give --e2ee, --recording, --captions, --transfer, --park, --retention-days and/or --description")
		}
		var p policyT
		if text, err := c.api(ctx, "PATCH", "/api/admin/policies/"+seg(c.args[0]), body, &p); err != nil || !text {
			return err
		}
		c.printf("Policy %s: %s.\n", p.Name, p.settings())
		return nil
	}
}

// optString is a string flag that knows whether it was given.
type optString struct {
	v   string
	set bool
}

func (o *optString) String() string { return o.v }

func (o *optString) Set(s string) error { o.v, o.set = s, true; return nil }

// optBool is a boolean flag that knows whether it was given.
type optBool struct {
	v, set bool
}

func (o *optBool) String() string { return strconv.FormatBool(o.v) }

func (o *optBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return err
	}
	o.v, o.set = v, true
	return nil
}

// IsBoolFlag lets --recording stand for --recording=true.
func (o *optBool) IsBoolFlag() bool { return true }

// defaultRetentionDays is the server's default (policy.DefaultRetentionDays),
// which parleyctl does not link.
const defaultRetentionDays = 120

func setupPolicyDelete(*flag.FlagSet) func(context.Context, *cmd) error {
	return func(ctx context.Context, c *cmd) error {
		if text, err := c.api(ctx, "DELETE", "/api/admin/policies/"+seg(c.args[0]), nil, nil); err != nil || !text {
			return err
		}
		c.printf("Deleted policy %s.\n", c.args[0])
		return nil
	}
}

func setupPolicyList(*flag.FlagSet) func(context.Context, *cmd) error {
	return func(ctx context.Context, c *cmd) error {
		var out struct{ Policies []policyT }
		if text, err := c.api(ctx, "GET", "/api/admin/policies", nil, &out); err != nil || !text {
			return err
		}
		rows := make([][]string, 0, len(out.Policies))
		for _, p := range out.Policies {
			rows = append(rows, []string{p.Name, p.E2EE, yesNo(p.AllowRecording, "allowed", "off"),
				yesNo(p.AllowCaptions, "allowed", "off"), yesNo(p.AllowTransfer, "allowed", "off"),
				yesNo(p.AllowPark, "allowed", "off"), retention(p.RetentionDays), p.Description})
		}
		c.table("POLICY\tE2EE\tRECORDING\tCAPTIONS\tTRANSFER\tPARK\tRETENTION\tDESCRIPTION", rows)
		return nil
	}
}

func setupPolicyShow(*flag.FlagSet) func(context.Context, *cmd) error {
	return func(ctx context.Context, c *cmd) error {
		var d struct {
			Policy policyT  `json:"policy"`
			Grants []grantT `json:"grants"`
		}
		if text, err := c.api(ctx, "GET", "/api/admin/policies/"+seg(c.args[0]), nil, &d); err != nil || !text {
			return err
		}
		c.printf("Policy: %s\nE2EE: %s\nRecording: %s\nCaptions and transcription: %s\nTransfer: %s\nPark: %s\nRetention: %s\n",
			d.Policy.Name, d.Policy.E2EE, yesNo(d.Policy.AllowRecording, "allowed", "off"),
			yesNo(d.Policy.AllowCaptions, "allowed", "off"), yesNo(d.Policy.AllowTransfer, "allowed", "off"),
			yesNo(d.Policy.AllowPark, "allowed", "off"), retention(d.Policy.RetentionDays))
		if d.Policy.Description != "" {
			c.printf("Description: %s\n", d.Policy.Description)
		}
		var ts []string
		for _, g := range d.Grants {
			ts = append(ts, g.Target.String())
		}
		if len(ts) == 0 {
			ts = []string{"nobody"}
		}
		c.printf("Granted to: %s\n", strings.Join(ts, ", "))
		return nil
	}
}

// targetFlags registers --tenant, --group and --user and returns the one
// given.
func targetFlags(fs *flag.FlagSet) func() (targetT, error) {
	tenant := fs.Bool("tenant", false, "the whole organization")
	group := fs.String("group", "", "a group's name")
	user := fs.String("user", "", "a user's id")
	return func() (targetT, error) {
		var ts []targetT
		if *tenant {
			ts = append(ts, targetT{Kind: "tenant"})
		}
		if *group != "" {
			ts = append(ts, targetT{Kind: "group", ID: *group})
		}
		if *user != "" {
			ts = append(ts, targetT{Kind: "user", ID: *user})
		}
		if len(ts) != 1 {
			return targetT{}, usagef("give exactly one of --tenant, --group NAME, --user ID")
		}
		return ts[0], nil
	}
}

func setupPolicyGrant(fs *flag.FlagSet) func(context.Context, *cmd) error {
	target := targetFlags(fs)
	return func(ctx context.Context, c *cmd) error {
		t, err := target()
		if err != nil {
			return err
		}
		if text, err := c.api(ctx, "PUT", "/api/admin/grants", grantT{Target: t, Policy: c.args[0]}, nil); err != nil || !text {
			return err
		}
		c.printf("Granted %s to %s.\n", c.args[0], t)
		return nil
	}
}

func setupPolicyRevoke(fs *flag.FlagSet) func(context.Context, *cmd) error {
	target := targetFlags(fs)
	return func(ctx context.Context, c *cmd) error {
		t, err := target()
		if err != nil {
			return err
		}
		path := "/api/admin/grants/tenant"
		if t.Kind != "tenant" {
			path = "/api/admin/grants/" + t.Kind + "/" + seg(t.ID)
		}
		if text, err := c.api(ctx, "DELETE", path, nil, nil); err != nil || !text {
			return err
		}
		c.printf("Revoked the grant of %s.\n", t)
		return nil
	}
}

func setupPolicyEffective(*flag.FlagSet) func(context.Context, *cmd) error {
	return func(ctx context.Context, c *cmd) error {
		var e effectiveT
		if text, err := c.api(ctx, "GET", "/api/admin/effective/"+seg(c.args[0]), nil, &e); err != nil || !text {
			return err
		}
		c.printf("User: %s\n", e.User)
		c.printEffective(e)
		return nil
	}
}
