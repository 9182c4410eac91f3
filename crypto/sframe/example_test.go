package sframe_test

import (
	"fmt"

	"github.com/parley-voip/parley/crypto/sframe"
)

// Each direction of a call has its own KID and base key; the sender binds
// its key to sending, the receiver to receiving. Parley passes no metadata
// and seals one Opus frame per SFrame ciphertext.
func ExampleContext() {
	baseKey := []byte("0123456789abcdef0123456789abcdef") // from crypto/e2ee
	const kid = 4

	alice, _ := sframe.NewContext(sframe.AES_128_GCM_SHA256_128)
	bob, _ := sframe.NewContext(sframe.AES_128_GCM_SHA256_128)
	if err := alice.AddSendKey(kid, baseKey); err != nil {
		panic(err)
	}
	if err := bob.AddReceiveKey(kid, baseKey); err != nil {
		panic(err)
	}

	opusFrame := []byte("opus frame")
	sealed, _ := alice.Encrypt(make([]byte, 0, 1500), kid, nil, opusFrame)
	gotKID, ctr, plain, err := bob.DecryptKID(make([]byte, 0, 1500), nil, sealed)
	fmt.Println(gotKID, ctr, string(plain), err)

	_, err = bob.Decrypt(nil, nil, sealed)
	fmt.Println(err)
	// Output:
	// 4 0 opus frame <nil>
	// sframe: replayed frame (kid 4)
}
