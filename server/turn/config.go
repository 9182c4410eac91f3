package turn

import (
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"time"

	"github.com/pion/transport/v5"
)

// Defaults.
const (
	DefaultListen        = ":3478" // UDP and TCP, as coturn
	DefaultPortMin       = 49152   // relay ports: the IANA dynamic range
	DefaultPortMax       = 65535
	DefaultCredentialTTL = 12 * time.Hour
	DefaultQuotaPerUser  = 10 // allocations: a call needs one per candidate family and transport
	DefaultRealm         = "parley"
	// MinCredentialTTL is the shortest lifetime Validate accepts; tests of
	// the refresh use it, deployments want hours.
	MinCredentialTTL = 2 * time.Second
)

// Config configures the TURN service. The zero value plus Secret and
// PublicIP is a working server on UDP and TCP port 3478.
type Config struct {
	// UDP and TCP are the listen addresses for TURN and STUN; both default
	// to DefaultListen. "off" turns one off.
	UDP, TCP string
	// TLS is the listen address for TURN over TLS ("turns:" URLs, usually
	// ":5349"), empty for none. It needs Certificate.
	TLS         string
	Certificate *tls.Certificate

	// PublicIP is the address clients and their peers reach the relay at:
	// it goes into every relayed candidate and, unless Host is set, into
	// the URLs handed to clients. When empty it is the UDP listen address's
	// IP, which must then be a specific address.
	PublicIP netip.Addr
	// Host names the server in the URLs handed to clients (a DNS name
	// matching the certificate, for turns:); PublicIP when empty.
	Host string
	// RelayBind is the local IP relayed sockets bind to; the UDP listen IP,
	// or all interfaces, when empty. Behind a 1:1 NAT (a cloud VM) it is
	// the private address and PublicIP the public one.
	RelayBind netip.Addr
	// PortMin and PortMax bound the relayed ports (inclusive); the
	// firewall must let UDP in on them. DefaultPortMin–DefaultPortMax.
	PortMin, PortMax uint16

	// Secret is the shared secret credentials are signed with; required,
	// at least MinSecretLen bytes. Give coturn the same one
	// (static-auth-secret) to use it instead or beside.
	Secret Secret
	// CredentialTTL is how long an issued credential stays valid;
	// DefaultCredentialTTL when zero. Clients get fresh ones at half of it.
	CredentialTTL time.Duration
	// QuotaPerUser is the most allocations one user may hold at once;
	// DefaultQuotaPerUser when zero.
	QuotaPerUser int
	// Realm is the TURN realm; DefaultRealm when empty.
	Realm string

	// External turns the built-in server off: only credentials are issued,
	// for the TURN servers at URLs (coturn with the same Secret).
	External bool
	// URLs are handed to clients instead of the built-in listeners' own
	// ("turn:host:port?transport=udp", …). Required with External.
	URLs []string

	// Net is the network the server listens and relays on; the operating
	// system's when nil. Tests pass a pion vnet.
	Net transport.Net
	// Logger; discarded when nil.
	Logger *slog.Logger

	now func() time.Time // tests: the clock credentials are issued and checked by
}

const listenOff = "off"

func (c Config) withDefaults() Config {
	if c.UDP == "" {
		c.UDP = DefaultListen
	}
	if c.TCP == "" {
		c.TCP = DefaultListen
	}
	if c.PortMin == 0 && c.PortMax == 0 {
		c.PortMin, c.PortMax = DefaultPortMin, DefaultPortMax
	}
	if c.CredentialTTL == 0 {
		c.CredentialTTL = DefaultCredentialTTL
	}
	if c.QuotaPerUser == 0 {
		c.QuotaPerUser = DefaultQuotaPerUser
	}
	if c.Realm == "" {
		c.Realm = DefaultRealm
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.now == nil {
		c.now = time.Now
	}
	if !c.PublicIP.IsValid() {
		if ip, ok := specificIP(c.UDP); ok {
			c.PublicIP = ip
		} else if ip, ok := specificIP(c.TCP); ok {
			c.PublicIP = ip
		}
	}
	if !c.RelayBind.IsValid() {
		if ip, ok := specificIP(c.UDP); ok {
			c.RelayBind = ip
		} else {
			c.RelayBind = netip.IPv4Unspecified()
		}
	}
	return c
}

// specificIP is the IP of a listen address when it names one.
func specificIP(addr string) (netip.Addr, bool) {
	if addr == listenOff {
		return netip.Addr{}, false
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return netip.Addr{}, false
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || ip.IsUnspecified() {
		return netip.Addr{}, false
	}
	return ip, true
}

// Validate reports the first unusable setting, after defaults.
func (c Config) Validate() error {
	d := c.withDefaults()
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...)
	}
	switch {
	case d.Secret.Len() < MinSecretLen:
		return bad("the shared secret has %d bytes, need at least %d", d.Secret.Len(), MinSecretLen)
	case d.CredentialTTL < MinCredentialTTL:
		return bad("credential lifetime %v is under %v", d.CredentialTTL, MinCredentialTTL)
	case d.QuotaPerUser < 0:
		return bad("quota per user %d is negative", d.QuotaPerUser)
	case d.External:
		if len(d.URLs) == 0 {
			return bad("an external TURN server needs URLs")
		}
		return nil
	}
	for _, l := range []struct{ name, addr string }{{"UDP", d.UDP}, {"TCP", d.TCP}, {"TLS", d.TLS}} {
		if l.addr == listenOff || l.addr == "" {
			continue
		}
		if _, _, err := net.SplitHostPort(l.addr); err != nil {
			return bad("%s listen address %q: %v", l.name, l.addr, err)
		}
	}
	switch {
	case d.UDP == listenOff && d.TCP == listenOff && d.TLS == "":
		return bad("every listener is off; set External for a separate TURN server")
	case d.TLS != "" && d.Certificate == nil:
		return bad("TURN over TLS on %s needs a certificate", d.TLS)
	case !d.PublicIP.IsValid():
		return bad("no public IP: listening on all interfaces, the relay's address must be given")
	case d.PortMin == 0 || d.PortMax < d.PortMin:
		return bad("relay port range %d–%d", d.PortMin, d.PortMax)
	}
	return nil
}
