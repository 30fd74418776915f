package exposure

import "gonum.org/v1/gonum/mat"

// lpScratch is one solving goroutine's buffers, reused from program to
// program: a plan solves tens of thousands of small programs, and their
// matrices, factorizations and basis vectors, made afresh for each, were
// a quarter of the plan's allocations. A nil *lpScratch is valid and
// makes every buffer afresh (a test's one-off solve).
//
// Reuse must not change a bit of the answers: every buffer handed out is
// zeroed, as a new one is, unless the code that takes it overwrites it
// whole before reading it.
type lpScratch struct {
	sf     sf           // the program in standard form (newSF)
	ly     layout       // where its variables and rows are (newLayout)
	a      mat.Dense    // sf.dense's constraint matrix
	qs     [][]float64  // completeBasis's vectors, views of q
	st     simplexState // basisSimplex's state and buffers
	q      []float64    // completeBasis's vectors, s.m floats each
	chosen []bool       // completeBasis's chosen columns
	resid  []float64    // feasible's row sums
	// program's classes, and the blocks their slices are cut from.
	classes      []lpClass
	classPtrs    []*lpClass
	floatBlock   []float64
	intBlock     []int
	floatN, intN int // how much of the blocks the current program took
}

// zeroed returns buf resized to n and zeroed, reusing its array when
// large enough.
func zeroed(buf []float64, n int) []float64 {
	if cap(buf) < n {
		return make([]float64, n)
	}
	buf = buf[:n]
	clear(buf)
	return buf
}

// zeroedInts is zeroed for ints.
func zeroedInts(buf []int, n int) []int {
	if cap(buf) < n {
		return make([]int, n)
	}
	buf = buf[:n]
	clear(buf)
	return buf
}

// zeroedBools is zeroed for bools.
func zeroedBools(buf []bool, n int) []bool {
	if cap(buf) < n {
		return make([]bool, n)
	}
	buf = buf[:n]
	clear(buf)
	return buf
}

// denseOf returns a zeroed r×c matrix: the scratch's own, or a new one.
func (sc *lpScratch) denseOf(r, c int) *mat.Dense {
	if sc == nil {
		return mat.NewDense(r, c, nil)
	}
	sc.a.Reset()
	sc.a.ReuseAs(r, c)
	return &sc.a
}

// reuseDense makes d a zeroed r×c matrix on its own array when large
// enough (basisSimplex's basis and non-basis matrices).
func reuseDense(d **mat.Dense, r, c int) *mat.Dense {
	if *d == nil {
		*d = mat.NewDense(r, c, nil)
		return *d
	}
	(*d).Reset()
	(*d).ReuseAs(r, c)
	return *d
}

// newSF returns an empty program in standard form: the scratch's, its
// arrays (and its columns' arrays) kept for the new program's, or a new
// one.
func (sc *lpScratch) newSF() *sf {
	if sc == nil {
		return &sf{}
	}
	s := &sc.sf
	*s = sf{cols: s.cols[:0], c: s.c[:0], b: s.b[:0], slack: s.slack[:0], sc: sc}
	return s
}

// classesFor returns n classes for a new program (zero values to fill),
// the scratch's when there is one; the slices floats and ints hand out
// start again from their blocks' beginnings.
func (sc *lpScratch) classesFor(n int) []*lpClass {
	if sc == nil {
		out := make([]*lpClass, n)
		for k := range out {
			out[k] = &lpClass{}
		}
		return out
	}
	if cap(sc.classes) < n {
		sc.classes, sc.classPtrs = make([]lpClass, n), make([]*lpClass, n)
	}
	out := sc.classPtrs[:n]
	for k := range out {
		out[k] = &sc.classes[k]
	}
	sc.floatN, sc.intN = 0, 0
	return out
}

// floats returns an empty slice of capacity n for a program's class,
// cut from the scratch's block (a new block when it is used up: the
// slices cut before stay valid).
func (sc *lpScratch) floats(n int) []float64 {
	if sc == nil {
		return make([]float64, 0, n)
	}
	if sc.floatN+n > len(sc.floatBlock) {
		sc.floatBlock, sc.floatN = make([]float64, max(2*len(sc.floatBlock), 256, n)), 0
	}
	s := sc.floatBlock[sc.floatN : sc.floatN : sc.floatN+n]
	sc.floatN += n
	return s
}

// ints is floats for ints.
func (sc *lpScratch) ints(n int) []int {
	if sc == nil {
		return make([]int, 0, n)
	}
	if sc.intN+n > len(sc.intBlock) {
		sc.intBlock, sc.intN = make([]int, max(2*len(sc.intBlock), 256, n)), 0
	}
	s := sc.intBlock[sc.intN : sc.intN : sc.intN+n]
	sc.intN += n
	return s
}

// newLayout returns an empty layout for a program of L classes: the
// scratch's, every list emptied (its arrays kept for the new program's),
// or a new one.
func (sc *lpScratch) newLayout(L int) *layout {
	if sc == nil {
		return &layout{x: make([][]int, L), sumRow: make([]int, L), capRow: make([][]int, L), capSl: make([][]int, L),
			e: make([][]int, L), eSl: make([][]int, L)}
	}
	ly := &sc.ly
	*ly = layout{x: emptied(ly.x, L), sumRow: zeroedInts(ly.sumRow, L), capRow: emptied(ly.capRow, L), capSl: emptied(ly.capSl, L),
		e: emptied(ly.e, L), eSl: emptied(ly.eSl, L),
		// Set by phase 2 (keepExcess, objective); their arrays kept.
		resRow: ly.resRow[:0], resSl: ly.resSl[:0], totSl: ly.totSl[:0], z: ly.z[:0], zRows: ly.zRows[:0], zSl: ly.zSl[:0],
		zScale: ly.zScale[:0], zOffset: ly.zOffset[:0]}
	return ly
}

// emptied returns v resized to n lists, each empty on the array it had
// (new lists beyond v's).
func emptied(v [][]int, n int) [][]int {
	if cap(v) < n {
		v = append(v[:cap(v)], make([][]int, n-cap(v))...)
	}
	v = v[:n]
	for i := range v {
		v[i] = v[i][:0]
	}
	return v
}
