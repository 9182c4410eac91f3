package tlsx

import (
	"encoding/pem"
	"testing"
	"time"
)

var leafTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func pemDER(t *testing.T, b []byte) []byte {
	t.Helper()
	blk, _ := pem.Decode(b)
	if blk == nil {
		t.Fatal("no PEM block")
	}
	return blk.Bytes
}
