package reports

import (
	"hash/maphash"
	"slices"

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
	h := partHash(pr.seed, l.Product, l.PartNumber)
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
		i := partHash(pr.seed, l.Product, l.PartNumber) & mask
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

// partHash hashes a part's product and part number.
func partHash(seed maphash.Seed, product, part string) uint64 {
	return maphash.String(seed, part) ^ maphash.String(seed, product)*0x9e3779b97f4a7c15
}

// partIndex numbers parts in the order they are first seen, as partRanks
// finds them: an open-addressed table of indexes into lines, each part's
// first line, whose strings are its key. The JSON's count of each part's
// lines kept a Go map of the keys beside a list of them; on a
// million-line BOM its buckets, grown step by step, were some 200 MB for
// the collector, and the list four times what this one holds.
type partIndex struct {
	seed  maphash.Seed
	slots []int32          // index+1 in lines, 0 for a free slot; a power of two long
	lines []*exposure.Line // each part's first line (nil for a row without one)
}

func newPartIndex() *partIndex {
	return &partIndex{seed: maphash.MakeSeed(), slots: make([]int32, 1024)}
}

// lineKey is the part a line belongs to; a row without a line belongs to
// partKey{}.
func lineKey(l *exposure.Line) partKey {
	if l == nil {
		return partKey{}
	}
	return partKey{l.Product, l.PartNumber}
}

// key returns part p's key.
func (x *partIndex) key(p int32) partKey { return lineKey(x.lines[p]) }

// of returns the number of l's part, giving it the next when the part is
// new.
func (x *partIndex) of(l *exposure.Line) (p int32, added bool) {
	if 2*(len(x.lines)+1) > len(x.slots) { // at most half full: short probes
		x.grow()
	}
	k := lineKey(l)
	mask := uint64(len(x.slots) - 1)
	for i := partHash(x.seed, k.product, k.part) & mask; ; i = (i + 1) & mask {
		s := x.slots[i]
		if s == 0 {
			x.lines = appendDoubling(x.lines, l)
			x.slots[i] = int32(len(x.lines))
			return int32(len(x.lines) - 1), true
		}
		if x.key(s-1) == k {
			return s - 1, false
		}
	}
}

// grow doubles the table.
func (x *partIndex) grow() {
	x.slots = make([]int32, 2*len(x.slots))
	mask := uint64(len(x.slots) - 1)
	for p := range x.lines {
		k := x.key(int32(p))
		i := partHash(x.seed, k.product, k.part) & mask
		for x.slots[i] != 0 {
			i = (i + 1) & mask
		}
		x.slots[i] = int32(p + 1)
	}
}

// appendDoubling is append, growing a full s to twice its length: append
// grows a long slice by a quarter at a time, so that one which ends a
// million long has made some five times its final size.
func appendDoubling[T any](s []T, v T) []T {
	if len(s) == cap(s) {
		s = slices.Grow(s, max(len(s), 256))
	}
	return append(s, v)
}
