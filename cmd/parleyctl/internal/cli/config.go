package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// session is what login saves: the server and the admin's session token.
// The file is readable by its owner only, as the token is a credential.
type session struct {
	Server string `json:"server"`
	User   string `json:"user"`
	Token  string `json:"token"`
}

const configFile = "parleyctl.json"

func (e *Env) configPath() (string, error) {
	dir := e.ConfigDir
	if dir == "" {
		base, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("finding the config directory: %w", err)
		}
		dir = filepath.Join(base, "parley")
	}
	return filepath.Join(dir, configFile), nil
}

func (e *Env) loadSession() (session, error) {
	p, err := e.configPath()
	if err != nil {
		return session{}, err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return session{}, nil
	} else if err != nil {
		return session{}, fmt.Errorf("reading %s: %w", p, err)
	}
	var s session
	if err := json.Unmarshal(b, &s); err != nil {
		return session{}, fmt.Errorf("reading %s: %w", p, err)
	}
	return s, nil
}

func (e *Env) saveSession(s session) error {
	p, err := e.configPath()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return fmt.Errorf("saving session: %w", err)
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("saving session: %w", err)
	}
	if err := os.Rename(tmp, p); err != nil {
		return fmt.Errorf("saving session: %w", err)
	}
	return nil
}
