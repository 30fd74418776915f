package reports

import (
	"hash/maphash"

	"rexpo/exposure"
)

// partRanks sums each part's expected delta as a float while the Parts
// sheet is written, for ranking the parts (topParts). A part is its
// product and part number; the table holds, per part, its first line
// (whose strings are the key), the sum and the row of that line, in an
// open-addressed table of indexes: on a million-line BOM, a Go map keyed
// by the two strings held some 100 MB for what these hold in 30.
type partRanks struct {
	seed  maphash.Seed
	slots []int32 // index+1 in parts, 0 for a free slot; a power of two long
	parts []rankedPart
}

// rankedPart is one part's entry.
type rankedPart struct {
	line *exposure.Line // the part's first line: its product and part number
	partRank
}

// newPartRanks makes room for up to n parts.
func newPartRanks(n int) *partRanks {
	size := 16
	for size < 2*n { // at most half full: short probes
		size *= 2
	}
	return &partRanks{seed: maphash.MakeSeed(), slots: make([]int32, size), parts: make([]rankedPart, 0, n)}
}

// add adds a line's expected delta to its part's; row is the line's row,
// counting over every Parts sheet.
func (pr *partRanks) add(l *exposure.Line, exp float64, row int) {
	mask := uint64(len(pr.slots) - 1)
	h := maphash.String(pr.seed, l.PartNumber) ^ maphash.String(pr.seed, l.Product)*0x9e3779b97f4a7c15
	for i := h & mask; ; i = (i + 1) & mask {
		k := pr.slots[i]
		if k == 0 {
			if len(pr.parts) == cap(pr.parts) || 2*len(pr.parts) >= len(pr.slots) {
				pr.grow()
				pr.add(l, exp, row)
				return
			}
			pr.parts = append(pr.parts, rankedPart{line: l, partRank: partRank{expected: exp, first: row}})
			pr.slots[i] = int32(len(pr.parts))
			return
		}
		p := &pr.parts[k-1]
		if p.line.PartNumber == l.PartNumber && p.line.Product == l.Product {
			p.expected += exp
			return
		}
	}
}

// grow doubles the table, should the parts outnumber what it was made
// for (a scan that miscounted).
func (pr *partRanks) grow() {
	bigger := newPartRanks(2 * max(cap(pr.parts), 8))
	bigger.seed = pr.seed
	bigger.parts = append(bigger.parts, pr.parts...)
	mask := uint64(len(bigger.slots) - 1)
	for k := range bigger.parts {
		l := bigger.parts[k].line
		h := maphash.String(pr.seed, l.PartNumber) ^ maphash.String(pr.seed, l.Product)*0x9e3779b97f4a7c15
		i := h & mask
		for bigger.slots[i] != 0 {
			i = (i + 1) & mask
		}
		bigger.slots[i] = int32(k + 1)
	}
	*pr = *bigger
}

// each calls fn with every part's key and rank.
func (pr *partRanks) each(fn func(partKey, partRank)) {
	for i := range pr.parts {
		p := &pr.parts[i]
		fn(partKey{p.line.Product, p.line.PartNumber}, p.partRank)
	}
}
