package exposure

import (
	"testing"

	"github.com/shopspring/decimal"
)

// weighFixture is a hand-built result of two scenarios (A: probability
// 0.6, B: 0.4) over three products and three elements. B runs a month
// longer than the projection, P2 appears only in A and P3 in neither,
// and A lists Nd twice.
func weighFixture() *Result {
	months := func(ds ...string) []MonthDelta {
		out := make([]MonthDelta, len(ds))
		for i, d := range ds {
			out[i] = MonthDelta{Month: []string{"2026-01", "2026-02", "2026-03"}[i], Delta: dec(d)}
		}
		return out
	}
	return &Result{
		Months: []string{"2026-01", "2026-02"},
		Products: []ProductResult{
			{ID: "P1", AnnualVolume: dec("100"), BaselineUnitCost: dec("10")},
			{ID: "P2", AnnualVolume: dec("40"), BaselineUnitCost: dec("2.5")},
			{ID: "P3", AnnualVolume: dec("1"), BaselineUnitCost: dec("0")},
		},
		Scenarios: []ScenarioResult{
			{Scenario: Scenario{ID: "A", Prior: dec("0.5")}, Probability: dec("0.6"), AnnualDelta: dec("100"), HorizonDelta: dec("250"),
				Split: Split{dec("60"), dec("20"), dec("10"), dec("10")},
				Products: []ProductDelta{
					{Product: "P1", UnitDelta: dec("0.5"), AnnualDelta: dec("80"), UnitsAtRisk: dec("3")},
					{Product: "P2", UnitDelta: dec("0.1"), AnnualDelta: dec("20")},
				},
				Elements: []ElementDelta{{"Nd", dec("50")}, {"Dy", dec("5")}, {"Nd", dec("5")}},
				Months:   months("10", "20")},
			{Scenario: Scenario{ID: "B", Prior: dec("0.5")}, Probability: dec("0.4"), AnnualDelta: dec("-50"), HorizonDelta: dec("-100"),
				Split:    Split{dec("-30"), dec("-10"), dec("-5"), dec("-5")},
				Products: []ProductDelta{{Product: "P1", UnitDelta: dec("-0.25"), AnnualDelta: dec("-60"), UnitsAtRisk: dec("7.4")}},
				Elements: []ElementDelta{{"Dy", dec("10")}},
				Months:   months("-5", "-10", "-15")},
		},
		ExpectedAnnualDelta: dec("40"), // 0.6·100 + 0.4·(−50)
		Elements: []ElementExposure{
			{Element: "Nd", AnnualKg: dec("1.5"), ByClass: [NumClasses]decimal.Decimal{dec("1"), dec("0.5"), dec("0")}},
			{Element: "Dy", AnnualKg: dec("0.25"), ByClass: [NumClasses]decimal.Decimal{dec("0.05"), dec("0.1"), dec("0.1")}},
			{Element: "Sm", AnnualKg: dec("2"), ByClass: [NumClasses]decimal.Decimal{dec("0"), dec("0"), dec("2")}},
		},
	}
}

func wantDec(t *testing.T, what string, got decimal.Decimal, want string) {
	t.Helper()
	if !got.Equal(dec(want)) {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

func TestWeighExpected(t *testing.T) {
	r := weighFixture()
	r.Weigh()
	e := r.Expected
	wantDec(t, "Prior", e.Prior, "1")              // 0.5 + 0.5
	wantDec(t, "Probability", e.Probability, "1")  // 0.6 + 0.4
	wantDec(t, "Horizon", e.Horizon, "110")        // 0.6·250 + 0.4·(−100) = 150 − 40
	wantDec(t, "Split.Price", e.Split.Price, "24") // 36 − 12
	wantDec(t, "Split.Shortage", e.Split.Shortage, "8")
	wantDec(t, "Split.Carrying", e.Split.Carrying, "4")
	wantDec(t, "Split.Tariff", e.Split.Tariff, "4")
	// 40 / 1100 = 0.0363636…, to 6 places.
	wantDec(t, "Share", e.Share, "0.036364")
	if !e.HasShare {
		t.Error("HasShare = false with a baseline of 1100")
	}
	// B runs three months: the third is B's alone, 0.4·(−15).
	want := []struct{ month, delta string }{{"2026-01", "4"}, {"2026-02", "8"}, {"2026-03", "-6"}}
	if len(e.Months) != len(want) {
		t.Fatalf("%d months, want %d", len(e.Months), len(want))
	}
	for i, w := range want {
		if e.Months[i].Month != w.month {
			t.Errorf("Months[%d] = %s, want %s", i, e.Months[i].Month, w.month)
		}
		wantDec(t, "Months["+w.month+"]", e.Months[i].Delta, w.delta)
	}
}

func TestWeighProducts(t *testing.T) {
	r := weighFixture()
	r.Weigh()
	cases := []struct {
		product                   string
		unit, annual, worst, risk string
		scenarios                 int
	}{
		// 0.6·0.5 + 0.4·(−0.25); 0.6·80 + 0.4·(−60); max(80, −60); max(3, 7.4)
		{"P1", "0.2", "24", "80", "7.4", 2},
		// A alone: 0.6·0.1, 0.6·20; its own 20 is the worst; no units at risk
		{"P2", "0.06", "12", "20", "0", 1},
		{"P3", "0", "0", "0", "0", 0},
	}
	for i, tc := range cases {
		t.Run(tc.product, func(t *testing.T) {
			o := r.Products[i].Outlook
			wantDec(t, "ExpectedUnitDelta", o.ExpectedUnitDelta, tc.unit)
			wantDec(t, "ExpectedAnnualDelta", o.ExpectedAnnualDelta, tc.annual)
			wantDec(t, "WorstAnnualDelta", o.WorstAnnualDelta, tc.worst)
			wantDec(t, "UnitsAtRisk", o.UnitsAtRisk, tc.risk)
			if o.Scenarios != tc.scenarios {
				t.Errorf("Scenarios = %d, want %d", o.Scenarios, tc.scenarios)
			}
		})
	}
}

func TestWeighTotals(t *testing.T) {
	r := weighFixture()
	r.Weigh()
	tot := r.Totals
	wantDec(t, "BaselineAnnual", tot.BaselineAnnual, "1100") // 10·100 + 2.5·40 + 0·1
	if tot.Worst != 0 {
		t.Errorf("Worst = %d, want 0 (A: 100 > −50)", tot.Worst)
	}
	// Nd: 50 + 5 in A, none in B; Dy 5 and 10; Sm in neither.
	for i, want := range [][2]string{{"55", "0"}, {"5", "10"}, {"0", "0"}} {
		e := r.Elements[i]
		wantDec(t, e.Element+" PriceDelta[A]", e.PriceDelta[0], want[0])
		wantDec(t, e.Element+" PriceDelta[B]", e.PriceDelta[1], want[1])
	}
	wantDec(t, "Elements.AnnualKg", tot.Elements.AnnualKg, "3.75") // 1.5 + 0.25 + 2
	wantDec(t, "Elements.ByClass[direct]", tot.Elements.ByClass[ClassDirect], "1.05")
	wantDec(t, "Elements.ByClass[upstream]", tot.Elements.ByClass[ClassUpstream], "0.6")
	wantDec(t, "Elements.ByClass[free]", tot.Elements.ByClass[ClassFree], "2.1")
	wantDec(t, "Elements.PriceDelta[A]", tot.Elements.PriceDelta[0], "60")
	wantDec(t, "Elements.PriceDelta[B]", tot.Elements.PriceDelta[1], "10")
}

func TestWeighWorstNone(t *testing.T) {
	r := weighFixture()
	for i := range r.Scenarios {
		r.Scenarios[i].AnnualDelta = decimal.Zero
	}
	r.Products = r.Products[2:] // P3 alone: no baseline
	r.Weigh()
	if r.Totals.Worst != -1 {
		t.Errorf("Worst = %d with no scenario changing the cost, want -1", r.Totals.Worst)
	}
	if r.Expected.HasShare || !r.Expected.Share.IsZero() {
		t.Errorf("Share = %s (HasShare %v) with a baseline of 0", r.Expected.Share, r.Expected.HasShare)
	}
	r.Scenarios = nil
	r.Weigh()
	if r.Totals.Worst != -1 || len(r.Expected.Months) != len(r.Months) {
		t.Errorf("no scenarios: Worst = %d, %d months, want -1 and %d", r.Totals.Worst, len(r.Expected.Months), len(r.Months))
	}
}

// TestComputeWeighs checks that Compute sets the figures. P1 is 1200 a
// year (100 a month) of one part holding 0.5 kg of Nd, made in CN at 50:
// the baseline is 60,000 a year. Scenario up20 (prior 0.75) lifts the
// China price of 100 by 20%, 10 a part, 1,000 a month; up40 (0.25) by
// 40%, 2,000 a month. Expected: 1,250 a month, 15,000 a year (a quarter
// of the baseline), 30,000 over the 24 months.
func TestComputeWeighs(t *testing.T) {
	a := scen("up20", "0", []Control{uplift("Nd", ClassDirect, "20")}, nil)
	a.Prior = dec("0.75")
	b := scen("up40", "0", []Control{uplift("Nd", ClassDirect, "40")}, nil)
	b.Prior = dec("0.25")
	r, err := Compute(oneLine("1", "Nd=0.5", "", "", []Source{src("CN/CN/CN/CN", "50")}, a, b))
	if err != nil {
		t.Fatal(err)
	}
	wantDec(t, "ExpectedAnnualDelta", r.ExpectedAnnualDelta, "15000")
	wantDec(t, "Expected.Horizon", r.Expected.Horizon, "30000")
	wantDec(t, "Expected.Split.Price", r.Expected.Split.Price, "15000")
	wantDec(t, "Expected.Share", r.Expected.Share, "0.25")
	if len(r.Expected.Months) != 24 {
		t.Fatalf("%d expected months, want 24", len(r.Expected.Months))
	}
	wantDec(t, "Expected.Months[24]", r.Expected.Months[23].Delta, "1250")
	wantDec(t, "Totals.BaselineAnnual", r.Totals.BaselineAnnual, "60000")
	if r.Totals.Worst != 1 {
		t.Errorf("Totals.Worst = %d, want 1 (up40)", r.Totals.Worst)
	}
	o := r.Products[0].Outlook
	wantDec(t, "P1 ExpectedUnitDelta", o.ExpectedUnitDelta, "12.5") // 0.75·10 + 0.25·20
	wantDec(t, "P1 WorstAnnualDelta", o.WorstAnnualDelta, "24000")
	wantDec(t, "Nd PriceDelta[up40]", r.Elements[0].PriceDelta[1], "24000")
	wantDec(t, "Totals.Elements.AnnualKg", r.Totals.Elements.AnnualKg, "600") // 0.5 kg · 1200
}

func TestPlanTally(t *testing.T) {
	p := &Plan{Lines: []LinePlan{
		{Changed: true, QualificationMonth: 4, PaybackMonth: 6, HorizonSaving: dec("100")},  // pays back
		{Changed: true, QualificationMonth: 2, PaybackMonth: 5, HorizonSaving: dec("-10")},  // lost again by the end
		{Changed: false, QualificationMonth: 1, PaybackMonth: 3, HorizonSaving: dec("50")},  // kept: not counted
		{Changed: true, QualificationMonth: 7, PaybackMonth: 0, HorizonSaving: dec("-200")}, // never
	}}
	p.Tally()
	if p.PaidBack != 1 || p.FirstEffect != 2 || p.LastEffect != 7 {
		t.Errorf("PaidBack, FirstEffect, LastEffect = %d, %d, %d, want 1, 2, 7", p.PaidBack, p.FirstEffect, p.LastEffect)
	}
	p.Lines = p.Lines[2:3]
	p.Tally()
	if p.PaidBack != 0 || p.FirstEffect != 0 || p.LastEffect != 0 {
		t.Errorf("no changed line: %d, %d, %d, want 0, 0, 0", p.PaidBack, p.FirstEffect, p.LastEffect)
	}
}
