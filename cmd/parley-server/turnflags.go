package main

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/parley-voip/parley/server/turn"
)

// turnSecretFile holds the generated TURN shared secret in the data
// directory, for servers not given one.
const turnSecretFile = "turn.secret"

type turnFlags struct {
	publicIP, udp, tcp, tlsAddr, ports, external, secretFile *string
	ttl                                                      *time.Duration
	quota                                                    *int
}

func addTURNFlags(fs *flag.FlagSet) turnFlags {
	return turnFlags{
		publicIP:   fs.String("turn-public-ip", "", "run the built-in STUN/TURN server; this is the IP clients and their peers reach it at"),
		udp:        fs.String("turn-udp", turn.DefaultListen, "TURN/STUN UDP listen address, or off"),
		tcp:        fs.String("turn-tcp", turn.DefaultListen, "TURN/STUN TCP listen address, or off"),
		tlsAddr:    fs.String("turn-tls", "", "TURN over TLS listen address (e.g. :5349), with the -tls certificate"),
		ports:      fs.String("turn-ports", fmt.Sprintf("%d-%d", turn.DefaultPortMin, turn.DefaultPortMax), "relayed UDP port range"),
		external:   fs.String("turn-external", "", "comma-separated TURN URLs of a coturn sharing the secret (use-auth-secret); no built-in server"),
		secretFile: fs.String("turn-secret-file", "", "file whose first line is the shared secret (also $PARLEY_TURN_SECRET); default: generated in DATA/"+turnSecretFile),
		ttl:        fs.Duration("turn-ttl", turn.DefaultCredentialTTL, "lifetime of the credentials handed to clients"),
		quota:      fs.Int("turn-quota", turn.DefaultQuotaPerUser, "allocations one user may hold at once"),
	}
}

// config turns the flags into a turn.Config; nil when TURN is not asked for.
func (f turnFlags) config(data string, cert *tls.Certificate) (*turn.Config, error) {
	if *f.publicIP == "" && *f.external == "" {
		return nil, nil
	}
	secret, err := loadTURNSecret(*f.secretFile, data)
	if err != nil {
		return nil, err
	}
	cfg := &turn.Config{Secret: secret, CredentialTTL: *f.ttl, QuotaPerUser: *f.quota, UDP: *f.udp, TCP: *f.tcp, TLS: *f.tlsAddr}
	if *f.external != "" {
		cfg.External = true
		cfg.URLs = strings.Split(*f.external, ",")
		return cfg, cfg.Validate()
	}
	if cfg.PublicIP, err = netip.ParseAddr(*f.publicIP); err != nil {
		return nil, usageError{fmt.Errorf("-turn-public-ip: %w", err)}
	}
	lo, hi, ok := strings.Cut(*f.ports, "-")
	min, err1 := strconv.ParseUint(lo, 10, 16)
	max, err2 := strconv.ParseUint(hi, 10, 16)
	if !ok || err1 != nil || err2 != nil {
		return nil, usageError{fmt.Errorf("-turn-ports %q: want MIN-MAX", *f.ports)}
	}
	cfg.PortMin, cfg.PortMax = uint16(min), uint16(max)
	if cfg.TLS != "" {
		if cert == nil {
			return nil, usageError{errors.New("-turn-tls needs TLS (-tls-cert or self-signed)")}
		}
		cfg.Certificate = cert
	}
	return cfg, cfg.Validate()
}

// loadTURNSecret reads the secret from file or $PARLEY_TURN_SECRET, else
// from (creating it on first use, 0600) the data directory's turn.secret.
func loadTURNSecret(file, data string) (turn.Secret, error) {
	if s := os.Getenv("PARLEY_TURN_SECRET"); s != "" && file == "" {
		return turn.NewSecret(s), nil
	}
	gen := file == ""
	if gen {
		file = filepath.Join(data, turnSecretFile)
	}
	b, err := os.ReadFile(file)
	switch {
	case err == nil:
		line, _, _ := strings.Cut(string(b), "\n")
		return turn.NewSecret(strings.TrimRight(line, "\r")), nil
	case !gen || !errors.Is(err, os.ErrNotExist):
		return turn.Secret{}, fmt.Errorf("TURN secret: %w", err)
	}
	s, err := turn.GenerateSecret()
	if err != nil {
		return turn.Secret{}, err
	}
	if err := os.WriteFile(file, []byte(s.Reveal()+"\n"), 0o600); err != nil {
		return turn.Secret{}, fmt.Errorf("TURN secret: %w", err)
	}
	return s, nil
}
