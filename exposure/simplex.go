package exposure

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/lapack/lapack64"
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
	// The vectors live in one block of s.m+1 vectors (a failed try's slot
	// is taken by the next), the scratch's when there is one.
	var block []float64
	var chosen []bool
	if sc := s.sc; sc != nil {
		sc.q = zeroed(sc.q, (s.m+1)*s.m)
		sc.chosen = zeroedBools(sc.chosen, len(s.cols))
		block, chosen = sc.q, sc.chosen
	} else {
		block, chosen = make([]float64, (s.m+1)*s.m), make([]bool, len(s.cols))
	}
	var q [][]float64 // orthonormal vectors spanning the chosen columns
	if s.sc != nil {
		q = s.sc.qs[:0]
		defer func() { s.sc.qs = q[:0] }()
	}
	basis := make([]int, 0, s.m)
	try := func(j int) bool {
		var v []float64
		if len(q) <= s.m {
			v = block[len(q)*s.m : (len(q)+1)*s.m]
			clear(v)
		} else { // a basis this large fails anyway, as before
			v = make([]float64, s.m)
		}
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
		if x, err = runSimplex(s.sc, c, a, s.b, basis); err != nil {
			continue
		}
		if err = feasible(s, x); err == nil {
			return x, nil
		}
	}
	return nil, fmt.Errorf("%w: %w", errLP, err)
}

func runSimplex(sc *lpScratch, c []float64, a *mat.Dense, b []float64, basis []int) (x []float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			x, err = nil, fmt.Errorf("gonum simplex: %v", r)
		}
	}()
	if simplexProbe != nil {
		simplexProbe(c, a, b, basis)
	}
	if m, n := a.Dims(); basis != nil && m < n && !useGonumSimplex {
		st := &simplexState{}
		if sc != nil {
			st = &sc.st
		}
		return st.solve(c, a, b, 1e-10, basis)
	}
	_, x, err = lp.Simplex(c, a, b, 1e-10, basis)
	return x, err
}

// feasible checks A x = b and x ≥ 0 within a tolerance.
func feasible(s *sf, x []float64) error {
	if len(x) != len(s.cols) {
		return fmt.Errorf("%w: %d values for %d variables", errLP, len(x), len(s.cols))
	}
	var r []float64
	if s.sc != nil {
		s.sc.resid = zeroed(s.sc.resid, s.m)
		r = s.sc.resid
	} else {
		r = make([]float64, s.m)
	}
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
// Authors; the licence is in LICENSE.gonum beside this file) for a given
// initial basis, step for step and float for float,
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
	return (&simplexState{}).solve(c, A, b, tol, initialBasic)
}

// solve is basisSimplex on st's buffers, which it sizes (an lpScratch's
// state, reused from program to program); only the answer is new.
func (st *simplexState) solve(c []float64, A *mat.Dense, b []float64, tol float64, initialBasic []int) ([]float64, error) {
	if err := gonumVerifyInputs(c, A, b); err != nil {
		return nil, err
	}
	m, n := A.Dims()
	st.A, st.m = A, m
	st.xb, st.move, st.d = zeroed(st.xb, m), zeroed(st.move, m), zeroed(st.d, m)
	st.colA, st.colB = zeroed(st.colA, m), zeroed(st.colB, m)
	st.luB.n, st.luT.n = -1, -1 // factorize sizes and zeroes their buffers, as for a new state
	extractCols(reuseDense(&st.ab, m, m), A, initialBasic, st.colA)
	st.luB.factorize(st.ab, false)
	if err := st.luB.solve(st.xb, b); err != nil {
		return nil, fmt.Errorf("gonum simplex: %v", "lp: subcolumns of A for supplied initial basic singular")
	}
	for _, v := range st.xb {
		if v < -gonumInitPosTol {
			return nil, fmt.Errorf("gonum simplex: %v", "lp: supplied subcolumns not a feasible solution")
		}
	}
	st.basic = append(st.basic[:0], initialBasic...)
	st.inBasic = zeroedBools(st.inBasic, n)
	for _, v := range st.basic {
		st.inBasic[v] = true
	}
	st.nonBasic = st.nonBasic[:0]
	for i := 0; i < n; i++ {
		if !st.inBasic[i] {
			st.nonBasic = append(st.nonBasic, i)
		}
	}
	st.cb = zeroed(st.cb, m)
	for i, idx := range st.basic {
		st.cb[i] = c[idx]
	}
	st.cn = zeroed(st.cn, len(st.nonBasic))
	for i, idx := range st.nonBasic {
		st.cn[i] = c[idx]
	}
	extractCols(reuseDense(&st.an, m, len(st.nonBasic)), A, st.nonBasic, st.colA)
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
	inBasic          []bool
	luB, luT         basisLU
	move, d, r, data []float64
	y, col           []float64
	colA, colB       []float64
}

// run is gonum's phase 2 loop: Dantzig's rule, Bland's when the step is
// zero, until no reduced cost is below -tol or a solve fails.
func (st *simplexState) run(b []float64, tol float64) error {
	m, nn := st.m, len(st.nonBasic)
	st.r, st.data, st.y, st.col = zeroed(st.r, nn), zeroed(st.data, nn), zeroed(st.y, m), zeroed(st.col, m)
	yV, dataV := mat.NewVecDense(m, st.y), mat.NewVecDense(nn, st.data)
	colA, colB := st.colA, st.colB
	for {
		// Reduced costs: r = cn - anᵀ ab¯ᵀ cb.
		st.luT.factorize(st.ab, true)
		if err := st.luT.solve(st.y, st.cb); err != nil {
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
		st.luB.factorize(st.ab, false)
		if err := st.luB.solve(st.xb, b); err != nil {
			return err
		}
	}
}

// computeMove is gonum's computeMove with the basis's LU at hand.
func (st *simplexState) computeMove(minIdx int) error {
	mat.Col(st.col, st.nonBasic[minIdx], st.A)
	if err := st.luB.solve(st.d, st.col); err != nil {
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
			extractCols(abTmp, st.A, biCopy, make([]float64, st.m))
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

// extractCols copies A's columns cols into dst's columns, in order,
// through col (len: dst's rows).
func extractCols(dst *mat.Dense, A *mat.Dense, cols []int, col []float64) {
	for j, idx := range cols {
		mat.Col(col, idx, A)
		dst.SetCol(j, col)
	}
}

// condBoundLimit is the least upper bound on a basis matrix's condition
// number (∞-norm) below which basisLU skips LAPACK's estimate: gonum's
// solves fail above mat.ConditionTolerance (1e16), and an estimate cannot
// exceed the condition number of the factors by more than rounding, which
// at 1e12 is a fraction of a percent.
const condBoundLimit = 1e12

// basisLU is the LU factorization of a square matrix, or of its
// transpose, as gonum's mat.LU makes it (the same LAPACK calls on the same
// numbers), whose solves fail as mat.LU's do. mat.LU estimates the
// condition number at every factorization (Dgecon, ~40% of the plan's
// simplex); basisLU first bounds it from above in O(n²) and estimates it
// as gonum does only when the bound does not show it far below the
// tolerance.
type basisLU struct {
	n     int
	lu    blas64.General
	ipiv  []int
	ok    bool    // Getrf found the matrix non-singular
	cond  float64 // gonum's estimate, or 0 when the bound was enough
	work  []float64
	iwork []int
	z     []float64
}

// factorize factorizes a (aᵀ when trans), as mat.LU.Factorize(a) (or of
// a.T()) does.
func (f *basisLU) factorize(a *mat.Dense, trans bool) {
	n, _ := a.Dims()
	if f.n != n { // new buffers, zeroed, on f's arrays when large enough
		*f = basisLU{n: n, lu: blas64.General{Rows: n, Cols: n, Stride: n, Data: zeroed(f.lu.Data, n*n)}, ipiv: zeroedInts(f.ipiv, n),
			work: zeroed(f.work, 4*n), iwork: zeroedInts(f.iwork, n), z: zeroed(f.z, n)}
	}
	raw := a.RawMatrix()
	for i := 0; i < n; i++ {
		row := f.lu.Data[i*n : (i+1)*n]
		if trans {
			for j := range row {
				row[j] = raw.Data[j*raw.Stride+i]
			}
		} else {
			copy(row, raw.Data[i*raw.Stride:i*raw.Stride+n])
		}
	}
	anorm := lapack64.Lange(mat.CondNorm, f.lu, f.work[:n])
	f.ok = lapack64.Getrf(f.lu, f.ipiv)
	f.cond = 0
	if !f.ok || f.condBound(anorm) < condBoundLimit {
		return // a singular matrix's solves fail whatever its condition
	}
	f.cond = 1 / lapack64.Gecon(mat.CondNorm, f.lu, anorm, f.work, f.iwork)
}

// condBound is an upper bound on the condition number that Dgecon
// estimates from the factors, anorm·‖U⁻¹L⁻¹‖∞, through the comparison
// matrices (|T⁻¹| ≤ M(T)⁻¹ for triangular T, and M(T)⁻¹ ≥ 0, so
// ‖T⁻¹‖∞ ≤ max M(T)⁻¹e): +Inf (or NaN) when it overflows. It also bounds
// the factors' own conditioning, on which the estimate's rounding depends.
func (f *basisLU) condBound(anorm float64) float64 {
	n, a, z := f.n, f.lu.Data, f.z
	invU, normU := 0.0, 0.0
	for i := n - 1; i >= 0; i-- {
		s, r := 1.0, math.Abs(a[i*n+i])
		for j := i + 1; j < n; j++ {
			s += math.Abs(a[i*n+j]) * z[j]
			r += math.Abs(a[i*n+j])
		}
		z[i] = s / math.Abs(a[i*n+i])
		invU, normU = math.Max(invU, z[i]), math.Max(normU, r)
	}
	invL := 0.0
	for i := 0; i < n; i++ {
		s := 1.0
		for j := 0; j < i; j++ {
			s += math.Abs(a[i*n+j]) * z[j]
		}
		z[i] = s
		invL = math.Max(invL, s)
	}
	return math.Max(anorm*invU*invL, math.Max(normU*invU, float64(n)*invL))
}

// solve sets dst to the solution of the factorized system for b, and
// fails as mat.LU.SolveTo does: singular, or ill-conditioned (after
// solving).
func (f *basisLU) solve(dst, b []float64) error {
	if !f.ok {
		return mat.Condition(math.Inf(1))
	}
	copy(dst, b)
	lapack64.Getrs(blas.NoTrans, f.lu, blas64.General{Rows: f.n, Cols: 1, Stride: 1, Data: dst}, f.ipiv)
	if f.cond > mat.ConditionTolerance {
		return mat.Condition(f.cond)
	}
	return nil
}
