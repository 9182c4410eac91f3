package e2ee

// Suite is an SFrame cipher suite identifier (RFC 9605, section 4.5).
// Placeholder until crypto/sframe lands; it then becomes sframe.Suite.
type Suite uint16

// defaultSuite is AES_128_GCM_SHA256_128, Parley's default.
const defaultSuite Suite = 0x0004

func suiteKnown(s Suite) bool { return s >= 0x0001 && s <= 0x0005 }
