package inputs

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"rexpo/exposure"
)

// TestPartIndex compares the part index with the map it replaced, on
// part numbers repeated within and across products, and with hashes
// that collide (a few buckets, then one hash for all) so that runs of
// one hash hold several part numbers.
func TestPartIndex(t *testing.T) {
	hashes := map[string]func(string) uint64{
		"seeded": hashPart,
		"few":    func(s string) uint64 { return uint64(len(s)%3) << 62 },
		"one":    func(string) uint64 { return 42 },
		"low":    func(s string) uint64 { return uint64(len(s)) }, // one bucket, hashes differ
	}
	defer func(h func(string) uint64) { hashPart = h }(hashPart)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 40, 3000} {
		lines := make([]exposure.Line, n)
		for i := range lines {
			lines[i].PartNumber = fmt.Sprint("PN-", rng.IntN(max(1, n*2/3)))
			if rng.IntN(10) == 0 {
				lines[i].PartNumber = fmt.Sprint("X", rng.IntN(5))
			}
		}
		firstOf := map[string]int32{}
		wantFirst, wantRep := make([]int32, n), make([]bool, n)
		for i := range lines {
			if j, ok := firstOf[lines[i].PartNumber]; ok {
				wantFirst[i], wantRep[j] = j, true
			} else {
				firstOf[lines[i].PartNumber], wantFirst[i] = int32(i), int32(i)
			}
		}
		for name, h := range hashes {
			hashPart = h
			ix := newPartIndex(lines)
			first, rep := ix.firstLines()
			for i := range lines {
				if first[i] != wantFirst[i] || rep[i] != wantRep[i] {
					t.Fatalf("%s, %d lines: line %d (%s): first %d repeated %v, want %d %v", name, n, i, lines[i].PartNumber, first[i], rep[i], wantFirst[i], wantRep[i])
				}
			}
			for _, pn := range []string{"PN-0", "PN-1", "PN-77", "X3", "nope", "", "PN-99999"} {
				want, wantOK := firstOf[pn]
				if !wantOK {
					want = -1
				}
				if got, ok := ix.first(pn); got != want || ok != wantOK {
					t.Errorf("%s, %d lines: first(%q) = %d %v, want %d %v", name, n, pn, got, ok, want, wantOK)
				}
			}
		}
		hashPart = hashes["seeded"]
	}
}
