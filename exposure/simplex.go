package exposure

import (
	"fmt"
	"math"

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
