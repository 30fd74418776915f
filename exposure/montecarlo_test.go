package exposure

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

func ranged(v, lo, hi string) Param {
	return Param{Value: dec(v), Low: dec(lo), High: dec(hi), Ranged: true}
}

// TestSamplerMatchesCompute checks the aggregated evaluator of the Monte
// Carlo against the exact figures of Compute, month by month, at the
// parameters' values: prices with classes split by world shares,
// availability minima, delay maxima, tariffs on known and unknown origins.
func TestSamplerMatchesCompute(t *testing.T) {
	in := benchInput(3000)
	// Ranges everywhere, so that every part of the evaluator is exercised
	// as drawn rather than as a constant.
	for s := range in.Scenarios {
		sc := &in.Scenarios[s]
		sc.SpotPremium = ranged(sc.SpotPremium.Value.String(), "0", "500")
		for i := range sc.Controls {
			c := &sc.Controls[i]
			c.Uplift = ranged(c.Uplift.Value.String(), "-100", "1000")
			c.Availability = ranged(c.Availability.Value.String(), "0", "100")
			c.Delay = ranged(c.Delay.Value.String(), "0", "400")
		}
		for i := range sc.Tariffs {
			sc.Tariffs[i].Pct = ranged(sc.Tariffs[i].Pct.Value.String(), "0", "200")
		}
	}
	r, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	sps, _ := r.model.samplers()
	months := make([]float64, r.Settings.Horizon)
	for s, sp := range sps {
		sr := r.Scenarios[s]
		p := sp.params(func(q Param) float64 { return q.Value.InexactFloat64() })
		annual := sp.eval(&p, months)
		if !nearF(annual, sr.AnnualDelta.InexactFloat64()) {
			t.Errorf("sampler(%s) annual = %.6f, Compute annual_delta = %s", sr.Scenario.ID, annual, sr.AnnualDelta)
		}
		for i, mo := range sr.Months {
			if !nearF(months[i], mo.Delta.InexactFloat64()) {
				t.Errorf("sampler(%s) month %s = %.6f, Compute = %s", sr.Scenario.ID, mo.Month, months[i], mo.Delta)
			}
		}
		if all := sp.evalAll(&p, months); !nearF(all, annual) {
			t.Errorf("sampler(%s) with every term live = %.6f, want %.6f", sr.Scenario.ID, all, annual)
		}
		if !sp.uncertain {
			t.Errorf("sampler(%s) is not uncertain, want ranged parameters", sr.Scenario.ID)
		}
	}
}

func nearF(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// TestSamplerSizeDoesNotGrowWithLines: the evaluator's coefficients and
// terms are the same for 1,000 and 100,000 lines of the same sources.
func TestSamplerSizeDoesNotGrowWithLines(t *testing.T) {
	size := func(n int) []string {
		r, err := Compute(benchInput(n))
		if err != nil {
			t.Fatal(err)
		}
		sps, _ := r.model.samplers()
		var out []string
		for _, sp := range sps {
			out = append(out, fmt.Sprintf("%d rows, %d tariffs, %d terms", len(sp.upCoef), len(sp.tarCoef), len(sp.terms)))
		}
		return out
	}
	a, b := size(1000), size(100_000)
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("scenario %d: %s at 1,000 lines, %s at 100,000", i, a[i], b[i])
		}
	}
}

// singleTriangular is one line whose annual delta is linear in one
// triangular uplift: Nd 1 kg, direct, China price 100, so each point of
// uplift adds 1 a unit a month, 100 units a month, months 1..12: 1,200
// per point. No availability or delay effect.
func singleTriangular(lo, mode, hi string, draws int, seed int64) Input {
	c := Control{Elements: []string{"Nd"}, Class: AnyClass, Uplift: ranged(mode, lo, hi), Availability: fixed("100"), Delay: fixed("0"), Ref: "Controls!2"}
	in := oneLine("1", "Nd=1", "", "", []Source{src("CN/CN/CN/CN", "10")}, scen("tri", "50", []Control{c}, nil))
	in.Settings.Draws, in.Settings.Seed = draws, seed
	return in
}

// TestMonteCarloClosedForm: with a single triangular(a, c, b) parameter
// the annual delta is 1,200 × uplift, whose mean is 1,200 (a+b+c)/3 and
// whose median is 1,200 × the triangular median. The tolerance is four
// standard errors for the draw count: σ/√n for the mean, with
// σ² = (a²+b²+c²−ab−ac−bc)/18, and √(p(1−p)/n)/f(median) for the median.
func TestMonteCarloClosedForm(t *testing.T) {
	const n = 20000
	for _, tc := range []struct{ a, c, b float64 }{{0, 10, 30}, {100, 200, 330}, {-40, -20, 0}, {500, 1500, 5000}} {
		name := fmt.Sprintf("tri(%g,%g,%g)", tc.a, tc.c, tc.b)
		t.Run(name, func(t *testing.T) {
			in := singleTriangular(fmt.Sprint(tc.a), fmt.Sprint(tc.c), fmt.Sprint(tc.b), n, 7)
			r, err := Compute(in)
			if err != nil {
				t.Fatal(err)
			}
			sr := r.Scenarios[0]
			a, c, b := tc.a, tc.c, tc.b
			mean := 1200 * (a + b + c) / 3
			sd := 1200 * math.Sqrt((a*a+b*b+c*c-a*b-a*c-b*c)/18)
			if got := sr.Mean.InexactFloat64(); math.Abs(got-mean) > 4*sd/math.Sqrt(n)+0.01 {
				t.Errorf("%s mean = %.2f, want %.2f ± %.2f", name, got, mean, 4*sd/math.Sqrt(n))
			}
			var med, dens float64 // median and the density there
			if c >= (a+b)/2 {
				med = a + math.Sqrt((b-a)*(c-a)/2)
				dens = 2 * (med - a) / ((b - a) * (c - a))
			} else {
				med = b - math.Sqrt((b-a)*(b-c)/2)
				dens = 2 * (b - med) / ((b - a) * (b - c))
			}
			tol := 4 * 1200 * math.Sqrt(0.25/n) / dens
			if got := sr.P50.InexactFloat64(); math.Abs(got-1200*med) > tol {
				t.Errorf("%s P50 = %.2f, want %.2f ± %.2f", name, got, 1200*med, tol)
			}
			if !(sr.P10.LessThan(sr.P50) && sr.P50.LessThan(sr.P90)) {
				t.Errorf("%s P10 %s, P50 %s, P90 %s are not increasing", name, sr.P10, sr.P50, sr.P90)
			}
			if lo, hi := 1200*a, 1200*b; sr.P10.InexactFloat64() < lo || sr.P90.InexactFloat64() > hi {
				t.Errorf("%s P10..P90 = %s..%s outside %g..%g", name, sr.P10, sr.P90, lo, hi)
			}
		})
	}
}

// TestMonteCarloSeed: the same seed gives the same numbers, another seed
// other numbers, and a scenario's numbers do not depend on which other
// scenarios run.
func TestMonteCarloSeed(t *testing.T) {
	run := func(in Input) *Result {
		r, err := Compute(in)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	in := benchInput(500)
	for s := range in.Scenarios {
		for i := range in.Scenarios[s].Controls {
			c := &in.Scenarios[s].Controls[i]
			v := c.Uplift.Value
			c.Uplift = Param{Value: v, Low: v.Sub(dec("20")), High: v.Add(dec("60")), Ranged: true}
		}
	}
	in.Settings.Draws, in.Settings.Seed = 2000, 42
	a, b := run(in), run(in)
	for s := range a.Scenarios {
		x, y := a.Scenarios[s], b.Scenarios[s]
		if !x.P10.Equal(y.P10) || !x.P50.Equal(y.P50) || !x.P90.Equal(y.P90) || !x.Mean.Equal(y.Mean) {
			t.Errorf("scenario %s: seed 42 gave %s/%s/%s then %s/%s/%s", x.Scenario.ID, x.P10, x.P50, x.P90, y.P10, y.P50, y.P90)
		}
	}
	if !a.Mix.P95.Equal(b.Mix.P95) || !a.Mix.Mean.Equal(b.Mix.Mean) {
		t.Errorf("mix: seed 42 gave P95 %s then %s", a.Mix.P95, b.Mix.P95)
	}
	in.Settings.Seed = 43
	c := run(in)
	if c.Scenarios[1].P50.Equal(a.Scenarios[1].P50) && c.Scenarios[1].P90.Equal(a.Scenarios[1].P90) {
		t.Errorf("seed 43 gave the same P50 and P90 as seed 42: %s, %s", c.Scenarios[1].P50, c.Scenarios[1].P90)
	}
	in.Settings.Seed = 42
	in.Scenarios = in.Scenarios[1:2]
	in.Scenarios[0].Prior = dec("1")
	d := run(in)
	if !d.Scenarios[0].P50.Equal(a.Scenarios[1].P50) {
		t.Errorf("%s alone: P50 %s, with the others %s", d.Scenarios[0].Scenario.ID, d.Scenarios[0].P50, a.Scenarios[1].P50)
	}
}

// TestMixMean: the mixture's mean is Σ_s w_s · mean_s, and a scenario
// without ranges has every percentile equal to its annual delta.
func TestMixMean(t *testing.T) {
	in := benchInput(500)
	in.Scenarios[1].Controls[0].Uplift = ranged("60", "30", "150")
	in.Scenarios[3].SpotPremium = ranged("80", "50", "200")
	in.Settings.Draws = 3000
	r, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	var want = r.Scenarios[0].Mean.Mul(r.Scenarios[0].Probability)
	for _, sr := range r.Scenarios[1:] {
		want = want.Add(sr.Mean.Mul(sr.Probability))
	}
	if !r.Mix.Mean.Equal(want.Round(2)) {
		t.Errorf("mix mean = %s, want Σ w_s mean_s = %s", r.Mix.Mean, want.Round(2))
	}
	for _, s := range []int{0, 2} {
		sr := r.Scenarios[s]
		if sr.Uncertain || !sr.P10.Equal(sr.AnnualDelta) || !sr.P90.Equal(sr.AnnualDelta) || !sr.Mean.Equal(sr.AnnualDelta) {
			t.Errorf("scenario %s without ranges: P10 %s, P90 %s, mean %s, want all %s", sr.Scenario.ID, sr.P10, sr.P90, sr.Mean, sr.AnnualDelta)
		}
	}
	if !r.Scenarios[1].Uncertain || !r.Scenarios[3].Uncertain {
		t.Errorf("scenarios with ranges are not marked uncertain")
	}
	if r.Mix.Draws != 3000 || len(r.MixMonths) != 24 {
		t.Errorf("mix draws %d, %d month bands; want 3000 and 24", r.Mix.Draws, len(r.MixMonths))
	}
	for _, b := range r.MixMonths {
		if b.P10.GreaterThan(b.P50) || b.P50.GreaterThan(b.P90) {
			t.Errorf("month %s band %s..%s..%s not ordered", b.Month, b.P10, b.P50, b.P90)
		}
	}
}

// TestMixQuantiles: two fixed scenarios, 12,000 with weight 0.6 and
// 24,000 with weight 0.4 (the uplift doubled). The mixture's P50 is the
// first (cumulative 0.6 ≥ 0.5), its P90 and P95 the second.
func TestMixQuantiles(t *testing.T) {
	a := scen("a", "0", []Control{uplift("Nd", AnyClass, "10")}, nil)
	b := scen("b", "0", []Control{uplift("Nd", AnyClass, "20")}, nil)
	a.Prior, b.Prior = dec("0.6"), dec("0.4")
	in := oneLine("1", "Nd=1", "", "", []Source{src("CN/CN/CN/CN", "10")}, a, b)
	r, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprintf("%s %s %s %s", r.Mix.Mean, r.Mix.P50, r.Mix.P90, r.Mix.P95)
	if want := "16800 12000 24000 24000"; got != want {
		t.Errorf("mix mean/P50/P90/P95 = %s, want %s", got, want)
	}
}

// TestPhases: the April-2025 replay shape gives one phase per window.
func TestPhases(t *testing.T) {
	s := scen("apr", "200", []Control{
		during(ctl("Nd", ClassDirect, "200", "25", "63"), rel(1), rel(2)),
		during(ctl("Nd", ClassDirect, "100", "50", "45"), rel(3), rel(3)),
		during(ctl("Nd", ClassDirect, "30", "100", "30"), rel(4), rel(6)),
		during(ctl("Dy", ClassDirect, "30", "100", "30"), rel(4), rel(6)), // no Dy in the BOM
	}, []Tariff{tarDuring(tar("US", "CN", "", "", "45"), rel(5), Month{})})
	r, err := Compute(oneLine("1", "Nd=1", "", "", []Source{src("CN/CN/CN/CN", "10")}, s))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range r.Scenarios[0].Phases {
		got = append(got, fmt.Sprintf("%d-%d c%v t%v", p.From, p.To, p.Controls, p.Tariffs))
	}
	want := []string{"1-2 c[0] t[]", "3-3 c[1] t[]", "4-4 c[2] t[]", "5-6 c[2] t[0]", "7-24 c[] t[0]"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("phases = %v, want %v", got, want)
	}
	if p := r.Scenarios[0].Phases[0]; p.FromMonth != "2026-01" || p.ToMonth != "2026-02" {
		t.Errorf("first phase %s..%s, want 2026-01..2026-02", p.FromMonth, p.ToMonth)
	}
}

// BenchmarkMonteCarlo times 10,000 draws of the seven benchmark
// scenarios, every Controls and Tariffs field and spot premium ranged,
// on BOMs of 1,000 and 100,000 lines: the draws cost the same, since they
// run on the aggregates.
func BenchmarkMonteCarlo(b *testing.B) {
	for _, n := range []int{1000, 100_000} {
		b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
			in := benchInput(n)
			for s := range in.Scenarios {
				sc := &in.Scenarios[s]
				sc.SpotPremium = ranged(sc.SpotPremium.Value.String(), "0", "500")
				for i := range sc.Controls {
					c := &sc.Controls[i]
					c.Uplift = ranged(c.Uplift.Value.String(), "-100", "1000")
					c.Availability = ranged(c.Availability.Value.String(), "0", "100")
					c.Delay = ranged(c.Delay.Value.String(), "0", "400")
				}
				for i := range sc.Tariffs {
					sc.Tariffs[i].Pct = ranged(sc.Tariffs[i].Pct.Value.String(), "0", "200")
				}
			}
			in.Settings.Draws = 10000
			r, err := Compute(in)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r.model.uncertainty(r)
				if r.Mix.Draws != 10000 || !r.Mix.P95.GreaterThanOrEqual(r.Mix.P50) {
					b.Fatalf("mix = %+v", r.Mix)
				}
			}
		})
	}
}

// TestSimulateAllSameAsOneByOne: the scenarios' draws run side by side
// give each scenario the draws it gets alone, and a certain scenario
// none.
func TestSimulateAllSameAsOneByOne(t *testing.T) {
	in := benchInput(500)
	for s := range in.Scenarios {
		if s == 0 {
			continue // left certain
		}
		for i := range in.Scenarios[s].Controls {
			c := &in.Scenarios[s].Controls[i]
			v := c.Uplift.Value
			c.Uplift = Param{Value: v, Low: v.Sub(dec("20")), High: v.Add(dec("60")), Ranged: true}
		}
	}
	r, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	sps, _ := r.model.samplers()
	all := simulateAll(sps, 700, 9)
	uncertain := 0
	for s, sp := range sps {
		if !sp.uncertain {
			if all[s].annual != nil {
				t.Errorf("scenario %d is certain but has %d draws", s, len(all[s].annual))
			}
			continue
		}
		uncertain++
		one := sp.simulate(700, 9)
		if !slices.Equal(all[s].annual, one.annual) || all[s].mean != one.mean || len(all[s].months) != len(one.months) {
			t.Errorf("scenario %d: side by side gave other draws than alone", s)
		}
	}
	if uncertain < 2 {
		t.Fatalf("%d uncertain scenarios: the test needs two or more", uncertain)
	}
}
