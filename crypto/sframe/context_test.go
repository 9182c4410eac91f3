package sframe

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"
)

// Context output equals the stateless Seal for the same counter, and both
// decrypt with either API, for every suite and awkward sizes.
func TestRoundTripAllSuites(t *testing.T) {
	t.Parallel()
	sizes := []int{0, 1, 15, 16, 17, 80, 127, 128, 129, 1200, MaxFrameSize}
	for _, s := range allSuites {
		t.Run(s.String(), func(t *testing.T) {
			t.Parallel()
			const kid = 9
			send, recv := pair(t, s, kid)
			for i, size := range sizes {
				pt := bytes.Repeat([]byte{byte(i + 1)}, size)
				md := []byte(fmt.Sprintf("meta-%d", i))
				ct := mustEncrypt(t, send, kid, md, pt)
				if want := HeaderSize(kid, uint64(i)) + size + s.TagSize(); len(ct) != want {
					t.Errorf("size %d: ciphertext %d bytes, want %d", size, len(ct), want)
				}
				ref, err := Seal(s, testKey(1), kid, uint64(i), md, pt)
				if err != nil || !bytes.Equal(ct, ref) {
					t.Fatalf("size %d: Context.Encrypt differs from Seal (%v)", size, err)
				}
				gk, gc, got, err := Open(s, testKey(1), md, ct)
				if err != nil || gk != kid || gc != uint64(i) || !bytes.Equal(got, pt) {
					t.Fatalf("size %d: Open = %x, %x, %v", size, gk, gc, err)
				}
				wantOpen(t, recv, md, ct, pt)
			}
		})
	}
}

// Flipping any single bit anywhere in the frame, or changing the metadata,
// makes decryption fail, and failures leave the receiver able to accept the
// genuine frame.
func TestBadTagEveryByte(t *testing.T) {
	t.Parallel()
	for _, s := range allSuites {
		t.Run(s.String(), func(t *testing.T) {
			t.Parallel()
			const kid = 300
			send, recv := pair(t, s, kid)
			pt := []byte("an opus frame of some length....")
			md := []byte{1, 2}
			ct := mustEncrypt(t, send, kid, md, pt)
			hl := HeaderSize(kid, 0)
			for i := range ct {
				for bit := range 8 {
					bad := bytes.Clone(ct)
					bad[i] ^= 1 << bit
					_, err := recv.Decrypt(nil, md, bad)
					if err == nil {
						t.Fatalf("byte %d bit %d: forged frame accepted", i, bit)
					}
					if i >= hl && !errors.Is(err, ErrAuth) {
						t.Fatalf("byte %d bit %d: error %v, want ErrAuth", i, bit, err)
					}
					if _, _, _, err := Open(s, testKey(1), md, bad); err == nil {
						t.Fatalf("byte %d bit %d: Open accepted forged frame", i, bit)
					}
				}
			}
			if _, err := recv.Decrypt(nil, []byte{1, 3}, ct); !errors.Is(err, ErrAuth) {
				t.Fatalf("wrong metadata: %v, want ErrAuth", err)
			}
			if _, err := recv.Decrypt(nil, nil, ct); !errors.Is(err, ErrAuth) {
				t.Fatalf("missing metadata: %v, want ErrAuth", err)
			}
			st := recv.Stats()
			if st.BadTags < uint64(8*(len(ct)-hl)) || st.Opened != 0 {
				t.Fatalf("stats after forgeries: %+v", st)
			}
			wantOpen(t, recv, md, ct, pt)
		})
	}
}

func TestReplayAndTooOld(t *testing.T) {
	t.Parallel()
	const kid = 2
	send, recv := pair(t, AES_128_GCM_SHA256_128, kid)
	var frames [][]byte
	for i := range ReplayWindow + 20 {
		frames = append(frames, mustEncrypt(t, send, kid, nil, []byte{byte(i)}))
	}
	wantOpen(t, recv, nil, frames[10], []byte{10})
	_, err := recv.Decrypt(nil, nil, frames[10])
	wantErr(t, err, ErrReplay)
	var ke *KeyError
	if !errors.As(err, &ke) || ke.KID != kid {
		t.Fatalf("replay error %v does not carry kid %d", err, kid)
	}
	wantOpen(t, recv, nil, frames[5], []byte{5}) // late but inside the window
	_, err = recv.Decrypt(nil, nil, frames[5])
	wantErr(t, err, ErrReplay)

	// Move the window so that 10 is exactly ReplayWindow behind.
	wantOpen(t, recv, nil, frames[10+ReplayWindow], []byte{10 + ReplayWindow})
	_, err = recv.Decrypt(nil, nil, frames[10])
	wantErr(t, err, ErrTooOld)
	_, err = recv.Decrypt(nil, nil, frames[5])
	wantErr(t, err, ErrTooOld)
	wantOpen(t, recv, nil, frames[11], []byte{11}) // oldest still inside
	_, err = recv.Decrypt(nil, nil, frames[11])
	wantErr(t, err, ErrReplay)

	if st := recv.Stats(); st.Opened != 4 || st.Replays != 3 || st.TooOld != 2 {
		t.Fatalf("stats %+v", st)
	}
}

// A forged frame with a far-ahead counter must not move the window: if it
// did, every genuine frame after it would be rejected as too old.
func TestWindowMovesOnlyAfterAuth(t *testing.T) {
	t.Parallel()
	const kid = 4
	send, recv := pair(t, AES_128_CTR_HMAC_SHA256_32, kid)
	first := mustEncrypt(t, send, kid, nil, []byte("a"))
	second := mustEncrypt(t, send, kid, nil, []byte("b"))
	forged := AppendHeader(nil, kid, 1<<40)
	forged = append(forged, 0, 0, 0, 0, 0)
	_, err := recv.Decrypt(nil, nil, forged)
	wantErr(t, err, ErrAuth)
	wantOpen(t, recv, nil, second, []byte("b"))
	wantOpen(t, recv, nil, first, []byte("a"))
}

// The bitmap agrees with a reference model (a set of accepted counters)
// on a long deterministic sequence of jumps, stalls and late arrivals.
func TestReplayWindowModel(t *testing.T) {
	t.Parallel()
	var w replayWindow
	seen := map[uint64]bool{}
	var top uint64
	x := uint64(0x9e3779b97f4a7c15)
	for i := range 200000 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		var ctr uint64
		switch r := x % 16; {
		case r < 10 && top >= 200: // late arrival, sometimes beyond the window
			ctr = top - x%200
		case r < 15:
			ctr = top + x%5 // small step forward, or a repeat of top
		default:
			ctr = top + x%300 // jump
		}
		var want error
		switch {
		case len(seen) > 0 && ctr <= top && top-ctr >= ReplayWindow:
			want = ErrTooOld
		case seen[ctr]:
			want = ErrReplay
		}
		if got := w.check(ctr); got != want {
			t.Fatalf("step %d: check(%d) with top %d = %v, want %v", i, ctr, top, got, want)
		}
		if want == nil {
			w.accept(ctr)
			seen[ctr] = true
			top = max(top, ctr)
		}
	}
}

func TestUnknownKID(t *testing.T) {
	t.Parallel()
	send, recv := pair(t, AES_128_GCM_SHA256_128, 1)
	if err := send.AddSendKey(77, testKey(9)); err != nil {
		t.Fatal(err)
	}
	ct := mustEncrypt(t, send, 77, nil, []byte("hi"))
	_, err := recv.Decrypt(nil, nil, ct)
	wantErr(t, err, ErrUnknownKID)
	var ke *KeyError
	if !errors.As(err, &ke) || ke.KID != 77 {
		t.Fatalf("error %v does not carry kid 77", err)
	}
	_, err = send.Encrypt(nil, 78, nil, []byte("hi"))
	wantErr(t, err, ErrUnknownKID)
	if recv.Stats().UnknownKIDs != 1 {
		t.Fatalf("stats %+v", recv.Stats())
	}
	// The frame decrypts once its key arrives (RFC 9605 allows buffering).
	if err := recv.AddReceiveKey(77, testKey(9)); err != nil {
		t.Fatal(err)
	}
	wantOpen(t, recv, nil, ct, []byte("hi"))
}

// RemoveKey forgets the KID and overwrites the derived key and salt.
func TestRemoveKeyErases(t *testing.T) {
	t.Parallel()
	for _, s := range allSuites {
		t.Run(s.String(), func(t *testing.T) {
			t.Parallel()
			send, recv := pair(t, s, 5)
			ct := mustEncrypt(t, send, 5, nil, []byte("x"))
			fk := recv.lookup(5).fk
			key, salt := fk.key, &fk.salt
			if !recv.HasKey(5) || allZero(key) || allZero(salt[:]) {
				t.Fatal("key not installed")
			}
			recv.RemoveKey(5)
			if recv.HasKey(5) {
				t.Fatal("HasKey after RemoveKey")
			}
			if !allZero(key) || !allZero(salt[:]) {
				t.Fatalf("key material not wiped: key %x salt %x", key, salt)
			}
			_, err := recv.Decrypt(nil, nil, ct)
			wantErr(t, err, ErrUnknownKID)
			recv.RemoveKey(5) // removing twice is harmless

			send.Close()
			_, err = send.Encrypt(nil, 5, nil, []byte("x"))
			wantErr(t, err, ErrUnknownKID)
		})
	}
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

func TestCounterExhaustion(t *testing.T) {
	t.Parallel()
	const kid = 3
	send, recv := pair(t, AES_128_CTR_HMAC_SHA256_80, kid)
	send.lookup(kid).next = math.MaxUint64 - 1
	a := mustEncrypt(t, send, kid, nil, []byte("a"))
	last := mustEncrypt(t, send, kid, nil, []byte("last"))
	if _, ctr, _, err := ParseHeader(last); err != nil || ctr != math.MaxUint64 {
		t.Fatalf("last frame ctr %x, %v", ctr, err)
	}
	_, err := send.Encrypt(nil, kid, nil, []byte("wrapped"))
	wantErr(t, err, ErrCounterExhausted)
	_, err = send.Encrypt(nil, kid, nil, []byte("still"))
	wantErr(t, err, ErrCounterExhausted)
	wantOpen(t, recv, nil, a, []byte("a"))
	wantOpen(t, recv, nil, last, []byte("last"))
	if send.Stats().Sealed != 2 {
		t.Fatalf("stats %+v", send.Stats())
	}
}

func TestUnsupportedSuite(t *testing.T) {
	t.Parallel()
	for _, s := range []Suite{0, 6, 0xf000, 0xffff} {
		if _, err := NewContext(s); !errors.Is(err, ErrUnsupportedSuite) {
			t.Errorf("NewContext(%v) = %v", s, err)
		}
		if _, err := Seal(s, testKey(1), 1, 1, nil, nil); !errors.Is(err, ErrUnsupportedSuite) {
			t.Errorf("Seal(%v) = %v", s, err)
		}
		if _, _, _, err := Open(s, testKey(1), nil, make([]byte, 40)); !errors.Is(err, ErrUnsupportedSuite) {
			t.Errorf("Open(%v) = %v", s, err)
		}
		if s.Valid() || s.TagSize() != 0 {
			t.Errorf("%v reported valid", s)
		}
	}
	// A frame of one suite does not open under another.
	ct, err := Seal(AES_128_GCM_SHA256_128, testKey(1), 1, 1, nil, []byte("suite"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range allSuites[:len(allSuites)-1] {
		if s == AES_128_GCM_SHA256_128 {
			continue
		}
		_, _, _, err := Open(s, testKey(1), nil, ct)
		wantErr(t, err, ErrAuth)
	}
	_, _, _, err = Open(AES_256_GCM_SHA512_128, testKey(1), nil, ct)
	wantErr(t, err, ErrAuth)
}

func TestBaseKeySize(t *testing.T) {
	t.Parallel()
	for _, s := range allSuites {
		c := mustContext(t, s)
		for _, n := range []int{0, 1, MinBaseKeySize - 1, MaxBaseKeySize + 1, 1024} {
			if err := c.AddKey(uint64(n), make([]byte, n)); !errors.Is(err, ErrKeySize) {
				t.Errorf("%v AddKey(%d bytes) = %v", s, n, err)
			}
			if _, err := Seal(s, make([]byte, n), 1, 1, nil, nil); !errors.Is(err, ErrKeySize) {
				t.Errorf("%v Seal(%d-byte key) = %v", s, n, err)
			}
			if c.HasKey(uint64(n)) {
				t.Errorf("%v: rejected key installed", s)
			}
		}
		for _, n := range []int{MinBaseKeySize, MaxBaseKeySize} {
			if err := c.AddKey(uint64(n), make([]byte, n)); err != nil {
				t.Errorf("%v AddKey(%d bytes) = %v", s, n, err)
			}
		}
	}
}

func TestTooLarge(t *testing.T) {
	t.Parallel()
	send, recv := pair(t, AES_128_GCM_SHA256_128, 1)
	_, err := send.Encrypt(nil, 1, nil, make([]byte, MaxFrameSize+1))
	wantErr(t, err, ErrTooLarge)
	_, err = send.Encrypt(nil, 1, make([]byte, MaxMetadataSize+1), nil)
	wantErr(t, err, ErrTooLarge)
	_, err = Seal(AES_128_GCM_SHA256_128, testKey(1), 1, 1, nil, make([]byte, MaxFrameSize+1))
	wantErr(t, err, ErrTooLarge)

	big := AppendHeader(nil, 1, 1)
	big = append(big, make([]byte, maxCiphertextSize)...)
	_, err = recv.Decrypt(nil, nil, big)
	wantErr(t, err, ErrTooLarge)
	_, _, _, err = Open(AES_128_GCM_SHA256_128, testKey(1), nil, big)
	wantErr(t, err, ErrTooLarge)
	_, err = recv.Decrypt(nil, make([]byte, MaxMetadataSize+1), big[:40])
	wantErr(t, err, ErrTooLarge)

	// The limits themselves are accepted.
	md := make([]byte, MaxMetadataSize)
	ct := mustEncrypt(t, send, 1, md, make([]byte, MaxFrameSize))
	wantOpen(t, recv, md, ct, make([]byte, MaxFrameSize))
}

func TestShortCiphertext(t *testing.T) {
	t.Parallel()
	for _, s := range allSuites {
		_, recv := pair(t, s, 1)
		for n := range s.TagSize() {
			ct := append(AppendHeader(nil, 1, 1), make([]byte, n)...)
			if _, err := recv.Decrypt(nil, nil, ct); !errors.Is(err, ErrShortCiphertext) {
				t.Errorf("%v, %d body bytes: %v", s, n, err)
			}
			if _, _, _, err := Open(s, testKey(1), nil, ct); !errors.Is(err, ErrShortCiphertext) {
				t.Errorf("%v Open, %d body bytes: %v", s, n, err)
			}
		}
	}
}

// A key serves one direction only (RFC 9605 section 4.4.1). In particular
// our own frames reflected back to us are refused.
func TestKeyUsage(t *testing.T) {
	t.Parallel()
	s := AES_128_GCM_SHA256_128
	t.Run("bound by encrypt", func(t *testing.T) {
		t.Parallel()
		c := mustContext(t, s)
		if err := c.AddKey(1, testKey(1)); err != nil {
			t.Fatal(err)
		}
		ct := mustEncrypt(t, c, 1, nil, []byte("me"))
		_, err := c.Decrypt(nil, nil, ct)
		wantErr(t, err, ErrKeyUsage)
	})
	t.Run("bound by decrypt", func(t *testing.T) {
		t.Parallel()
		peer, c := pair(t, s, 1)
		if err := c.AddKey(2, testKey(2)); err != nil {
			t.Fatal(err)
		}
		if err := peer.AddKey(2, testKey(2)); err != nil {
			t.Fatal(err)
		}
		// A forgery does not bind the key: only an authentic frame does.
		forged := append(AppendHeader(nil, 2, 0), make([]byte, 20)...)
		_, err := c.Decrypt(nil, nil, forged)
		wantErr(t, err, ErrAuth)
		if _, err := c.Encrypt(nil, 2, nil, []byte("probe")); err != nil {
			t.Fatalf("key bound by a forged frame: %v", err)
		}
		// Key 2 of c is now sending; the peer's frame under 2 is refused.
		_, err = c.Decrypt(nil, nil, mustEncrypt(t, peer, 2, nil, []byte("p")))
		wantErr(t, err, ErrKeyUsage)

		if err := c.AddKey(3, testKey(3)); err != nil {
			t.Fatal(err)
		}
		if err := peer.AddKey(3, testKey(3)); err != nil {
			t.Fatal(err)
		}
		wantOpen(t, c, nil, mustEncrypt(t, peer, 3, nil, []byte("q")), []byte("q"))
		_, err = c.Encrypt(nil, 3, nil, []byte("r"))
		wantErr(t, err, ErrKeyUsage)
	})
	t.Run("explicit", func(t *testing.T) {
		t.Parallel()
		send, recv := pair(t, s, 1)
		_, err := recv.Encrypt(nil, 1, nil, []byte("x"))
		wantErr(t, err, ErrKeyUsage)
		ct := mustEncrypt(t, send, 1, nil, []byte("x"))
		_, err = send.Decrypt(nil, nil, ct)
		wantErr(t, err, ErrKeyUsage)
	})
}

func TestKeyExists(t *testing.T) {
	t.Parallel()
	c := mustContext(t, AES_128_GCM_SHA256_128)
	if err := c.AddSendKey(1, testKey(1)); err != nil {
		t.Fatal(err)
	}
	mustEncrypt(t, c, 1, nil, nil)
	err := c.AddSendKey(1, testKey(2))
	wantErr(t, err, ErrKeyExists)
	// The original key and its counter are untouched.
	ct := mustEncrypt(t, c, 1, nil, []byte("z"))
	if _, ctr, _, err := Open(AES_128_GCM_SHA256_128, testKey(1), nil, ct); err != nil || ctr != 1 {
		t.Fatalf("Open after rejected AddKey: ctr %d, %v", ctr, err)
	}
}

func TestBufferOverlap(t *testing.T) {
	t.Parallel()
	send, recv := pair(t, AES_128_GCM_SHA256_128, 1)
	buf := make([]byte, 100, 200)
	_, err := send.Encrypt(buf[:0], 1, nil, buf[:50])
	wantErr(t, err, ErrBufferOverlap)
	_, err = send.Encrypt(buf[:10], 1, buf[20:30], buf[:5])
	wantErr(t, err, ErrBufferOverlap)

	ct := mustEncrypt(t, send, 1, nil, make([]byte, 50))
	_, err = recv.Decrypt(ct[:0], nil, ct)
	wantErr(t, err, ErrBufferOverlap)
	// Disjoint parts of one array are fine.
	out := make([]byte, 0, 200)
	out = append(out, ct...)
	pt, err := recv.Decrypt(out[len(ct):], nil, out[:len(ct)])
	if err != nil || len(pt) != 50 {
		t.Fatalf("Decrypt into the same array after the input: %d bytes, %v", len(pt), err)
	}
}

// The per-frame path allocates nothing when dst has room. Allocation
// counts are deterministic, unlike timings.
func TestNoAllocPerFrame(t *testing.T) {
	for _, s := range allSuites {
		for _, md := range [][]byte{nil, []byte("metadata")} {
			send, recv := pair(t, s, 1)
			pt := make([]byte, 1200)
			ctBuf := make([]byte, 0, 1300)
			ptBuf := make([]byte, 0, 1300)
			var ct []byte
			var err error
			allocs := testing.AllocsPerRun(200, func() {
				if ct, err = send.Encrypt(ctBuf[:0], 1, md, pt); err != nil {
					t.Fatal(err)
				}
				if _, err = recv.Decrypt(ptBuf[:0], md, ct); err != nil {
					t.Fatal(err)
				}
			})
			if allocs != 0 {
				t.Errorf("%v, metadata %d bytes: %v allocations per frame", s, len(md), allocs)
			}
		}
	}
}

// Senders and receivers on several goroutines, one KID each direction per
// goroutine; run with -race to check the locking.
func TestConcurrent(t *testing.T) {
	t.Parallel()
	const workers, frames = 4, 200
	send, recv := mustContext(t, AES_128_GCM_SHA256_128), mustContext(t, AES_128_GCM_SHA256_128)
	for w := range uint64(workers) {
		if err := send.AddSendKey(w, testKey(byte(w))); err != nil {
			t.Fatal(err)
		}
		if err := recv.AddReceiveKey(w, testKey(byte(w))); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range uint64(workers) {
		wg.Go(func() {
			for i := range frames {
				pt := []byte(fmt.Sprintf("%d/%d", w, i))
				ct, err := send.Encrypt(nil, w, nil, pt)
				if err != nil {
					errs <- err
					return
				}
				kid, _, got, err := recv.DecryptKID(nil, nil, ct)
				if err != nil || kid != w || !bytes.Equal(got, pt) {
					errs <- fmt.Errorf("worker %d frame %d: kid %d, %v", w, i, kid, err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for range frames {
			_ = send.HasKey(0)
			_ = recv.Stats()
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if st := recv.Stats(); st.Opened != workers*frames {
		t.Fatalf("stats %+v", st)
	}
}
