package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"text/tabwriter"
	"time"
)

// Env is everything Run touches outside itself, so tests can run it
// in-process.
type Env struct {
	Args           []string
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv reads PARLEY_SERVER, PARLEY_TOKEN, PARLEY_PASSWORD. Default
	// os.Getenv.
	Getenv func(string) string
	// ConfigDir holds the saved session. Default: the user's config
	// directory + "/parley".
	ConfigDir string
	// HTTPClient. Default: 30 s timeout.
	HTTPClient *http.Client
}

// verb is one command.
type verb struct {
	name, args, summary string
	setup               func(fs *flag.FlagSet) func(ctx context.Context, c *cmd) error
}

// cmd is a verb being run: its positional args, the environment and the
// common options.
type cmd struct {
	env    *Env
	args   []string
	output string
	server string
}

const topUsage = `parleyctl administers a Parley organization server.

Usage: parleyctl <command> <verb> [arguments] [flags]

Commands:
  login                      sign in as an administrator and save the session
  logout                     end the saved session
  user   add|list|show|disable|enable|reset-password
  group  add|delete|list|members|add-member|remove-member|rank
  policy new|set|delete|list|show|grant|revoke|effective

Every verb takes --output text|json and --help. The session is saved in
the user's config directory; PARLEY_SERVER and PARLEY_TOKEN override it.
Exit codes: 0 ok, 1 error, 2 usage error.
`

// Run executes one parleyctl command line.
func Run(ctx context.Context, env Env) error {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if env.HTTPClient == nil {
		env.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if env.Stdin == nil {
		env.Stdin = strings.NewReader("")
	}
	args := env.Args
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, topUsage)
		return usagef("missing command")
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(env.Stdout, topUsage)
		return nil
	}
	groups := commands()
	if v, ok := topVerbs()[args[0]]; ok {
		return runVerb(ctx, &env, "parleyctl", v, args[1:])
	}
	verbs, ok := groups[args[0]]
	if !ok {
		fmt.Fprint(env.Stderr, topUsage)
		return usagef("unknown command %q", args[0])
	}
	names := make([]string, 0, len(verbs))
	for _, v := range verbs {
		names = append(names, v.name)
	}
	help := func(w io.Writer) {
		fmt.Fprintf(w, "Usage: parleyctl %s <verb> [arguments] [flags]\n\nVerbs:\n", args[0])
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, v := range verbs {
			fmt.Fprintf(tw, "  %s %s\t%s\n", v.name, v.args, v.summary)
		}
		tw.Flush()
	}
	if len(args) < 2 {
		help(env.Stderr)
		return usagef("%s: missing verb (%s)", args[0], strings.Join(names, ", "))
	}
	if args[1] == "-h" || args[1] == "--help" || args[1] == "help" {
		help(env.Stdout)
		return nil
	}
	for _, v := range verbs {
		if v.name == args[1] {
			return runVerb(ctx, &env, "parleyctl "+args[0], v, args[2:])
		}
	}
	help(env.Stderr)
	return usagef("%s: unknown verb %q (%s)", args[0], args[1], strings.Join(names, ", "))
}

func runVerb(ctx context.Context, env *Env, prefix string, v verb, args []string) error {
	fs := flag.NewFlagSet(prefix+" "+v.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c := &cmd{env: env}
	fs.StringVar(&c.output, "output", "text", "output format: text or json")
	fs.StringVar(&c.output, "o", "text", "shorthand for --output")
	fs.StringVar(&c.server, "server", "", "server URL (default: the saved session's, or PARLEY_SERVER)")
	run := v.setup(fs)
	usage := func(w io.Writer) {
		fmt.Fprintf(w, "Usage: %s %s [flags]\n\n%s\n\nFlags:\n", prefix+" "+v.name, v.args, v.summary)
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	pos, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		usage(env.Stdout)
		return nil
	}
	if err != nil {
		usage(env.Stderr)
		return usagef("%s %s: %v", prefix, v.name, err)
	}
	if c.output != "text" && c.output != "json" {
		return usagef("%s %s: --output must be text or json", prefix, v.name)
	}
	want := strings.Count(v.args, "<")
	optional := strings.Count(v.args, "[<")
	variadic := strings.Contains(v.args, "...")
	if len(pos) < want-optional || (!variadic && len(pos) > want) {
		usage(env.Stderr)
		return usagef("%s %s: want arguments %s, got %d", prefix, v.name, v.args, len(pos))
	}
	c.args = pos
	return run(ctx, c)
}

// parseInterleaved lets flags follow positional arguments
// (`policy grant Pilot --group Eng`), which flag.Parse alone does not.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// client returns an API client for the saved (or overridden) session.
func (c *cmd) client() (*client, error) {
	s, err := c.env.loadSession()
	if err != nil {
		return nil, err
	}
	if v := c.env.Getenv("PARLEY_SERVER"); v != "" {
		s.Server = v
	}
	if v := c.env.Getenv("PARLEY_TOKEN"); v != "" {
		s.Token = v
	}
	if c.server != "" {
		s.Server = c.server
	}
	if s.Server == "" || s.Token == "" {
		return nil, ErrNotLoggedIn
	}
	return &client{http: c.env.HTTPClient, server: s.Server, token: s.Token}, nil
}

// api calls the server and, with --output json, prints its reply as is.
// It returns whether the caller should print text.
func (c *cmd) api(ctx context.Context, method, path string, body, out any) (text bool, err error) {
	cl, err := c.client()
	if err != nil {
		return false, err
	}
	raw, err := cl.call(ctx, method, path, body, out)
	if err != nil {
		return false, err
	}
	if c.output == "json" {
		if len(raw) == 0 {
			raw = []byte(`{"ok":true}`)
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return false, fmt.Errorf("unexpected reply from server: %w", err)
		}
		enc := json.NewEncoder(c.env.Stdout)
		enc.SetIndent("", "  ")
		return false, enc.Encode(v)
	}
	return true, nil
}

func (c *cmd) printf(format string, a ...any) { fmt.Fprintf(c.env.Stdout, format, a...) }

// table prints rows under a header, aligned.
func (c *cmd) table(header string, rows [][]string) {
	tw := tabwriter.NewWriter(c.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
}

// secret reads a password: PARLEY_PASSWORD-style variable first, then one
// line of stdin (prompting on stderr). It is never taken from an argument,
// which would leave it in the shell history and the process list.
func (c *cmd) secret(envVar, prompt string) (string, error) {
	if v := c.env.Getenv(envVar); v != "" {
		return v, nil
	}
	fmt.Fprint(c.env.Stderr, prompt)
	var b strings.Builder
	buf := make([]byte, 1)
	for b.Len() < 1024 {
		n, err := c.env.Stdin.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				break
			}
			b.WriteByte(buf[0])
		}
		if err != nil {
			break
		}
	}
	fmt.Fprintln(c.env.Stderr)
	pw := strings.TrimRight(b.String(), "\r")
	if pw == "" {
		return "", fmt.Errorf("no password given (set %s or type it on stdin)", envVar)
	}
	return pw, nil
}
