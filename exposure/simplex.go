package exposure

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

func hasDuplicate(v []int) bool {
	seen := make(map[int]bool, len(v))
	for _, x := range v {
		if seen[x] {
			return true
		}
		seen[x] = true
	}
	return false
}

// completeBasis turns phase 1's optimum into a basis: its non-zero
// variables, completed with slacks (then other columns) that keep the set
// linearly independent. nil when that fails.
func completeBasis(s *sf, x []float64) []int {
	var q [][]float64 // orthonormal vectors spanning the chosen columns
	var basis []int
	chosen := make([]bool, len(s.cols))
	try := func(j int) bool {
		v := make([]float64, s.m)
		for _, e := range s.cols[j] {
			v[e.row] += e.v
		}
		n0 := norm2(v)
		if n0 == 0 {
			return false
		}
		for pass := 0; pass < 2; pass++ {
			for _, u := range q {
				d := dot(u, v)
				for i := range v {
					v[i] -= d * u[i]
				}
			}
		}
		n := norm2(v)
		if n <= 1e-9*n0 {
			return false
		}
		for i := range v {
			v[i] /= n
		}
		q = append(q, v)
		basis = append(basis, j)
		chosen[j] = true
		return true
	}
	for j, v := range x {
		if v != 0 && !try(j) {
			return nil
		}
	}
	for pass := 0; pass < 2 && len(basis) < s.m; pass++ {
		for j := range s.cols {
			if len(basis) == s.m {
				break
			}
			if !chosen[j] && s.slack[j] == (pass == 0) {
				try(j)
			}
		}
	}
	if len(basis) != s.m {
		return nil
	}
	return basis
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func norm2(a []float64) float64 { return math.Sqrt(dot(a, a)) }

// simplex solves the standard-form program from the first of the given
// bases gonum accepts (it panics on one that is not feasible; the panic is
// recovered), else from gonum's own first basis. The answer is checked
// against the constraints.
func simplex(c []float64, s *sf, bases ...[]int) ([]float64, error) {
	a := s.dense()
	var tries [][]int
	for _, b := range bases {
		if len(b) == s.m {
			tries = append(tries, b)
		}
	}
	var err error
	for _, basis := range append(tries, nil) {
		var x []float64
		if x, err = runSimplex(c, a, s.b, basis); err != nil {
			continue
		}
		if err = feasible(s, x); err == nil {
			return x, nil
		}
	}
	return nil, fmt.Errorf("%w: %w", errLP, err)
}

func runSimplex(c []float64, a *mat.Dense, b []float64, basis []int) (x []float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			x, err = nil, fmt.Errorf("gonum simplex: %v", r)
		}
	}()
	if simplexProbe != nil {
		simplexProbe(c, a, b, basis)
	}
	if m, n := a.Dims(); basis != nil && m < n && !useGonumSimplex {
		return basisSimplex(c, a, b, 1e-10, basis)
	}
	_, x, err = lp.Simplex(c, a, b, 1e-10, basis)
	return x, err
}

// feasible checks A x = b and x ≥ 0 within a tolerance.
func feasible(s *sf, x []float64) error {
	if len(x) != len(s.cols) {
		return fmt.Errorf("%w: %d values for %d variables", errLP, len(x), len(s.cols))
	}
	r := make([]float64, s.m)
	for j, es := range s.cols {
		if x[j] < -1e-7 || math.IsNaN(x[j]) {
			return fmt.Errorf("%w: variable %d is %g", errLP, j, x[j])
		}
		for _, e := range es {
			r[e.row] += e.v * x[j]
		}
	}
	for i := range r {
		if math.Abs(r[i]-s.b[i]) > 1e-7*math.Max(1, math.Abs(s.b[i])) {
			return fmt.Errorf("%w: row %d is off by %g", errLP, i, r[i]-s.b[i])
		}
	}
	return nil
}

// The simplex below is gonum's lp.Simplex (gonum v0.17.0,
// optimize/convex/lp/simplex.go, BSD-3-Clause, Copyright ©2016 The Gonum
// Authors) for a given initial basis, step for step and float for float,
// but factorizing each basis matrix once instead of three times a step:
// gonum solves with a new LU (and its condition estimate) for the reduced
// costs, for the move and for the new basic values, and the move's matrix
// is the one the previous step's basic values were solved with. The same
// LAPACK calls on the same matrices give the same bits (see
// TestSimplexSameAsGonum), and ~60% of the plan's solve was these
// factorizations. It also reuses its buffers across steps.

// Gonum's tolerances (unexported there).
const (
	gonumInitPosTol   = 1e-13
	gonumBlandNegTol  = 1e-14
	gonumRRoundTol    = 1e-13
	gonumDRoundTol    = 1e-13
	gonumBlandZeroTol = 1e-12
)

// simplexProbe, when set (by a test), sees every program runSimplex
// solves.
var simplexProbe func(c []float64, a *mat.Dense, b []float64, basis []int)

// useGonumSimplex makes runSimplex call gonum's lp.Simplex always: the
// differential test's reference.
var useGonumSimplex = false

// basisSimplex is lp.Simplex(c, A, b, tol, initialBasic) for a non-nil
// initialBasic of len(b) columns and fewer rows than columns: the same x
// and the same error, or the same panic value as an error.
func basisSimplex(c []float64, A *mat.Dense, b []float64, tol float64, initialBasic []int) ([]float64, error) {
	if err := gonumVerifyInputs(c, A, b); err != nil {
		return nil, err
	}
	m, n := A.Dims()
	st := &simplexState{A: A, m: m, ab: mat.NewDense(m, m, nil), xb: make([]float64, m), move: make([]float64, m), d: make([]float64, m)}
	extractCols(st.ab, A, initialBasic)
	st.luB.Factorize(st.ab)
	if err := st.luB.SolveTo(mat.NewDense(m, 1, st.xb), false, mat.NewDense(m, 1, b)); err != nil {
		return nil, fmt.Errorf("gonum simplex: %v", "lp: subcolumns of A for supplied initial basic singular")
	}
	for _, v := range st.xb {
		if v < -gonumInitPosTol {
			return nil, fmt.Errorf("gonum simplex: %v", "lp: supplied subcolumns not a feasible solution")
		}
	}
	st.basic = append([]int(nil), initialBasic...)
	inBasic := make([]bool, n)
	for _, v := range st.basic {
		inBasic[v] = true
	}
	st.nonBasic = make([]int, 0, n-m)
	for i := 0; i < n; i++ {
		if !inBasic[i] {
			st.nonBasic = append(st.nonBasic, i)
		}
	}
	st.cb = make([]float64, m)
	for i, idx := range st.basic {
		st.cb[i] = c[idx]
	}
	st.cn = make([]float64, len(st.nonBasic))
	for i, idx := range st.nonBasic {
		st.cn[i] = c[idx]
	}
	st.an = mat.NewDense(m, len(st.nonBasic), nil)
	extractCols(st.an, A, st.nonBasic)
	err := st.run(b, tol)
	if err == lp.ErrUnbounded {
		return nil, err
	}
	x := make([]float64, n)
	for i, v := range st.basic {
		x[v] = st.xb[i]
	}
	return x, err
}

// simplexState is one basisSimplex: gonum's variables, the LU of the
// basis matrix ab (luB, always of the current ab) and of its transpose,
// and the buffers each step reuses.
type simplexState struct {
	A                *mat.Dense
	m                int
	ab, an           *mat.Dense
	xb, cb, cn       []float64
	basic, nonBasic  []int
	luB, luT         mat.LU
	move, d, r, data []float64
	y, col           []float64
}

// run is gonum's phase 2 loop: Dantzig's rule, Bland's when the step is
// zero, until no reduced cost is below -tol or a solve fails.
func (st *simplexState) run(b []float64, tol float64) error {
	m, nn := st.m, len(st.nonBasic)
	st.r, st.data, st.y, st.col = make([]float64, nn), make([]float64, nn), make([]float64, m), make([]float64, m)
	cbD, bD, xbD := mat.NewDense(m, 1, st.cb), mat.NewDense(m, 1, b), mat.NewDense(m, 1, st.xb)
	yD, yV, dataV := mat.NewDense(m, 1, st.y), mat.NewVecDense(m, st.y), mat.NewVecDense(nn, st.data)
	colA, colB := make([]float64, m), make([]float64, m)
	for {
		// Reduced costs: r = cn - anᵀ ab¯ᵀ cb.
		st.luT.Factorize(st.ab.T())
		if err := st.luT.SolveTo(yD, false, cbD); err != nil {
			return err
		}
		clear(st.data) // gonum's is new each step
		dataV.MulVec(st.an.T(), yV)
		floats.SubTo(st.r, st.cn, st.data)
		minIdx := floats.MinIdx(st.r)
		if st.r[minIdx] >= -tol {
			return nil
		}
		for i, v := range st.r {
			if math.Abs(v) < gonumRRoundTol {
				st.r[i] = 0
			}
		}
		if err := st.computeMove(minIdx); err != nil {
			return err
		}
		replace := floats.MinIdx(st.move)
		if st.move[replace] <= 0 {
			var err error
			if replace, minIdx, err = st.replaceBland(); err != nil {
				return err
			}
		}
		st.basic[replace], st.nonBasic[minIdx] = st.nonBasic[minIdx], st.basic[replace]
		st.cb[replace], st.cn[minIdx] = st.cn[minIdx], st.cb[replace]
		mat.Col(colA, replace, st.ab)
		mat.Col(colB, minIdx, st.an)
		st.ab.SetCol(replace, colB)
		st.an.SetCol(minIdx, colA)
		st.luB.Factorize(st.ab)
		if err := st.luB.SolveTo(xbD, false, bD); err != nil {
			return err
		}
	}
}

// computeMove is gonum's computeMove with the basis's LU at hand.
func (st *simplexState) computeMove(minIdx int) error {
	mat.Col(st.col, st.nonBasic[minIdx], st.A)
	if err := st.luB.SolveTo(mat.NewDense(st.m, 1, st.d), false, mat.NewDense(st.m, 1, st.col)); err != nil {
		return lp.ErrLinSolve
	}
	d := st.d
	floats.Scale(-1, d)
	for i, v := range d {
		if math.Abs(v) < gonumDRoundTol {
			d[i] = 0
		}
	}
	if floats.Min(d) >= 0 {
		return lp.ErrUnbounded
	}
	for i, v := range d {
		if v >= 0 {
			st.move[i] = math.Inf(1)
		} else {
			st.move[i] = st.xb[i] / math.Abs(v)
		}
	}
	return nil
}

// replaceBland is gonum's replaceBland: the first improving column whose
// step is not zero, or whose zero step keeps the basis well conditioned.
func (st *simplexState) replaceBland() (replace, minIdx int, err error) {
	for i, v := range st.r {
		if v > -gonumBlandNegTol {
			continue
		}
		minIdx = i
		if err = st.computeMove(minIdx); err != nil {
			return -1, -1, err
		}
		replace = floats.MinIdx(st.move)
		if math.Abs(st.move[replace]) > gonumBlandZeroTol {
			return replace, minIdx, nil
		}
		biCopy := make([]int, len(st.basic))
		for replace, v := range st.move {
			if v > gonumBlandZeroTol {
				continue
			}
			copy(biCopy, st.basic)
			biCopy[replace] = st.nonBasic[minIdx]
			abTmp := mat.NewDense(st.m, len(biCopy), nil)
			extractCols(abTmp, st.A, biCopy)
			if mat.Cond(abTmp, 1) < 1e16 {
				return replace, minIdx, nil
			}
		}
	}
	return -1, -1, lp.ErrBland
}

// gonumVerifyInputs is gonum's check that no row or column of A is all
// zeros, with its errors (the shapes are right by construction).
func gonumVerifyInputs(c []float64, A *mat.Dense, b []float64) error {
	m, n := A.Dims()
	for i := 0; i < m; i++ {
		isZero := true
		for j := 0; j < n; j++ {
			if A.At(i, j) != 0 {
				isZero = false
				break
			}
		}
		if isZero && b[i] != 0 {
			return lp.ErrInfeasible
		} else if isZero {
			return lp.ErrZeroRow
		}
	}
	for j := 0; j < n; j++ {
		isZero := true
		for i := 0; i < m; i++ {
			if A.At(i, j) != 0 {
				isZero = false
				break
			}
		}
		if isZero && c[j] < 0 {
			return lp.ErrUnbounded
		} else if isZero {
			return lp.ErrZeroColumn
		}
	}
	return nil
}

// extractCols copies A's columns cols into dst's columns, in order.
func extractCols(dst *mat.Dense, A *mat.Dense, cols []int) {
	r, _ := dst.Dims()
	col := make([]float64, r)
	for j, idx := range cols {
		mat.Col(col, idx, A)
		dst.SetCol(j, col)
	}
}
