package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/parley-voip/parley/api"
)

func topVerbs() map[string]verb {
	return map[string]verb{
		"login":  {"login", "", "Sign in as an administrator and save the session.", setupLogin},
		"logout": {"logout", "", "End the saved session on the server and forget it.", setupLogout},
	}
}

func commands() map[string][]verb {
	return map[string][]verb{
		"user": {
			{"add", "<id>", "Create a user; the password comes from PARLEY_NEW_PASSWORD or stdin.", setupUserAdd},
			{"list", "", "List users.", setupUserList},
			{"show", "<id>", "Show a user, their groups and effective policy.", setupUserShow},
			{"disable", "<id>", "Disable a user's sign-in and end their sessions.", setupUserEnabled(false)},
			{"enable", "<id>", "Enable a user's sign-in.", setupUserEnabled(true)},
			{"reset-password", "<id>", "Set a new password (PARLEY_NEW_PASSWORD or stdin); ends their sessions.", setupUserPassword},
		},
		"group": {
			{"add", "<name>", "Create a group.", setupGroupAdd},
			{"delete", "<name>", "Delete a group with its memberships and grant.", setupGroupDelete},
			{"list", "", "List groups by rank.", setupGroupList},
			{"members", "<name>", "List a group's members.", setupGroupMembers},
			{"add-member", "<name> <user>...", "Add users to a group.", setupGroupMember(true)},
			{"remove-member", "<name> <user>...", "Remove users from a group.", setupGroupMember(false)},
			{"rank", "<name> <rank>", "Set a group's rank (1 wins over 2).", setupGroupRank},
		},
		"policy": {
			{"new", "<name>", "Create an enhanced encryption policy.", setupPolicyNew},
			{"set", "<name>", "Change a policy's E2EE, recording, captions or retention setting or description.", setupPolicySet},
			{"delete", "<name>", "Delete an ungranted custom policy.", setupPolicyDelete},
			{"list", "", "List policies.", setupPolicyList},
			{"show", "<name>", "Show a policy and its grants.", setupPolicyShow},
			{"grant", "<policy>", "Grant a policy to --tenant, --group NAME or --user ID.", setupPolicyGrant},
			{"revoke", "", "Remove the grant of --tenant, --group NAME or --user ID.", setupPolicyRevoke},
			{"effective", "<user>", "Show a user's effective policy and why.", setupPolicyEffective},
		},
	}
}

func setupLogin(fs *flag.FlagSet) func(context.Context, *cmd) error {
	user := fs.String("user", "", "administrator's user id or email (required)")
	return func(ctx context.Context, c *cmd) error {
		server := c.server
		if server == "" {
			server = c.env.Getenv("PARLEY_SERVER")
		}
		if server == "" {
			if s, err := c.env.loadSession(); err == nil {
				server = s.Server
			}
		}
		if server == "" || *user == "" {
			return usagef("login: --server URL and --user ID are required")
		}
		pw, err := c.secret("PARLEY_PASSWORD", "Password for "+*user+": ")
		if err != nil {
			return err
		}
		cl := &client{http: c.env.HTTPClient, server: server}
		var signed struct {
			Token string `json:"token"`
			User  userT  `json:"user"`
		}
		if _, err := cl.call(ctx, "POST", "/api/signin", map[string]string{"login": *user, "password": pw}, &signed); err != nil {
			var ae *api.Error
			if errors.As(err, &ae) && ae.Status == 401 {
				return errors.New("login refused: wrong user or password")
			}
			return fmt.Errorf("login: %w", err)
		}
		cl.token = signed.Token
		if _, err := cl.call(ctx, "GET", "/api/admin/whoami", nil, nil); err != nil {
			_, _ = cl.call(ctx, "POST", "/api/signout", nil, nil)
			var ae *api.Error
			if errors.As(err, &ae) && ae.Status == 403 {
				return fmt.Errorf("login refused: %s is not an administrator", signed.User.ID)
			}
			return fmt.Errorf("login: %w", err)
		}
		if err := c.env.saveSession(session{Server: server, User: signed.User.ID, Token: signed.Token}); err != nil {
			return err
		}
		if c.output == "json" {
			c.printf("{\"server\": %q, \"user\": %q}\n", server, signed.User.ID)
			return nil
		}
		c.printf("Signed in to %s as %s (administrator).\n", server, signed.User.ID)
		return nil
	}
}

func setupLogout(*flag.FlagSet) func(context.Context, *cmd) error {
	return func(ctx context.Context, c *cmd) error {
		cl, err := c.client()
		if err != nil {
			return err
		}
		_, callErr := cl.call(ctx, "POST", "/api/signout", nil, nil)
		s, err := c.env.loadSession()
		if err != nil {
			return err
		}
		s.Token = ""
		if err := c.env.saveSession(s); err != nil {
			return err
		}
		var ae *api.Error
		if callErr != nil && !(errors.As(callErr, &ae) && ae.Status == 401) {
			return fmt.Errorf("logout: session forgotten locally, but the server said: %w", callErr)
		}
		if c.output == "text" {
			c.printf("Signed out.\n")
		}
		return nil
	}
}

func setupUserAdd(fs *flag.FlagSet) func(context.Context, *cmd) error {
	name := fs.String("name", "", "display name (default: the id)")
	email := fs.String("email", "", "email address")
	admin := fs.Bool("admin", false, "make the user an administrator")
	return func(ctx context.Context, c *cmd) error {
		pw, err := c.secret("PARLEY_NEW_PASSWORD", "New password for "+c.args[0]+": ")
		if err != nil {
			return err
		}
		var u userT
		body := map[string]any{"id": c.args[0], "display_name": *name, "email": *email, "password": pw, "admin": *admin}
		if text, err := c.api(ctx, "POST", "/api/admin/users", body, &u); err != nil || !text {
			return err
		}
		c.printf("Created user %s.\n", u.ID)
		return nil
	}
}

func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

func setupUserList(fs *flag.FlagSet) func(context.Context, *cmd) error {
	search := fs.String("search", "", "only users whose id, name or email contains this")
	return func(ctx context.Context, c *cmd) error {
		var out struct{ Users []userT }
		path := "/api/admin/users"
		if *search != "" {
			path += "?" + url.Values{"search": {*search}}.Encode()
		}
		if text, err := c.api(ctx, "GET", path, nil, &out); err != nil || !text {
			return err
		}
		rows := make([][]string, 0, len(out.Users))
		for _, u := range out.Users {
			rows = append(rows, []string{u.ID, u.DisplayName, u.Email, yesNo(u.Enabled, "enabled", "disabled"), yesNo(u.Admin, "admin", "user")})
		}
		c.table("ID\tNAME\tEMAIL\tSTATUS\tROLE", rows)
		return nil
	}
}

func (c *cmd) printEffective(e effectiveT) {
	c.printf("Effective policy: %s (%s)\n", e.Policy.Name, e.Policy.settings())
	c.printf("Why: %s\n", e.Reason)
	var gs []string
	for _, g := range e.Groups {
		gs = append(gs, fmt.Sprintf("%s (rank %d)", g.Name, g.Rank))
	}
	if len(gs) == 0 {
		gs = []string{"none"}
	}
	c.printf("Groups: %s\n", strings.Join(gs, ", "))
}

func setupUserShow(*flag.FlagSet) func(context.Context, *cmd) error {
	return func(ctx context.Context, c *cmd) error {
		var d struct {
			User      userT      `json:"user"`
			Effective effectiveT `json:"effective"`
		}
		if text, err := c.api(ctx, "GET", "/api/admin/users/"+seg(c.args[0]), nil, &d); err != nil || !text {
			return err
		}
		u := d.User
		c.printf("User: %s\nName: %s\nEmail: %s\nStatus: %s\nRole: %s\n", u.ID, u.DisplayName, u.Email,
			yesNo(u.Enabled, "enabled", "disabled"), yesNo(u.Admin, "administrator", "user"))
		c.printEffective(d.Effective)
		return nil
	}
}

func setupUserEnabled(on bool) func(*flag.FlagSet) func(context.Context, *cmd) error {
	return func(*flag.FlagSet) func(context.Context, *cmd) error {
		return func(ctx context.Context, c *cmd) error {
			action := yesNo(on, "enable", "disable")
			if text, err := c.api(ctx, "POST", "/api/admin/users/"+seg(c.args[0])+"/"+action, nil, nil); err != nil || !text {
				return err
			}
			c.printf("User %s %sd.\n", c.args[0], action)
			return nil
		}
	}
}

func setupUserPassword(*flag.FlagSet) func(context.Context, *cmd) error {
	return func(ctx context.Context, c *cmd) error {
		pw, err := c.secret("PARLEY_NEW_PASSWORD", "New password for "+c.args[0]+": ")
		if err != nil {
			return err
		}
		if text, err := c.api(ctx, "POST", "/api/admin/users/"+seg(c.args[0])+"/password", map[string]string{"password": pw}, nil); err != nil || !text {
			return err
		}
		c.printf("Password of %s reset; their sessions were ended.\n", c.args[0])
		return nil
	}
}

func setupGroupAdd(fs *flag.FlagSet) func(context.Context, *cmd) error {
	rank := fs.Int("rank", 0, "rank; lower wins (default: after the last group)")
	return func(ctx context.Context, c *cmd) error {
		r := *rank
		if r == 0 {
			var out struct{ Groups []groupT }
			cl, err := c.client()
			if err != nil {
				return err
			}
			if _, err := cl.call(ctx, "GET", "/api/admin/groups", nil, &out); err != nil {
				return err
			}
			r = 1
			for _, g := range out.Groups {
				r = max(r, g.Rank+1)
			}
		}
		var g groupT
		if text, err := c.api(ctx, "POST", "/api/admin/groups", map[string]any{"name": c.args[0], "rank": r}, &g); err != nil || !text {
			return err
		}
		c.printf("Created group %s with rank %d.\n", g.Name, g.Rank)
		return nil
	}
}

func setupGroupDelete(*flag.FlagSet) func(context.Context, *cmd) error {
	return func(ctx context.Context, c *cmd) error {
		if text, err := c.api(ctx, "DELETE", "/api/admin/groups/"+seg(c.args[0]), nil, nil); err != nil || !text {
			return err
		}
		c.printf("Deleted group %s.\n", c.args[0])
		return nil
	}
}

func setupGroupList(*flag.FlagSet) func(context.Context, *cmd) error {
	return func(ctx context.Context, c *cmd) error {
		var out struct{ Groups []groupT }
		if text, err := c.api(ctx, "GET", "/api/admin/groups", nil, &out); err != nil || !text {
			return err
		}
		rows := make([][]string, 0, len(out.Groups))
		for _, g := range out.Groups {
			rows = append(rows, []string{strconv.Itoa(g.Rank), g.Name, strconv.Itoa(g.Members)})
		}
		c.table("RANK\tGROUP\tMEMBERS", rows)
		return nil
	}
}

func setupGroupMembers(*flag.FlagSet) func(context.Context, *cmd) error {
	return func(ctx context.Context, c *cmd) error {
		var out struct{ Members []string }
		if text, err := c.api(ctx, "GET", "/api/admin/groups/"+seg(c.args[0])+"/members", nil, &out); err != nil || !text {
			return err
		}
		for _, m := range out.Members {
			c.printf("%s\n", m)
		}
		return nil
	}
}

func setupGroupMember(add bool) func(*flag.FlagSet) func(context.Context, *cmd) error {
	return func(*flag.FlagSet) func(context.Context, *cmd) error {
		return func(ctx context.Context, c *cmd) error {
			if len(c.args) < 2 {
				return usagef("want a group and at least one user")
			}
			method := yesNo(add, "PUT", "DELETE")
			cl, err := c.client()
			if err != nil {
				return err
			}
			for _, u := range c.args[1:] {
				if _, err := cl.call(ctx, method, "/api/admin/groups/"+seg(c.args[0])+"/members/"+seg(u), nil, nil); err != nil {
					return fmt.Errorf("%s: %w", u, err)
				}
				if c.output == "text" {
					c.printf("%s %s %s.\n", yesNo(add, "Added", "Removed"), u, yesNo(add, "to "+c.args[0], "from "+c.args[0]))
				}
			}
			if c.output == "json" {
				c.printf("{\"ok\": true}\n")
			}
			return nil
		}
	}
}

func setupGroupRank(*flag.FlagSet) func(context.Context, *cmd) error {
	return func(ctx context.Context, c *cmd) error {
		r, err := strconv.Atoi(c.args[1])
		if err != nil {
			return usagef("rank %q is not a number", c.args[1])
		}
		var g groupT
		if text, err := c.api(ctx, "PATCH", "/api/admin/groups/"+seg(c.args[0]), map[string]int{"rank": r}, &g); err != nil || !text {
			return err
		}
		c.printf("Group %s now has rank %d.\n", g.Name, g.Rank)
		return nil
	}
}
