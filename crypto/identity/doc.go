// Package identity holds a Parley device's long-term identity key: an
// Ed25519 key pair (RFC 8032) created once per device. The E2EE key
// agreement (package crypto/e2ee) signs each call's transcript with it, so a
// completed call proves which device keys took part, and the app can keep
// the peer's public key to recognise the same device in later calls.
//
// PrivateKey is opaque: its bytes leave the package only through Marshal,
// the storage encoding, and formatting prints only the public fingerprint.
// PublicKey is a fixed 32-byte value, comparable (usable as a map key), with
// a constant-time Equal and a text form that ParsePublicKey reads back.
package identity
