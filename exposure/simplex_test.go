package exposure

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// lpSeen is one program runSimplex was given.
type lpSeen struct {
	c, b  []float64
	a     *mat.Dense
	basis []int
}

// collectPrograms runs fn with every program runSimplex solves recorded.
func collectPrograms(fn func()) []lpSeen {
	var mu sync.Mutex
	var seen []lpSeen
	simplexProbe = func(c []float64, a *mat.Dense, b []float64, basis []int) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, lpSeen{c: append([]float64(nil), c...), b: append([]float64(nil), b...), a: mat.DenseCopyOf(a),
			basis: append([]int(nil), basis...)})
	}
	defer func() { simplexProbe = nil }()
	fn()
	return seen
}

// gonumReference is gonum's lp.Simplex with runSimplex's recovery.
func gonumReference(p lpSeen) (x []float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			x, err = nil, fmt.Errorf("gonum simplex: %v", r)
		}
	}()
	_, x, err = lp.Simplex(p.c, p.a, p.b, 1e-10, p.basis)
	return x, err
}

// sameRun reports how x, err and y, err2 differ, "" when bit for bit
// the same.
func sameRun(x []float64, err error, y []float64, err2 error) string {
	if fmt.Sprint(err) != fmt.Sprint(err2) {
		return fmt.Sprintf("error %v, gonum %v", err2, err)
	}
	if len(x) != len(y) {
		return fmt.Sprintf("%d values, gonum %d", len(y), len(x))
	}
	for i := range x {
		if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
			return fmt.Sprintf("x[%d] = %v, gonum %v", i, y[i], x[i])
		}
	}
	return ""
}

// planInputs are the programs' sources: random single lines, random
// lines sharing capacities (some groups larger than one program), and
// the benchmark's runs of similar lines, with and without a shared
// capacity.
func planInputs() []Input {
	var ins []Input
	rng := rand.New(rand.NewPCG(3, 8))
	for n := 0; n < 300; n++ {
		ins = append(ins, randomCase(rng))
	}
	rng = rand.New(rand.NewPCG(5, 13))
	for n := 0; n < 40; n++ {
		in, _ := sharedCapacityCase(rng, n%5 == 0)
		ins = append(ins, in)
	}
	return append(ins, benchPlanInput(400, false), benchPlanInput(400, true))
}

// TestSimplexSameAsGonum: basisSimplex gives, bit for bit, gonum's
// answers and errors on every program the plans of planInputs solve from
// a basis, and the plans are the same whichever simplex runs.
func TestSimplexSameAsGonum(t *testing.T) {
	ins := planInputs()
	results := make([]*Result, len(ins))
	for i, in := range ins {
		r, err := Compute(in)
		if err != nil {
			t.Fatal(err)
		}
		results[i] = r
	}
	var plans []*Plan
	seen := collectPrograms(func() {
		for _, r := range results {
			p, err := Recommend(r)
			if err != nil {
				t.Fatal(err)
			}
			plans = append(plans, p)
		}
	})
	fromBasis, failed := 0, 0
	for k, p := range seen {
		if len(p.basis) == 0 {
			continue
		}
		if m, n := p.a.Dims(); m >= n {
			continue
		}
		fromBasis++
		x, err := gonumReference(p)
		y, err2 := basisSimplex(p.c, p.a, p.b, 1e-10, p.basis)
		if err != nil {
			failed++
		}
		if d := sameRun(x, err, y, err2); d != "" {
			t.Errorf("program %d (%d×%d): %s", k, p.a.RawMatrix().Rows, p.a.RawMatrix().Cols, d)
		}
	}
	if fromBasis < 500 || failed == 0 {
		t.Errorf("%d programs from a basis, %d of them failing: want more than 500 and some failing", fromBasis, failed)
	}
	useGonumSimplex = true
	defer func() { useGonumSimplex = false }()
	for i, r := range results {
		want, err := Recommend(r)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(plans[i], want) {
			t.Errorf("input %d: the plan differs from gonum's", i)
		}
	}
}

// BenchmarkSimplex solves the programs the benchmark's plans solve from a
// basis, with gonum's lp.Simplex and with basisSimplex.
func BenchmarkSimplex(b *testing.B) {
	var rs []*Result
	for _, shared := range []bool{false, true} {
		r, err := Compute(benchPlanInput(2000, shared))
		if err != nil {
			b.Fatal(err)
		}
		rs = append(rs, r)
	}
	var progs []lpSeen
	for _, p := range collectPrograms(func() {
		for _, r := range rs {
			if _, err := Recommend(r); err != nil {
				b.Fatal(err)
			}
		}
	}) {
		if m, n := p.a.Dims(); len(p.basis) > 0 && m < n {
			progs = append(progs, p)
		}
	}
	b.Run("gonum", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, p := range progs {
				_, _ = gonumReference(p)
			}
		}
	})
	b.Run("basis", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, p := range progs {
				_, _ = basisSimplex(p.c, p.a, p.b, 1e-10, p.basis)
			}
		}
	})
}

// TestBasisLUBound: where basisLU skips gonum's condition estimate, that
// estimate is below its bound (so far below mat.ConditionTolerance), and
// its solves give mat.LU's bits, on random matrices from well conditioned
// to singular and on every basis matrix the plans' programs start from.
func TestBasisLUBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	var ms []*mat.Dense
	for k := 0; k < 2000; k++ {
		n := 1 + rng.IntN(40)
		a := mat.NewDense(n, n, nil)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				if rng.IntN(3) == 0 {
					a.Set(i, j, rng.NormFloat64()*math.Pow(10, float64(rng.IntN(7)-3)))
				}
			}
			a.Set(i, i, a.At(i, i)+float64(rng.IntN(2)))
		}
		if k%4 == 0 && n > 1 { // nearly dependent rows
			for j := 0; j < n; j++ {
				a.Set(n-1, j, a.At(0, j)*(1+1e-14*float64(rng.IntN(3))))
			}
		}
		ms = append(ms, a)
	}
	for _, p := range collectPrograms(func() {
		for _, in := range planInputs()[:60] {
			r, err := Compute(in)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Recommend(r); err != nil {
				t.Fatal(err)
			}
		}
	}) {
		if m, n := p.a.Dims(); len(p.basis) == m && m < n {
			ab := mat.NewDense(m, m, nil)
			extractCols(ab, p.a, p.basis, make([]float64, ab.RawMatrix().Rows))
			ms = append(ms, ab)
		}
	}
	skipped, checked := 0, 0
	for k, a := range ms {
		for _, trans := range []bool{false, true} {
			var f basisLU
			f.factorize(a, trans)
			var lu mat.LU
			var src mat.Matrix = a
			if trans {
				src = a.T()
			}
			lu.Factorize(src)
			n, _ := a.Dims()
			b := make([]float64, n)
			for i := range b {
				b[i] = rng.NormFloat64()
			}
			want := make([]float64, n)
			err := lu.SolveTo(mat.NewDense(n, 1, want), false, mat.NewDense(n, 1, b))
			got := make([]float64, n)
			err2 := f.solve(got, b)
			if fmt.Sprint(err) != fmt.Sprint(err2) || (err == nil && !reflect.DeepEqual(got, want)) {
				t.Fatalf("matrix %d (trans %v): %v %v, mat.LU %v %v", k, trans, got, err2, want, err)
			}
			checked++
			if f.ok && f.cond == 0 {
				skipped++
				if bound := f.condBound(mat.Norm(src, math.Inf(1))); lu.Cond() > bound*1.01 || bound >= condBoundLimit {
					t.Errorf("matrix %d (trans %v): estimate %g above the bound %g", k, trans, lu.Cond(), bound)
				}
			}
		}
	}
	t.Logf("estimate skipped for %d of %d", skipped, checked)
	if skipped == 0 || skipped == checked {
		t.Errorf("the estimate was skipped for %d of %d matrices: want some, not all", skipped, checked)
	}
}
