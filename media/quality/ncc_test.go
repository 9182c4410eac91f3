package quality

import (
	"math"
	"testing"
)

// A slip in the middle of a recording (a frame dropped) costs ChunkNCC
// only the piece it falls in, where one NCC over the whole loses half.
func TestChunkNCCSurvivesASlip(t *testing.T) {
	ref := make([]int16, 4800*20)
	for i := range ref {
		ref[i] = int16(8000 * math.Sin(float64(i)*float64(i%4800)/4800))
	}
	loop := append(append([]int16{}, ref...), ref...)
	got := append(append([]int16{}, ref[1000:1000+24000]...), ref[1000+24000+960:1000+48000+960]...)
	whole, _ := NCC(got, loop, len(loop)-len(got))
	median, scores := ChunkNCC(got, loop, 4800)
	if median < 0.99 {
		t.Fatalf("ChunkNCC median %.3f (scores %.2f), want ≥ 0.99", median, scores)
	}
	if whole > 0.8 {
		t.Fatalf("NCC over the whole %.3f: the slip should show there", whole)
	}
}
