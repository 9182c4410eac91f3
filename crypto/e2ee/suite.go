package e2ee

import "github.com/parley-voip/parley/crypto/sframe"

// defaultSuite is Parley's default SFrame suite: AES-128-GCM has hardware
// support on every platform Parley targets and a full 128-bit tag.
const defaultSuite = sframe.AES_128_GCM_SHA256_128
