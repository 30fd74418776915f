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
		in := randomCase(rng)
		base := in.BOM.Lines[0]
		lines := 2 + rng.IntN(4)
		if n%5 == 0 {
			lines = maxClasses*2 + 3
		}
		in.BOM.Lines = nil
		for i := 0; i < lines; i++ {
			l := base
			l.PartNumber = fmt.Sprintf("MAG-%d", i)
			l.QtyPer = dec(fmt.Sprint(1 + rng.IntN(4)))
			l.Content = content(fmt.Sprintf("Nd=0.0%d", 1+rng.IntN(9)))
			l.Ref = fmt.Sprintf("BOM!%d", i+2)
			in.BOM.Lines = append(in.BOM.Lines, l)
		}
		for i := range in.Alternatives {
			in.Alternatives[i].PartNumber, in.Alternatives[i].Material = "", "NDX"
			if rng.IntN(2) == 0 {
				in.Alternatives[i].Capacity, in.Alternatives[i].HasCapacity = dec(fmt.Sprint(500*(1+rng.IntN(10)))), true
			}
		}
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
