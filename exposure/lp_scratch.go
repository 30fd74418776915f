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
	a      mat.Dense    // sf.dense's constraint matrix
	qs     [][]float64  // completeBasis's vectors, views of q
	st     simplexState // basisSimplex's state and buffers
	q      []float64    // completeBasis's vectors, s.m floats each
	chosen []bool       // completeBasis's chosen columns
	resid  []float64    // feasible's row sums
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
