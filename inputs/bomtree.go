// The BOM tree: parents found, levels set, cycles refused, content on parents and children warned of (SPEC section 2).

package inputs

import (
	"strconv"

	"rexpo/exposure"
)

// resolveParents links lines to their parents by part number within the
// product. A parent equal to the product id or empty means top level.
//
// It is the reader's hottest index on a million-line BOM. Most part
// numbers are on one line only, so they are indexed by part number alone;
// the few on several lines (in one product or across products) are
// indexed by product and part too. Exports list an assembly's parts right
// below it, so a parent is first looked for along the path from the line
// above, which needs no index at all.
func (r *reader) resolveParents(pend []pendingLine) {
	lines := r.bom.Lines
	firstOf := newPartIndex(lines) // part number → its first line, in any product (partindex.go)
	// first: line → the first line with its part number; repeated: by
	// first line, its part number is on other lines too.
	first, repeated := firstOf.firstLines()
	type key struct{ product, part string }
	byKey, dups := map[key]int{}, map[key]int{}
	for i := range lines {
		if !repeated[first[i]] {
			continue
		}
		k := key{lines[i].Product, lines[i].PartNumber}
		if _, ok := byKey[k]; ok {
			dups[k] = i
		} else {
			byKey[k] = i
		}
	}
	for i := range lines {
		l := &lines[i]
		par := pend[i].parent
		if par == "" || par == l.Product {
			continue
		}
		j := onPath(lines, i-1, l.Product, par)
		if j >= 0 && !repeated[first[j]] {
			l.Parent = int32(j)
			continue
		}
		f, known := firstOf.first(par)
		if known && !repeated[f] && lines[f].Product == l.Product {
			l.Parent = int32(f)
			continue
		}
		k := key{l.Product, par}
		j, ok := byKey[k]
		switch {
		case !known:
			r.ps.errorIs(ErrNotTree, r.bomSheet, pend[i].parentAt(), "parent %q is not a part number of product %q", par, l.Product)
		case !ok:
			r.ps.errorIs(ErrNotTree, r.bomSheet, pend[i].parentAt(), "parent %q is in product %q (%s), not in %q", par, lines[f].Product, r.bom.Ref(int(f)), l.Product)
		default:
			if d, dup := dups[k]; dup {
				r.ps.errorIs(ErrNotTree, r.bomSheet, pend[i].parentAt(), "parent %q is ambiguous: it appears at %s and %s", par, r.bom.Ref(j), r.bom.Ref(d))
				continue
			}
			l.Parent = int32(j)
		}
	}
}

// onPath looks for part in product among line from and its ancestors
// resolved so far, a few steps up at most (a cycle stops there too); -1
// when it is not there.
func onPath(lines []exposure.Line, from int, product, part string) int {
	for a, steps := from, 0; a >= 0 && steps < 8; a, steps = int(lines[a].Parent), steps+1 {
		if lines[a].PartNumber == part && lines[a].Product == product {
			return a
		}
	}
	return -1
}

// resolveLevels links lines by SAP-style levels: a row's parent is the
// nearest row above it one level up, within the same product.
func (r *reader) resolveLevels(pend []pendingLine) {
	var stack []int // line indexes, stack[k] at level top+k
	top, product := 0, ""
	for i := range r.bom.Lines {
		l := &r.bom.Lines[i]
		lv := int(pend[i].level)
		if i == 0 || l.Product != product {
			product, top, stack = l.Product, lv, stack[:0]
		}
		depth := lv - top
		switch {
		case depth < 0:
			r.ps.errorIs(ErrNotTree, r.bomSheet, pend[i].parentAt(), "level %d is above the product's top level %d", lv, top)
			continue
		case depth > len(stack):
			r.ps.errorIs(ErrNotTree, r.bomSheet, pend[i].parentAt(), "level %d has no row at level %d above it", lv, lv-1)
			continue
		}
		stack = stack[:depth]
		if depth > 0 {
			l.Parent = int32(stack[depth-1])
		}
		stack = append(stack, i)
	}
}

// checkCycles reports every line that is its own ancestor, naming it and
// its parent.
func (r *reader) checkCycles(pend []pendingLine) {
	lines := r.bom.Lines
	state := make([]uint8, len(lines)) // 0 unseen, 1 on path, 2 done
	var path []int
	for i := range lines {
		path = path[:0]
		j := i
		for j >= 0 && state[j] == 0 {
			state[j] = 1
			path = append(path, j)
			j = int(lines[j].Parent)
		}
		if j >= 0 && state[j] == 1 {
			// j is on the current path: a cycle through j.
			p := lines[j].Parent
			// The place names the row; the message, the parent's.
			r.ps.errorIs(ErrNotTree, r.bomSheet, pend[j].parentAt(), "the BOM is not a tree: part %q is its own ancestor (its parent %q is at %s)",
				lines[j].PartNumber, lines[p].PartNumber, r.bom.Ref(int(p)))
			for _, k := range path {
				lines[k].Parent = -1 // break the cycle so later steps terminate
			}
		}
		for _, k := range path {
			state[k] = 2
		}
	}
}

// warnNestedContent warns about an assembly that carries rare-earth
// content while a descendant does too: both count, which may be meant
// (a magnet bought inside a motor and a spare) or double counting.
func (r *reader) warnNestedContent() {
	lines := r.bom.Lines
	warned := map[int]bool{}
	for i := range lines {
		if len(lines[i].Content) == 0 {
			continue
		}
		for a := int(lines[i].Parent); a >= 0; a = int(lines[a].Parent) {
			if len(lines[a].Content) > 0 && !warned[a] {
				warned[a] = true
				r.ps.warnf(r.bomName(), strconv.Itoa(int(lines[a].Row)), "assembly %q carries rare-earth content and so does its part %q (%s): both count",
					lines[a].PartNumber, lines[i].PartNumber, r.bom.Ref(i))
			}
		}
	}
}
