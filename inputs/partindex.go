package inputs

import (
	"hash/maphash"
	"slices"

	"rexpo/exposure"
)

// partIndex finds the first line of each part number, for resolving
// parents. A map of a million part numbers cost resolveParents most of
// its time, a cache miss or two each in a table of some 60 MB: here the
// lines' part numbers are hashed in order, their hashes sorted by a
// radix sort (passes over memory in order) and looked up in their
// bucket of the sorted list, a dozen hashes side by side.
type partIndex struct {
	lines   []exposure.Line
	entries []partEntry // sorted by hash, then line
	start   []int32     // by the top partBits bits of a hash: its first entry; len 1<<partBits + 1
}

// partEntry is a line and the hash of its part number.
type partEntry struct {
	hash uint64
	line int32
}

const partBits = 16

// hashPart hashes a part number; tests make it collide.
var hashPart = func(s string) uint64 { return maphash.String(cacheSeed, s) }

// newPartIndex indexes the part numbers of lines.
func newPartIndex(lines []exposure.Line) *partIndex {
	n := len(lines)
	ix := &partIndex{lines: lines, start: make([]int32, 1<<partBits+1)}
	a, b := make([]partEntry, n), make([]partEntry, n)
	for i := range lines {
		a[i] = partEntry{hashPart(lines[i].PartNumber), int32(i)}
	}
	// Two stable passes of 8 bits sort by the top 16 bits of the hash,
	// each bucket in line order.
	radixPass(a, b, 48)
	radixPass(b, a, 56)
	for _, e := range a {
		ix.start[e.hash>>(64-partBits)+1]++
	}
	for i := 1; i < len(ix.start); i++ {
		ix.start[i] += ix.start[i-1]
	}
	for k := 0; k+1 < len(ix.start); k++ {
		sortBucket(a[ix.start[k]:ix.start[k+1]])
	}
	ix.entries = a
	return ix
}

// radixPass copies src to dst stably sorted by the 8 bits of the hash
// from bit shift.
func radixPass(src, dst []partEntry, shift uint) {
	var at [257]int
	for _, e := range src {
		at[int(byte(e.hash>>shift))+1]++
	}
	for i := 1; i < len(at); i++ {
		at[i] += at[i-1]
	}
	for _, e := range src {
		k := byte(e.hash >> shift)
		dst[at[k]] = e
		at[k]++
	}
}

// sortBucket sorts a bucket, in line order already, by hash and line:
// by insertion when small, as nearly all are.
func sortBucket(es []partEntry) {
	if len(es) > 32 {
		slices.SortStableFunc(es, func(x, y partEntry) int {
			switch {
			case x.hash < y.hash:
				return -1
			case x.hash > y.hash:
				return 1
			}
			return 0
		})
		return
	}
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && es[j].hash < es[j-1].hash; j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

// firstLines returns, for each line, the first line with its part
// number, and by first line whether its part number is on other lines
// too.
func (ix *partIndex) firstLines() (first []int32, repeated []bool) {
	first, repeated = make([]int32, len(ix.lines)), make([]bool, len(ix.lines))
	for i := range first {
		first[i] = int32(i)
	}
	// Only runs of one hash are read further (nearly every hash is
	// alone): the lines, in hash order, are all over memory.
	es := ix.entries
	for r := 0; r < len(es); {
		end := r + 1
		for end < len(es) && es[end].hash == es[r].hash {
			end++
		}
		for i := r + 1; i < end; i++ {
			// The run is in line order: the first entry of the same part
			// number is its first line (itself, when there is none before).
			l := es[i].line
			f := ix.firstIn(es[r:i+1], ix.lines[l].PartNumber)
			first[l] = f
			if f != l {
				repeated[f] = true
			}
		}
		r = end
	}
	return first, repeated
}

// firstIn returns the first line of run (entries of one hash, in line
// order) with part number pn, -1 when none.
func (ix *partIndex) firstIn(run []partEntry, pn string) int32 {
	for _, e := range run {
		if ix.lines[e.line].PartNumber == pn {
			return e.line
		}
	}
	return -1
}

// first returns the first line with part number pn; ok is false when no
// line has it.
func (ix *partIndex) first(pn string) (line int32, ok bool) {
	h := hashPart(pn)
	k := h >> (64 - partBits)
	bucket := ix.entries[ix.start[k]:ix.start[k+1]]
	for i, e := range bucket {
		if e.hash == h {
			end := i
			for end < len(bucket) && bucket[end].hash == h {
				end++
			}
			l := ix.firstIn(bucket[i:end], pn)
			return l, l >= 0
		}
		if e.hash > h {
			break
		}
	}
	return -1, false
}
