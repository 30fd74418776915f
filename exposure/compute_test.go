package exposure

// The expected figures of these tests are worked by hand from SPEC
// sections 3–5, in the comment beside each case; none was obtained by
// running Compute. Most fixtures use an annual volume of 1200, so that
// V/12 = 100 units a month and every month is an exact decimal.

import (
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// ---------------------------------------------------------------------------
// Fixture helpers.

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func fixed(s string) Param { return Fixed(dec(s)) }

func rel(n int) Month { return Month{Relative: n} }

// cal parses "2026-11" into a calendar Month.
func cal(s string) Month {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		panic(err)
	}
	return Month{Year: t.Year(), Month: t.Month()}
}

// at parses "mine/separation/metal/component" countries; "?" is unknown.
func at(s string) [NumStages]string {
	parts := strings.Split(s, "/")
	if len(parts) != NumStages {
		panic("at: want four stages: " + s)
	}
	var c [NumStages]string
	for i, p := range parts {
		if p != "?" {
			c[i] = p
		}
	}
	return c
}

func src(countries, cost string) Source {
	return Source{Supplier: "S-" + countries, Share: dec("1"), Countries: CountriesOf(at(countries)), UnitCost: dec(cost)}
}

func share(s Source, x string) Source { s.Share = dec(x); return s }

// content parses "Nd=0.5,Dy=0.05" (kg per unit of the part).
func content(s string) []ElementMass {
	if s == "" {
		return nil
	}
	var out []ElementMass
	for _, kv := range strings.Split(s, ",") {
		e, kg, _ := strings.Cut(kv, "=")
		out = append(out, ElementMass{Element: e, Kg: dec(kg)})
	}
	return out
}

// ctl is a Controls row. elems is "*" or a comma list of symbols.
func ctl(elems string, class Class, uplift, avail, delay string) Control {
	c := Control{Class: class, Uplift: fixed(uplift), Availability: fixed(avail), Delay: fixed(delay)}
	if elems == "*" {
		c.AllElements = true
	} else {
		c.Elements = strings.Split(elems, ",")
	}
	return c
}

// uplift is a Controls row that only raises prices (availability 100, no delay).
func uplift(elems string, class Class, pct string) Control { return ctl(elems, class, pct, "100", "0") }

func during(c Control, from, to Month) Control { c.From, c.To = from, to; return c }

func tar(imp, origin, material, hs, pct string) Tariff {
	return Tariff{ImportCountry: imp, Origin: origin, Material: material, HSPrefix: hs, Pct: fixed(pct)}
}

func tarDuring(t Tariff, from, to Month) Tariff { t.From, t.To = from, to; return t }

// scen is a scenario controlled by CN with prior 1; rows get Refs
// Controls!2, Controls!3, ... and Tariffs!2, ... in order.
func scen(id, spot string, controls []Control, tariffs []Tariff) Scenario {
	for i := range controls {
		if controls[i].Ref == "" {
			controls[i].Ref = fmt.Sprintf("Controls!%d", i+2)
		}
	}
	for i := range tariffs {
		if tariffs[i].Ref == "" {
			tariffs[i].Ref = fmt.Sprintf("Tariffs!%d", i+2)
		}
	}
	return Scenario{ID: id, Name: id, Stance: "tightening", Prior: dec("1"), Country: "CN",
		SpotPremium: fixed(spot), Controls: controls, Tariffs: tariffs}
}

// testPrices are already in the report currency.
//
//	Nd: China 100, ex-China 130
//	Dy: China 400, ex-China 0 (so free falls back to 400)
//	Pr: China 80,  ex-China 100
//	Tb: China 1000, ex-China 1500
//
// Co (cobalt) has no price on purpose.
func testPrices() map[string]Price {
	p := func(e, cn, ex string) Price {
		return Price{Element: e, China: dec(cn), ExChina: dec(ex), USDChina: dec(cn), USDExChina: dec(ex), AsOf: "2025-12", Source: "test"}
	}
	return map[string]Price{
		"Nd": p("Nd", "100", "130"),
		"Dy": p("Dy", "400", "0"),
		"Pr": p("Pr", "80", "100"),
		"Tb": p("Tb", "1000", "1500"),
	}
}

// testStageShares: CN's share of world output, s_mine = 0.69,
// s_separation = 0.91, s_metal = 0.90, s_component = 0.94 (plus rows for
// other countries, which must not be used for CN).
func testStageShares() []StageShare {
	return []StageShare{
		{Stage: StageMine, Country: "CN", Share: dec("0.69")},
		{Stage: StageMine, Country: "AU", Share: dec("0.10")},
		{Stage: StageSeparation, Country: "CN", Share: dec("0.91")},
		{Stage: StageMetal, Country: "CN", Share: dec("0.90")},
		{Stage: StageComponent, Country: "CN", Share: dec("0.94")},
		{Stage: StageComponent, Country: "JP", Share: dec("0.03")},
	}
}

func testSettings() Settings {
	return Settings{
		Currency: "USD", ImportCountry: "US", ControllingCountry: "CN",
		Start: Month{Year: 2026, Month: time.January}, Horizon: 24,
		CarryingRate: dec("25"), UnknownOrigin: UnknownWorld, CountryCap: dec("65"),
		Objective: "expected", Rollup: RollupLeaves, Draws: 100, Seed: 1,
		AsOf: time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC),
	}
}

// oneLine is product P1 (1200 a year) with one top-level line MAG.
func oneLine(qty, elems string, hs, material string, sources []Source, scenarios ...Scenario) Input {
	return Input{
		BOM: BOM{
			Products: []Product{{ID: "P1", Name: "Product 1", AnnualVolume: dec("1200")}},
			Lines: []Line{{Product: "P1", PartNumber: "MAG", Parent: -1, QtyPer: dec(qty), UOM: "EA",
				Material: material, HSCode: hs, Content: content(elems), Sources: sources, Row: 2}},
		},
		Scenarios:   scenarios,
		Prices:      testPrices(),
		Materials:   map[string]Material{},
		StageShares: testStageShares(),
		Settings:    testSettings(),
	}
}

func withSettings(in Input, f func(*Settings)) Input { f(&in.Settings); return in }

// ---------------------------------------------------------------------------
// Checks.

// partSnap is a copy of one PartRow, taken inside the Parts callback.
type partSnap struct {
	row    PartRow
	deltas []PartDelta
}

// view is a Result plus a snapshot of its Parts, keyed "product/part".
type view struct {
	*Result
	parts map[string]partSnap
	order []string
}

func snapshot(t *testing.T, r *Result) view {
	t.Helper()
	v := view{Result: r, parts: map[string]partSnap{}}
	err := r.Parts(func(p PartRow) error {
		key := p.Line.Product + "/" + p.Line.PartNumber
		v.parts[key] = partSnap{row: p, deltas: append([]PartDelta(nil), p.Deltas...)}
		v.order = append(v.order, key)
		return nil
	})
	if err != nil {
		t.Fatalf("Parts: %v", err)
	}
	return v
}

// check is one expected figure. A want starting with "~" is compared
// after rounding to 6 places (a division by 12 or 365 that does not end
// entered it); otherwise the comparison is exact.
type check struct {
	field string
	get   func(v view) decimal.Decimal
	want  string
}

func annual(s int, want string) check {
	return check{fmt.Sprintf("scenario[%d].annual_delta", s), func(v view) decimal.Decimal { return v.Scenarios[s].AnnualDelta }, want}
}

func horizon(s int, want string) check {
	return check{fmt.Sprintf("scenario[%d].horizon_delta", s), func(v view) decimal.Decimal { return v.Scenarios[s].HorizonDelta }, want}
}

func splitOf(s int, part string, want string) check {
	return check{fmt.Sprintf("scenario[%d].split.%s", s, part), func(v view) decimal.Decimal {
		sp := v.Scenarios[s].Split
		switch part {
		case "price":
			return sp.Price
		case "shortage":
			return sp.Shortage
		case "carrying":
			return sp.Carrying
		case "tariff":
			return sp.Tariff
		}
		panic("unknown split part " + part)
	}, want}
}

func monthDelta(s, t int, want string) check {
	return check{fmt.Sprintf("scenario[%d].months[%d].delta", s, t), func(v view) decimal.Decimal { return v.Scenarios[s].Months[t-1].Delta }, want}
}

func unitDelta(s int, product, want string) check {
	return check{fmt.Sprintf("scenario[%d].products[%s].unit_delta", s, product), func(v view) decimal.Decimal {
		return productDelta(v, s, product).UnitDelta
	}, want}
}

func unitsAtRisk(s int, product, want string) check {
	return check{fmt.Sprintf("scenario[%d].products[%s].units_at_risk", s, product), func(v view) decimal.Decimal {
		return productDelta(v, s, product).UnitsAtRisk
	}, want}
}

// partValue checks B of a part (SPEC section 3).
func partValue(key, want string) check {
	return check{fmt.Sprintf("parts[%s].material_value", key), func(v view) decimal.Decimal {
		return v.parts[key].row.MaterialValue
	}, want}
}

func productAnnual(s int, product, want string) check {
	return check{fmt.Sprintf("scenario[%d].products[%s].annual_delta", s, product), func(v view) decimal.Decimal {
		return productDelta(v, s, product).AnnualDelta
	}, want}
}

func productDelta(v view, s int, product string) ProductDelta {
	for _, p := range v.Scenarios[s].Products {
		if p.Product == product {
			return p
		}
	}
	panic("no product " + product)
}

func baseline(product, want string) check {
	return check{fmt.Sprintf("products[%s].baseline_unit_cost", product), func(v view) decimal.Decimal {
		for _, p := range v.Products {
			if p.ID == product {
				return p.BaselineUnitCost
			}
		}
		panic("no product " + product)
	}, want}
}

func elementDelta(s int, el, want string) check {
	return check{fmt.Sprintf("scenario[%d].elements[%s].annual_delta", s, el), func(v view) decimal.Decimal {
		for _, e := range v.Scenarios[s].Elements {
			if e.Element == el {
				return e.AnnualDelta
			}
		}
		panic("no element " + el)
	}, want}
}

func expected(want string) check {
	return check{"expected_annual_delta", func(v view) decimal.Decimal { return v.ExpectedAnnualDelta }, want}
}

// exposureKg reads Result.Elements: class "" is the annual total.
func exposureKg(el string, class string, want string) check {
	return check{fmt.Sprintf("exposure.elements[%s].%s_kg", el, strings.TrimSuffix("annual_"+class, "_")), func(v view) decimal.Decimal {
		for _, e := range v.Elements {
			if e.Element != el {
				continue
			}
			switch class {
			case "":
				return e.AnnualKg
			case "direct":
				return e.ByClass[ClassDirect]
			case "upstream":
				return e.ByClass[ClassUpstream]
			case "free":
				return e.ByClass[ClassFree]
			case "china_price":
				return e.ChinaPrice
			}
		}
		panic("no element " + el)
	}, want}
}

// stage reads Result.Stages; what is "share", "kg" or "hhi".
func stage(g Stage, country, what, want string) check {
	return check{fmt.Sprintf("exposure.stages[%s,%q].%s", g, country, what), func(v view) decimal.Decimal {
		for _, sc := range v.Stages {
			if sc.Stage == g && sc.Country == country {
				switch what {
				case "share":
					return sc.Share
				case "kg":
					return sc.Kg
				case "hhi":
					return sc.HHI
				}
			}
		}
		panic(fmt.Sprintf("no stage row %s/%q", g, country))
	}, want}
}

// part reads a Parts row: what is "qty", "annual_qty", "unit_cost",
// "unit_delta", "annual_delta", "level", "cost_bearing" (1/0), or
// "p_direct"/"p_upstream"/"p_free". s is the scenario for the deltas.
func part(key string, s int, what, want string) check {
	return check{fmt.Sprintf("parts[%s].%s", key, what), func(v view) decimal.Decimal {
		p, ok := v.parts[key]
		if !ok {
			panic("no Parts row " + key)
		}
		switch what {
		case "qty":
			return p.row.Qty
		case "annual_qty":
			return p.row.AnnualQty
		case "unit_cost":
			return p.row.UnitCost
		case "unit_delta":
			return p.deltas[s].UnitDelta
		case "annual_delta":
			return p.deltas[s].AnnualDelta
		case "level":
			return decimal.NewFromInt(int64(p.row.Level))
		case "cost_bearing":
			if p.row.CostBearing {
				return decimal.NewFromInt(1)
			}
			return decimal.Zero
		case "p_direct":
			return p.row.ClassProb[ClassDirect]
		case "p_upstream":
			return p.row.ClassProb[ClassUpstream]
		case "p_free":
			return p.row.ClassProb[ClassFree]
		}
		panic("unknown Parts field " + what)
	}, want}
}

// partsCount checks how many rows Parts yielded.
func partsCount(want string) check {
	return check{"len(parts)", func(v view) decimal.Decimal { return decimal.NewFromInt(int64(len(v.parts))) }, want}
}

func (c check) run(t *testing.T, name string, v view) {
	t.Helper()
	var got decimal.Decimal
	var missing any
	func() {
		defer func() { missing = recover() }()
		got = c.get(v)
	}()
	if missing != nil {
		t.Errorf("Compute(case=%s) %s: not in the result (%v)", name, c.field, missing)
		return
	}
	want, approx := c.want, false
	if strings.HasPrefix(want, "~") {
		want, approx = want[1:], true
	}
	w := dec(want)
	g := got
	if approx {
		g = got.Round(6)
	}
	if !g.Equal(w) {
		t.Errorf("Compute(case=%s) %s = %s, want %s", name, c.field, got.String(), c.want)
	}
}

// near compares after rounding both to 6 places.
func near(a, b decimal.Decimal) bool { return a.Round(6).Equal(b.Round(6)) }

// checkInvariants verifies what must hold for every result: the split
// adds up to the annual delta, products and months add up to the
// scenario, elements add up to the price part, and each product's Parts
// rows add up to the product.
func checkInvariants(t *testing.T, name string, v view) {
	t.Helper()
	if len(v.Months) != v.Settings.Horizon {
		t.Errorf("Compute(case=%s) len(months) = %d, want %d", name, len(v.Months), v.Settings.Horizon)
	}
	for s, sr := range v.Scenarios {
		if !near(sr.Split.Total(), sr.AnnualDelta) {
			t.Errorf("Compute(case=%s) scenario[%d] split total = %s, want annual_delta %s", name, s, sr.Split.Total(), sr.AnnualDelta)
		}
		var prod, prodPrice, months, hz, elems decimal.Decimal
		for _, p := range sr.Products {
			prod = prod.Add(p.AnnualDelta)
			prodPrice = prodPrice.Add(p.Split.Price)
			if !near(p.Split.Total(), p.AnnualDelta) {
				t.Errorf("Compute(case=%s) scenario[%d] product %s split total = %s, want %s", name, s, p.Product, p.Split.Total(), p.AnnualDelta)
			}
		}
		if !near(prod, sr.AnnualDelta) || !near(prodPrice, sr.Split.Price) {
			t.Errorf("Compute(case=%s) scenario[%d] Σ products = %s (price %s), want %s (price %s)", name, s, prod, prodPrice, sr.AnnualDelta, sr.Split.Price)
		}
		if len(sr.Months) != v.Settings.Horizon {
			t.Errorf("Compute(case=%s) scenario[%d] len(months) = %d, want %d", name, s, len(sr.Months), v.Settings.Horizon)
			continue
		}
		for i, m := range sr.Months {
			if i < 12 {
				months = months.Add(m.Delta)
			}
			hz = hz.Add(m.Delta)
			if m.Month != v.Months[i] {
				t.Errorf("Compute(case=%s) scenario[%d] months[%d].month = %s, want %s", name, s, i+1, m.Month, v.Months[i])
			}
		}
		if !near(months, sr.AnnualDelta) {
			t.Errorf("Compute(case=%s) scenario[%d] Σ months 1..12 = %s, want annual_delta %s", name, s, months, sr.AnnualDelta)
		}
		if !near(hz, sr.HorizonDelta) {
			t.Errorf("Compute(case=%s) scenario[%d] Σ months 1..H = %s, want horizon_delta %s", name, s, hz, sr.HorizonDelta)
		}
		for _, e := range sr.Elements {
			elems = elems.Add(e.AnnualDelta)
		}
		if !near(elems, sr.Split.Price) {
			t.Errorf("Compute(case=%s) scenario[%d] Σ elements = %s, want split.price %s", name, s, elems, sr.Split.Price)
		}
		// Parts add up to each product's annual delta, part by part.
		byProduct := map[string]Split{}
		for _, key := range v.order {
			p := v.parts[key]
			byProduct[p.row.Line.Product] = byProduct[p.row.Line.Product].Add(p.deltas[s].Split)
			if !near(p.deltas[s].Split.Total(), p.deltas[s].AnnualDelta) {
				t.Errorf("Compute(case=%s) scenario[%d] parts[%s] split total = %s, want %s", name, s, key, p.deltas[s].Split.Total(), p.deltas[s].AnnualDelta)
			}
		}
		for _, p := range sr.Products {
			got := byProduct[p.Product]
			if !near(got.Total(), p.AnnualDelta) || !near(got.Price, p.Split.Price) || !near(got.Shortage, p.Split.Shortage) ||
				!near(got.Carrying, p.Split.Carrying) || !near(got.Tariff, p.Split.Tariff) {
				t.Errorf("Compute(case=%s) scenario[%d] Σ parts of %s = %+v, want %+v", name, s, p.Product, got, p.Split)
			}
		}
	}
}

type computeCase struct {
	name   string
	in     Input
	want   []check
	err    error    // a sentinel the error must match; nil: success
	errHas []string // text the error must contain (the rows' Refs)
}

func runCases(t *testing.T, cases []computeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var r *Result
			var err error
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("Compute(case=%s) panicked: %v", tc.name, p)
					}
				}()
				r, err = Compute(tc.in)
			}()
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("Compute(case=%s) error = %v, want %v", tc.name, err, tc.err)
				}
				if r != nil {
					t.Errorf("Compute(case=%s) returned a result with error %v", tc.name, err)
				}
				for _, s := range tc.errHas {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("Compute(case=%s) error %q does not name %s", tc.name, err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Compute(case=%s) error = %v, want none", tc.name, err)
			}
			v := snapshot(t, r)
			for _, c := range tc.want {
				c.run(t, tc.name, v)
			}
			checkInvariants(t, tc.name, v)
		})
	}
}

// ---------------------------------------------------------------------------
// Cost model, term by term (SPEC section 5).

// The line of these cases: product P1, 1200 a year; MAG, qty 2 per
// product, 0.5 kg Nd and 0.05 kg Dy per magnet, unit cost 50. It names
// no material, so the value of its rare-earth material is the content's
// at China prices: B = 0.5·100 + 0.05·400 = 70, the base of shortage and
// carrying (SPEC section 5). Every
// per-magnet figure x that holds for all months gives
//
//	unit_delta (per product, month 1)  = 2·x
//	month                              = V/12 · 2·x = 200·x
//	annual (12 months)                 = 2400·x
//	horizon (24 months)                = 4800·x
func TestComputeCostModel(t *testing.T) {
	const mag = "Nd=0.5,Dy=0.05"
	cn := []Source{src("CN/CN/CN/CN", "50")}
	ndDy50 := []Control{uplift("Nd,Dy", AnyClass, "50")}
	cases := []computeCase{
		{
			// U = 0.5·100·50% + 0.05·400·50% = 25 + 10 = 35 per magnet.
			name: "price-direct-uses-china-price",
			in:   oneLine("2", mag, "", "", cn, scen("s", "0", ndDy50, nil)),
			want: []check{unitDelta(0, "P1", "70"), annual(0, "84000"), horizon(0, "168000"),
				splitOf(0, "price", "84000"), splitOf(0, "shortage", "0"), splitOf(0, "carrying", "0"), splitOf(0, "tariff", "0"),
				// Nd 25·2400 = 60000, Dy 10·2400 = 24000.
				elementDelta(0, "Nd", "60000"), elementDelta(0, "Dy", "24000"), monthDelta(0, 1, "7000"), monthDelta(0, 24, "7000"),
				baseline("P1", "100")},
		},
		{
			// Mining and separation in CN, metal and magnet in JP: upstream,
			// still the China-origin price: U = 35 as above.
			name: "price-upstream-uses-china-price",
			in:   oneLine("2", mag, "", "", []Source{src("CN/CN/JP/JP", "50")}, scen("s", "0", ndDy50, nil)),
			want: []check{unitDelta(0, "P1", "70"), annual(0, "84000"), elementDelta(0, "Nd", "60000"), elementDelta(0, "Dy", "24000")},
		},
		{
			// Free: ex-China prices. Nd 0.5·130·50% = 32.5; Dy has no
			// ex-China quote, so China's 400: 0.05·400·50% = 10. U = 42.5.
			name: "price-free-uses-exchina-falling-back-to-china",
			in:   oneLine("2", mag, "", "", []Source{src("AU/MY/JP/JP", "50")}, scen("s", "0", ndDy50, nil)),
			want: []check{unitDelta(0, "P1", "85"), annual(0, "102000"), splitOf(0, "price", "102000"),
				elementDelta(0, "Nd", "78000"), elementDelta(0, "Dy", "24000")},
		},
		{
			// Easing: uplift −20%. U = 0.5·100·(−0.2) + 0.05·400·(−0.2) = −10 − 4 = −14.
			name: "price-negative-uplift-easing",
			in:   oneLine("2", mag, "", "", cn, scen("s", "0", []Control{uplift("Nd,Dy", AnyClass, "-20")}, nil)),
			want: []check{unitDelta(0, "P1", "-28"), annual(0, "-33600"), elementDelta(0, "Nd", "-24000"), elementDelta(0, "Dy", "-9600")},
		},
		{
			// a_Nd = 0.8, a_Dy = 0.5, a_j = min = 0.5; spot premium 40%:
			// S = B·(1 − 0.5)·0.40 = 70·0.2 = 14 per magnet, not 40% of the
			// unit cost. Units at risk: r = 1 − 0.5 every month, so
			// V/12·12·0.5 = 100·12·0.5 = 600 products.
			name: "shortage-least-available-element-times-spot-premium",
			in: oneLine("2", mag, "", "", cn, scen("s", "40", []Control{
				ctl("Nd", AnyClass, "0", "80", "0"), ctl("Dy", AnyClass, "0", "50", "0")}, nil)),
			want: []check{unitDelta(0, "P1", "28"), annual(0, "33600"), horizon(0, "67200"),
				splitOf(0, "shortage", "33600"), splitOf(0, "price", "0"), elementDelta(0, "Nd", "0"),
				unitsAtRisk(0, "P1", "600"), partValue("P1/MAG", "70")},
		},
		{
			// A line without rare-earth content: a_j = 1 even when `*`
			// allows 0% availability, so S = 0.
			name: "shortage-no-content-means-fully-available",
			in:   oneLine("2", "", "", "", cn, scen("s", "40", []Control{ctl("*", AnyClass, "50", "0", "90")}, nil)),
			want: []check{annual(0, "0"), splitOf(0, "shortage", "0"), splitOf(0, "carrying", "0"), baseline("P1", "100"),
				unitsAtRisk(0, "P1", "0"), partValue("P1/MAG", "0")},
		},
		{
			// d_Nd = 30, d_Dy = 73, d_j = max = 73 days; carrying 25% a year:
			// D = B·25/100·73/365 = 70·0.25·0.2 = 3.5 per magnet.
			name: "carrying-longest-delay-at-carrying-rate",
			in: oneLine("2", mag, "", "", cn, scen("s", "0", []Control{
				ctl("Nd", AnyClass, "0", "100", "30"), ctl("Dy", AnyClass, "0", "100", "73")}, nil)),
			want: []check{unitDelta(0, "P1", "7"), annual(0, "8400"), horizon(0, "16800"), splitOf(0, "carrying", "8400")},
		},
		{
			// D = 70·0.25·30/365 = 105/73 = 1.4383561643...; per product
			// 210/73 = 2.8767123287...; annual 210/73·1200 = 252000/73 =
			// 3452.0547945205...; horizon 504000/73 = 6904.1095890410...
			name: "carrying-divides-by-365",
			in:   oneLine("2", mag, "", "", cn, scen("s", "0", []Control{ctl("Nd", AnyClass, "0", "100", "30")}, nil)),
			want: []check{unitDelta(0, "P1", "~2.876712"), annual(0, "~3452.054795"), horizon(0, "~6904.109589"), splitOf(0, "carrying", "~3452.054795")},
		},
		{
			// Carrying rate 10%: D = 70·0.10·73/365 = 1.4 per magnet.
			name: "carrying-uses-settings-rate",
			in: withSettings(oneLine("2", mag, "", "", cn, scen("s", "0", []Control{ctl("Nd,Dy", AnyClass, "0", "100", "73")}, nil)),
				func(s *Settings) { s.CarryingRate = dec("10") }),
			want: []check{unitDelta(0, "P1", "2.8"), annual(0, "3360")},
		},
		{
			// T = 50·25/100 = 12.5 per magnet.
			name: "tariff-percent-of-unit-cost",
			in:   oneLine("2", mag, "", "", cn, scen("s", "0", nil, []Tariff{tar("US", "CN", "", "", "25")})),
			want: []check{unitDelta(0, "P1", "25"), annual(0, "30000"), splitOf(0, "tariff", "30000"), splitOf(0, "price", "0")},
		},
		{
			// All four at once, uplift 50, availability 80, delay 73, spot 40, tariff 25:
			// price 35; shortage on B: 70·0.2·0.4 = 5.6; carrying 70·0.25·0.2 =
			// 3.5; tariff on the unit cost: 50·0.25 = 12.5; Δ = 56.6 per magnet,
			// 113.2 per product, 2400·56.6 = 135840 a year.
			name: "all-four-terms-add-up",
			in: oneLine("2", mag, "", "", cn, scen("s", "40", []Control{ctl("Nd,Dy", AnyClass, "50", "80", "73")},
				[]Tariff{tar("US", "CN", "", "", "25")})),
			want: []check{unitDelta(0, "P1", "113.2"), annual(0, "135840"), horizon(0, "271680"),
				splitOf(0, "price", "84000"), splitOf(0, "shortage", "13440"), splitOf(0, "carrying", "8400"), splitOf(0, "tariff", "30000")},
		},
	}
	runCases(t, cases)
}

// FX: exposure receives prices already in the report currency (inputs
// converts). Price.China must be used as given, never USDChina.
func TestComputePriceInReportCurrencyAsGiven(t *testing.T) {
	in := oneLine("1", "Nd=1", "", "", []Source{src("CN/CN/CN/CN", "50")}, scen("s", "0", []Control{uplift("Nd", AnyClass, "10")}, nil))
	in.Settings.Currency = "EUR"
	in.Prices = map[string]Price{"Nd": {Element: "Nd", China: dec("123.45"), ExChina: dec("150"), USDChina: dec("999"), USDExChina: dec("999")}}
	runCases(t, []computeCase{{
		// U = 1·123.45·10% = 12.345 per unit; annual 12.345·1200 = 14814.
		name: "fx-china-price-used-as-given",
		in:   in,
		want: []check{unitDelta(0, "P1", "12.345"), annual(0, "14814"), exposureKg("Nd", "china_price", "123.45")},
	}})
}

// ---------------------------------------------------------------------------
// Exposure classes (SPEC section 3), all stages known.

// MAG: qty 2, 1 kg Nd; Controls give Nd a different uplift per class:
// direct 10% → 1·100·0.1 = 10, upstream 20% → 20, free 30% on the ex-China
// price → 1·130·0.3 = 39 per magnet; annual = 2400·x; Nd 2400 kg a year.
func classControls() []Control {
	return []Control{uplift("Nd", ClassDirect, "10"), uplift("Nd", ClassUpstream, "20"), uplift("Nd", ClassFree, "30")}
}

func TestComputeClasses(t *testing.T) {
	jp := scen("jp", "0", classControls(), nil)
	jp.Country = "JP"
	cases := []computeCase{
		{
			name: "class-direct-component-in-C-only",
			in:   oneLine("2", "Nd=1", "", "", []Source{src("AU/MY/JP/CN", "50")}, scen("s", "0", classControls(), nil)),
			want: []check{annual(0, "24000"), unitDelta(0, "P1", "20"), exposureKg("Nd", "", "2400"),
				exposureKg("Nd", "direct", "2400"), exposureKg("Nd", "upstream", "0"), exposureKg("Nd", "free", "0"),
				part("P1/MAG", 0, "p_direct", "1")},
		},
		{
			name: "class-direct-every-stage-in-C",
			in:   oneLine("2", "Nd=1", "", "", []Source{src("CN/CN/CN/CN", "50")}, scen("s", "0", classControls(), nil)),
			want: []check{annual(0, "24000"), exposureKg("Nd", "direct", "2400")},
		},
		{
			name: "class-upstream-mining-in-C",
			in:   oneLine("2", "Nd=1", "", "", []Source{src("CN/MY/JP/JP", "50")}, scen("s", "0", classControls(), nil)),
			want: []check{annual(0, "48000"), exposureKg("Nd", "upstream", "2400"), exposureKg("Nd", "direct", "0"), part("P1/MAG", 0, "p_upstream", "1")},
		},
		{
			name: "class-upstream-separation-in-C",
			in:   oneLine("2", "Nd=1", "", "", []Source{src("AU/CN/JP/JP", "50")}, scen("s", "0", classControls(), nil)),
			want: []check{annual(0, "48000"), exposureKg("Nd", "upstream", "2400")},
		},
		{
			name: "class-upstream-metal-in-C",
			in:   oneLine("2", "Nd=1", "", "", []Source{src("AU/MY/CN/JP", "50")}, scen("s", "0", classControls(), nil)),
			want: []check{annual(0, "48000"), exposureKg("Nd", "upstream", "2400")},
		},
		{
			name: "class-free-no-stage-in-C",
			in:   oneLine("2", "Nd=1", "", "", []Source{src("AU/MY/JP/JP", "50")}, scen("s", "0", classControls(), nil)),
			want: []check{annual(0, "93600"), unitDelta(0, "P1", "78"), exposureKg("Nd", "free", "2400"), exposureKg("Nd", "direct", "0"),
				part("P1/MAG", 0, "p_free", "1")},
		},
		{
			// The scenario's own country is JP: the JP-made magnet is direct
			// for it (uplift 10% on the China-origin price = 10, annual
			// 24000), while the exposure figures use the settings' CN, for
			// which it is free.
			name: "class-scenario-uses-its-own-controlling-country",
			in:   oneLine("2", "Nd=1", "", "", []Source{src("AU/MY/JP/JP", "50")}, jp),
			want: []check{annual(0, "24000"), exposureKg("Nd", "free", "2400"), exposureKg("Nd", "direct", "0")},
		},
	}
	runCases(t, cases)
}

// ---------------------------------------------------------------------------
// Unknown origins (SPEC section 3), s_mine = 0.69, s_separation = 0.91,
// s_metal = 0.90, s_component = 0.94. Same line and controls as the classes.
func TestComputeUnknownOrigin(t *testing.T) {
	unknown := []Source{src("?/MY/JP/?", "50")}
	policy := func(in Input, p UnknownPolicy) Input { in.Settings.UnknownOrigin = p; return in }
	family := oneLine("2", "Nd=1", "", "NdFeB", unknown, scen("s", "0", classControls(), nil))
	family.Materials = map[string]Material{"NdFeB": {Code: "NdFeB", Family: "ndfeb", WtPct: map[string]decimal.Decimal{"Nd": dec("30")}}}
	family.StageShares = append(family.StageShares, StageShare{Stage: StageComponent, Family: "ndfeb", Country: "CN", Share: dec("0.5")})
	cases := []computeCase{
		{
			// Component and mine unknown, separation MY, metal JP.
			// P(direct) = s_component = 0.94.
			// P(any upstream in C) = 1 − (1 − 0.69) = 0.69 (only mining unknown).
			// P(upstream) = (1 − 0.94)·0.69 = 0.0414; P(free) = 1 − 0.94 − 0.0414 = 0.0186.
			// U = 0.94·10 + 0.0414·20 + 0.0186·39 = 9.4 + 0.828 + 0.7254 = 10.9534.
			// annual = 2400·10.9534 = 26288.16; kg 2400 split 2256 / 99.36 / 44.64.
			name: "world-component-and-mine-unknown",
			in:   oneLine("2", "Nd=1", "", "", unknown, scen("s", "0", classControls(), nil)),
			want: []check{unitDelta(0, "P1", "21.9068"), annual(0, "26288.16"),
				exposureKg("Nd", "", "2400"), exposureKg("Nd", "direct", "2256"), exposureKg("Nd", "upstream", "99.36"), exposureKg("Nd", "free", "44.64"),
				part("P1/MAG", 0, "p_direct", "0.94"), part("P1/MAG", 0, "p_upstream", "0.0414"), part("P1/MAG", 0, "p_free", "0.0186")},
		},
		{
			// Mine and separation unknown, metal JP, component unknown.
			// P(any upstream) = 1 − (1 − 0.69)(1 − 0.91) = 1 − 0.31·0.09 = 0.9721.
			// P(upstream) = 0.06·0.9721 = 0.058326; P(free) = 0.06 − 0.058326 = 0.001674.
			// U = 9.4 + 0.058326·20 + 0.001674·39 = 9.4 + 1.16652 + 0.065286 = 10.631806.
			// annual = 2400·10.631806 = 25516.3344.
			name: "world-two-upstream-stages-unknown-are-independent",
			in:   oneLine("2", "Nd=1", "", "", []Source{src("?/?/JP/?", "50")}, scen("s", "0", classControls(), nil)),
			want: []check{annual(0, "25516.3344"), exposureKg("Nd", "upstream", "139.9824"), exposureKg("Nd", "free", "4.0176")},
		},
		{
			// Mine known in CN: P(any upstream) = 1; P(direct) = 0.94,
			// P(upstream) = 0.06, P(free) = 0. U = 9.4 + 1.2 = 10.6 → 25440.
			name: "world-known-upstream-in-C",
			in:   oneLine("2", "Nd=1", "", "", []Source{src("CN/?/?/?", "50")}, scen("s", "0", classControls(), nil)),
			want: []check{annual(0, "25440"), exposureKg("Nd", "free", "0"), exposureKg("Nd", "upstream", "144")},
		},
		{
			// Component known elsewhere: P(direct) = 0; mine unknown:
			// P(upstream) = 0.69, P(free) = 0.31. U = 13.8 + 12.09 = 25.89 → 62136.
			name: "world-component-known-elsewhere",
			in:   oneLine("2", "Nd=1", "", "", []Source{src("?/MY/JP/JP", "50")}, scen("s", "0", classControls(), nil)),
			want: []check{annual(0, "62136"), exposureKg("Nd", "direct", "0"), exposureKg("Nd", "upstream", "1656"), exposureKg("Nd", "free", "744")},
		},
		{
			// Availability and delay are weighted by class too: direct 50%
			// and 30 days, upstream 80% and 10 days, free 100% and 0 days.
			// a = 0.94·0.5 + 0.0414·0.8 + 0.0186·1 = 0.47 + 0.03312 + 0.0186 = 0.52172;
			// B = 1 kg Nd at 100 = 100; S = 100·0.47828·0.40 = 19.1312 → 45914.88.
			// d = 0.94·30 + 0.0414·10 = 28.614 days; D = 100·0.25·28.614/365
			// → annual 2400·715.35/365 = 4703.6712328767...
			name: "world-weights-availability-and-delay",
			in: oneLine("2", "Nd=1", "", "", unknown, scen("s", "40", []Control{
				ctl("Nd", ClassDirect, "0", "50", "30"), ctl("Nd", ClassUpstream, "0", "80", "10"), ctl("Nd", ClassFree, "0", "100", "0")}, nil)),
			want: []check{splitOf(0, "shortage", "45914.88"), splitOf(0, "carrying", "~4703.671233"), annual(0, "~50618.551233")},
		},
		{
			// `controlling`: unknown stages are CN, so the magnet is direct: 24000.
			name: "controlling-treats-unknown-as-C",
			in:   policy(oneLine("2", "Nd=1", "", "", unknown, scen("s", "0", classControls(), nil)), UnknownControlling),
			want: []check{annual(0, "24000"), exposureKg("Nd", "direct", "2400"), part("P1/MAG", 0, "p_direct", "1")},
		},
		{
			// `controlling` with a known component elsewhere and an unknown
			// mine: upstream, 48000.
			name: "controlling-unknown-mine-makes-upstream",
			in:   policy(oneLine("2", "Nd=1", "", "", []Source{src("?/MY/JP/JP", "50")}, scen("s", "0", classControls(), nil)), UnknownControlling),
			want: []check{annual(0, "48000"), exposureKg("Nd", "upstream", "2400")},
		},
		{
			// `free`: unknown stages are not CN; MY and JP are not either: free, 93600.
			name: "free-treats-unknown-as-not-C",
			in:   policy(oneLine("2", "Nd=1", "", "", unknown, scen("s", "0", classControls(), nil)), UnknownFree),
			want: []check{annual(0, "93600"), exposureKg("Nd", "free", "2400")},
		},
		{
			// The material's family has its own component share 0.5; mining
			// has no family row and takes the general 0.69.
			// P(direct) = 0.5, P(upstream) = 0.5·0.69 = 0.345, P(free) = 0.155.
			// U = 5 + 6.9 + 0.155·39 = 5 + 6.9 + 6.045 = 17.945 → 43068.
			name: "world-material-family-stage-shares",
			in:   family,
			want: []check{annual(0, "43068"), exposureKg("Nd", "direct", "1200")},
		},
	}
	runCases(t, cases)
}

// ---------------------------------------------------------------------------
// Month windows (SPEC section 4). MAG qty 1, 1 kg Nd, CN-made; an uplift
// of 10% adds 1·100·0.1 = 10 per product unit, i.e. 100·10 = 1000 per
// month when active. Start is 2026-12 (projection month 1).
func TestComputeMonthWindows(t *testing.T) {
	cn := []Source{src("CN/CN/CN/CN", "50")}
	dec26 := func(in Input) Input { in.Settings.Start = cal("2026-12"); return in }
	w := func(from, to Month, controls ...Control) Input {
		if controls == nil {
			controls = []Control{during(uplift("Nd", AnyClass, "10"), from, to)}
		}
		return dec26(oneLine("1", "Nd=1", "", "", cn, scen("s", "0", controls, nil)))
	}
	cases := []computeCase{
		{
			// Months 3, 4, 5: annual 3000, horizon 3000; month 1 is quiet.
			name: "relative-months-3-to-5",
			in:   w(rel(3), rel(5)),
			want: []check{annual(0, "3000"), horizon(0, "3000"), unitDelta(0, "P1", "0"),
				monthDelta(0, 2, "0"), monthDelta(0, 3, "1000"), monthDelta(0, 5, "1000"), monthDelta(0, 6, "0")},
		},
		{
			// From month 10, no end: months 10..24; annual 10, 11, 12 = 3000; horizon 15 months = 15000.
			name: "open-ended-end",
			in:   w(rel(10), Month{}),
			want: []check{annual(0, "3000"), horizon(0, "15000"), monthDelta(0, 9, "0"), monthDelta(0, 24, "1000")},
		},
		{
			// No start, to month 6: months 1..6 = 6000 in both sums; month 1 active: unit delta 10.
			name: "open-ended-start",
			in:   w(Month{}, rel(6)),
			want: []check{annual(0, "6000"), horizon(0, "6000"), unitDelta(0, "P1", "10"), monthDelta(0, 7, "0")},
		},
		{
			// No window at all: every month: 12000 and 24000.
			name: "no-window-every-month",
			in:   w(Month{}, Month{}),
			want: []check{annual(0, "12000"), horizon(0, "24000")},
		},
		{
			// 2027-06 with start 2026-12 is month (2027−2026)·12 + (6−12) + 1 = 7:
			// months 7..24; annual 7..12 = 6000; horizon 18 months = 18000.
			name: "calendar-month-relative-to-start",
			in:   w(cal("2027-06"), Month{}),
			want: []check{annual(0, "6000"), horizon(0, "18000"), monthDelta(0, 6, "0"), monthDelta(0, 7, "1000")},
		},
		{
			// 2026-11..2027-02 starts one month before 2026-12: months 1..3 = 3000.
			name: "calendar-window-starting-before-the-start",
			in:   w(cal("2026-11"), cal("2027-02")),
			want: []check{annual(0, "3000"), horizon(0, "3000"), unitDelta(0, "P1", "10"), monthDelta(0, 3, "1000"), monthDelta(0, 4, "0")},
		},
		{
			// A suspension that lapsed before the start (2026-01..2026-11): nothing.
			name: "calendar-window-wholly-before-the-start",
			in:   w(cal("2026-01"), cal("2026-11")),
			want: []check{annual(0, "0"), horizon(0, "0")},
		},
		{
			// Months 25..30 lie beyond a 24-month horizon: nothing.
			name: "window-beyond-the-horizon",
			in:   w(rel(25), rel(30)),
			want: []check{annual(0, "0"), horizon(0, "0")},
		},
		{
			// Two equally specific rows in disjoint months (no tie):
			// 10% in months 1..6, 30% from 2027-06 = month 7.
			// annual = 6·1000 + 6·3000 = 24000; horizon = 6000 + 18·3000 = 60000.
			name: "rows-in-turn-by-month",
			in: w(Month{}, Month{}, during(uplift("Nd", AnyClass, "10"), Month{}, rel(6)),
				during(uplift("Nd", AnyClass, "30"), cal("2027-06"), Month{})),
			want: []check{annual(0, "24000"), horizon(0, "60000"), monthDelta(0, 6, "1000"), monthDelta(0, 7, "3000")},
		},
		{
			// Horizon 36: horizon sums 36 months = 36000; annual still 12 = 12000.
			name: "horizon-36-months",
			in:   withSettings(w(Month{}, Month{}), func(s *Settings) { s.Horizon = 36 }),
			want: []check{annual(0, "12000"), horizon(0, "36000"), monthDelta(0, 36, "1000")},
		},
		{
			// Horizon 12 is the least allowed: annual = horizon = 12000.
			name: "horizon-12-months",
			in:   withSettings(w(Month{}, Month{}), func(s *Settings) { s.Horizon = 12 }),
			want: []check{annual(0, "12000"), horizon(0, "12000")},
		},
		{
			name: "horizon-11-is-an-error",
			in:   withSettings(w(Month{}, Month{}), func(s *Settings) { s.Horizon = 11 }),
			err:  ErrHorizon,
		},
		{
			name: "horizon-0-is-an-error",
			in:   withSettings(w(Month{}, Month{}), func(s *Settings) { s.Horizon = 0 }),
			err:  ErrHorizon,
		},
	}
	runCases(t, cases)
}

func TestComputeMonthNames(t *testing.T) {
	in := oneLine("1", "Nd=1", "", "", []Source{src("CN/CN/CN/CN", "50")}, scen("s", "0", nil, nil))
	in.Settings.Start = cal("2026-12")
	r, err := Compute(in)
	if err != nil {
		t.Fatalf("Compute(case=month-names) error = %v", err)
	}
	for i, want := range map[int]string{0: "2026-12", 1: "2027-01", 12: "2027-12", 23: "2028-11"} {
		if r.Months[i] != want {
			t.Errorf("Compute(case=month-names) months[%d] = %s, want %s", i+1, r.Months[i], want)
		}
		if got := r.Scenarios[0].Months[i].Month; got != want {
			t.Errorf("Compute(case=month-names) scenario[0].months[%d].month = %s, want %s", i+1, got, want)
		}
	}
}

// ---------------------------------------------------------------------------
// Specificity of Controls rows (SPEC section 4). MAG qty 1, 1 kg Nd and
// 0.1 kg Dy, unit cost 50, spot premium 40; annual = 1200·x per magnet.
func TestComputeControlSpecificity(t *testing.T) {
	const mag = "Nd=1,Dy=0.1"
	cn := []Source{src("CN/CN/CN/CN", "50")}
	free := []Source{src("AU/MY/JP/JP", "50")}
	one := func(sources []Source, controls ...Control) Input {
		return oneLine("1", mag, "", "", sources, scen("s", "40", controls, nil))
	}
	// Sixteen rare earths with Nd and Dy (all but Lu), the seventeen, and eighteen with Co.
	re16 := "Sc,Y,La,Ce,Pr,Nd,Pm,Sm,Eu,Gd,Tb,Dy,Ho,Er,Tm,Yb"
	re17 := re16 + ",Lu"
	cases := []computeCase{
		{
			// Nd: the one-element row (50%) beats the two-element row: 1·100·0.5 = 50.
			// Dy: only the two-element row (10%): 0.1·400·0.1 = 4. Δ = 54 → 64800.
			name: "fewer-elements-wins",
			in:   one(cn, uplift("Nd,Dy", AnyClass, "10"), uplift("Nd", AnyClass, "50")),
			want: []check{annual(0, "64800"), elementDelta(0, "Nd", "60000"), elementDelta(0, "Dy", "4800")},
		},
		{
			// `*` counts as 17, so a 16-element row (20%) beats it:
			// 1·100·0.2 + 0.1·400·0.2 = 20 + 8 = 28 → 33600.
			name: "sixteen-elements-beat-star",
			in:   one(cn, uplift("*", AnyClass, "10"), uplift(re16, AnyClass, "20")),
			want: []check{annual(0, "33600")},
		},
		{
			// ... and `*` (17) beats an 18-element row: 10% → 10 + 4 = 14 → 16800.
			name: "star-beats-eighteen-elements",
			in:   one(cn, uplift(re17+",Co", AnyClass, "20"), uplift("*", AnyClass, "10")),
			want: []check{annual(0, "16800")},
		},
		{
			// Same elements: class direct (40%) beats `*` (10%) for a direct
			// magnet: 1·100·0.4 + 0.1·400·0.4 = 40 + 16 = 56 → 67200.
			name: "named-class-beats-star",
			in:   one(cn, uplift("Nd,Dy", AnyClass, "10"), uplift("Nd,Dy", ClassDirect, "40")),
			want: []check{annual(0, "67200")},
		},
		{
			// The direct row does not match a free magnet; `*` applies with
			// ex-China prices: 1·130·0.1 + 0.1·400·0.1 = 13 + 4 = 17 → 20400.
			name: "named-class-applies-only-to-its-class",
			in:   one(free, uplift("Nd,Dy", AnyClass, "10"), uplift("Nd,Dy", ClassDirect, "40")),
			want: []check{annual(0, "20400")},
		},
		{
			// Element count is compared first: for Nd the one-element `*`
			// class row (10%) beats the two-element direct row (40%):
			// Nd 10, Dy 0.1·400·0.4 = 16 → 26 → 31200.
			name: "fewer-elements-beats-named-class",
			in:   one(cn, uplift("Nd", AnyClass, "10"), uplift("Nd,Dy", ClassDirect, "40")),
			want: []check{annual(0, "31200"), elementDelta(0, "Nd", "12000"), elementDelta(0, "Dy", "19200")},
		},
		{
			// The Nd,Dy row applies whole: uplift 10, availability 100, delay 0
			// (its blanks, filled as inputs does), not the `*` row's
			// availability 50 or delay 30. Price 10 + 4 = 14 → 16800; no
			// shortage or carrying.
			name: "broader-row-values-not-inherited",
			in:   one(cn, ctl("*", AnyClass, "20", "50", "30"), ctl("Nd,Dy", AnyClass, "10", "100", "0")),
			want: []check{annual(0, "16800"), splitOf(0, "shortage", "0"), splitOf(0, "carrying", "0"), splitOf(0, "price", "16800")},
		},
		{
			// Only Tb is controlled; the BOM holds none: no effect.
			name: "no-matching-row-no-effect",
			in:   one(cn, ctl("Tb", AnyClass, "50", "0", "90")),
			want: []check{annual(0, "0"), horizon(0, "0")},
		},
		{
			// `*` covers the elements that have a price; cobalt has none here,
			// so a Co-only part keeps a = 1: no shortage.
			name: "star-covers-only-priced-elements",
			in:   oneLine("1", "Co=1", "", "", cn, scen("s", "40", []Control{ctl("*", AnyClass, "50", "0", "0")}, nil)),
			want: []check{annual(0, "0")},
		},
		{
			// Named explicitly, cobalt is controlled (a = 0.5), but a part
			// without rare-earth content has B = 0 (SPEC section 3) and does
			// not count for output at risk (section 5): nothing.
			name: "named-unpriced-element-is-controlled",
			in:   oneLine("1", "Co=1", "", "", cn, scen("s", "40", []Control{ctl("Co", AnyClass, "50", "50", "0")}, nil)),
			want: []check{annual(0, "0"), splitOf(0, "shortage", "0"), splitOf(0, "price", "0"), unitsAtRisk(0, "P1", "0"), partValue("P1/MAG", "0")},
		},
		{
			name:   "tie-same-elements-same-class-is-an-error",
			in:     one(cn, uplift("Nd", AnyClass, "10"), uplift("Nd", AnyClass, "20")),
			err:    ErrAmbiguousRule,
			errHas: []string{"Controls!2", "Controls!3"},
		},
		{
			name:   "tie-star-and-seventeen-elements-is-an-error",
			in:     one(cn, uplift("*", AnyClass, "10"), uplift(re17, AnyClass, "20")),
			err:    ErrAmbiguousRule,
			errHas: []string{"Controls!2", "Controls!3"},
		},
		{
			// Two different two-element lists tie for Nd.
			name:   "tie-equal-counts-different-elements-is-an-error",
			in:     one(cn, uplift("Nd,Dy", ClassDirect, "10"), uplift("Pr,Nd", ClassDirect, "20")),
			err:    ErrAmbiguousRule,
			errHas: []string{"Controls!2", "Controls!3"},
		},
		{
			// The rows overlap only in month 6.
			name:   "tie-in-one-month-is-an-error",
			in:     one(cn, during(uplift("Nd", AnyClass, "10"), rel(1), rel(6)), during(uplift("Nd", AnyClass, "20"), rel(6), rel(12))),
			err:    ErrAmbiguousRule,
			errHas: []string{"Controls!2", "Controls!3"},
		},
		{
			// The tied Nd,Dy rows are shadowed by one-element rows for both
			// elements: Nd 50% → 50, Dy 20% → 0.1·400·0.2 = 8; 58 → 69600.
			name: "tie-shadowed-by-more-specific-rows-is-not-an-error",
			in: one(cn, uplift("Nd,Dy", AnyClass, "10"), uplift("Dy,Nd", AnyClass, "30"),
				uplift("Nd", AnyClass, "50"), uplift("Dy", AnyClass, "20")),
			want: []check{annual(0, "69600")},
		},
		{
			// The tied `*`-class Nd rows are shadowed in every class by
			// named-class rows; direct 10% → Nd 10 → 12000 (Dy uncontrolled).
			name: "tie-shadowed-in-every-class-is-not-an-error",
			in: one(cn, uplift("Nd", AnyClass, "70"), uplift("Nd", AnyClass, "80"),
				uplift("Nd", ClassDirect, "10"), uplift("Nd", ClassUpstream, "20"), uplift("Nd", ClassFree, "30")),
			want: []check{annual(0, "12000")},
		},
		{
			// Tb rows tie, but the BOM holds no Tb.
			name: "tie-on-element-not-in-bom-is-not-an-error",
			in:   one(cn, uplift("Tb", AnyClass, "10"), uplift("Tb", AnyClass, "20")),
			want: []check{annual(0, "0")},
		},
		{
			// The rows tie only in months 25.., beyond the horizon.
			name: "tie-beyond-horizon-is-not-an-error",
			in:   one(cn, during(uplift("Nd", AnyClass, "10"), rel(25), Month{}), during(uplift("Nd", AnyClass, "20"), rel(25), Month{})),
			want: []check{annual(0, "0")},
		},
	}
	runCases(t, cases)
}

// ---------------------------------------------------------------------------
// Tariffs (SPEC section 4). MAG qty 1, HS 8505.11.00, material NdFeB,
// unit cost 50, made in CN unless said: a tariff of p% adds 50·p/100 per
// unit, 100·50·p/100 = 50p a month, annual 600·p.
func TestComputeTariffs(t *testing.T) {
	cn := []Source{src("CN/CN/CN/CN", "50")}
	jp := []Source{src("AU/MY/JP/JP", "50")}
	unknown := []Source{src("?/MY/JP/?", "50")}
	one := func(sources []Source, tariffs ...Tariff) Input {
		return oneLine("1", "Nd=0.2", "85051100", "NdFeB", sources, scen("s", "0", nil, tariffs))
	}
	policy := func(in Input, p UnknownPolicy) Input { in.Settings.UnknownOrigin = p; return in }
	cases := []computeCase{
		{
			// The DE row is for another import country; US/CN 10% → 6000.
			name: "import-country-filter",
			in:   one(cn, tar("DE", "CN", "", "", "25"), tar("US", "CN", "", "", "10")),
			want: []check{annual(0, "6000"), splitOf(0, "tariff", "6000"), unitDelta(0, "P1", "5")},
		},
		{
			name: "import-country-other-only-no-effect",
			in:   one(cn, tar("DE", "*", "", "", "25")),
			want: []check{annual(0, "0")},
		},
		{
			// CN origin: named CN (25%) beats `*` (10%) → 15000.
			name: "named-origin-beats-star",
			in:   one(cn, tar("US", "*", "", "", "10"), tar("US", "CN", "", "", "25")),
			want: []check{annual(0, "15000")},
		},
		{
			// JP origin: only `*` matches (10%) → 6000.
			name: "star-origin-applies-to-other-origins",
			in:   one(jp, tar("US", "*", "", "", "10"), tar("US", "CN", "", "", "25")),
			want: []check{annual(0, "6000")},
		},
		{
			// A row named for CN does not apply to a JP-made magnet.
			name: "named-origin-of-another-country-no-effect",
			in:   one(jp, tar("US", "CN", "", "", "25")),
			want: []check{annual(0, "0")},
		},
		{
			// Tariffs concern the component stage only: mined in CN, made in JP, `CN` row does not apply.
			name: "origin-is-the-component-stage",
			in:   one([]Source{src("CN/CN/CN/JP", "50")}, tar("US", "CN", "", "", "25")),
			want: []check{annual(0, "0")},
		},
		{
			// HS 8505.11 (6 digits) beats 8505 (4): 30% → 18000.
			name: "more-hs-digits-win",
			in:   one(cn, tar("US", "CN", "", "8505", "10"), tar("US", "CN", "", "8505.11", "30")),
			want: []check{annual(0, "18000")},
		},
		{
			// Prefix 8504 does not match 85051100.
			name: "hs-prefix-not-matching-no-effect",
			in:   one(cn, tar("US", "CN", "", "8504", "25")),
			want: []check{annual(0, "0")},
		},
		{
			// Named origin is compared before HS digits: CN/"" (10%) beats */850511 (30%) → 6000.
			name: "named-origin-beats-more-hs-digits",
			in:   one(cn, tar("US", "*", "", "850511", "30"), tar("US", "CN", "", "", "10")),
			want: []check{annual(0, "6000")},
		},
		{
			// NdFeB (20%) beats an empty material (10%) → 12000.
			name: "named-material-beats-empty",
			in:   one(cn, tar("US", "CN", "", "", "10"), tar("US", "CN", "NdFeB", "", "20")),
			want: []check{annual(0, "12000")},
		},
		{
			// HS digits are compared before the material: 8505 (10%) beats NdFeB (20%) → 6000.
			name: "more-hs-digits-beat-named-material",
			in:   one(cn, tar("US", "CN", "", "8505", "10"), tar("US", "CN", "NdFeB", "", "20")),
			want: []check{annual(0, "6000")},
		},
		{
			// A row naming HS 8505 and SmCo must match both; the NdFeB magnet
			// takes the plain CN row (10%) → 6000.
			name: "row-naming-hs-and-material-must-match-both",
			in:   one(cn, tar("US", "CN", "SmCo", "8505", "40"), tar("US", "CN", "", "", "10")),
			want: []check{annual(0, "6000")},
		},
		{
			// 25% from month 7: 6 months of 1250 = 7500; horizon 18 months = 22500.
			name: "tariff-month-window",
			in:   one(cn, tarDuring(tar("US", "CN", "", "", "25"), rel(7), Month{})),
			want: []check{annual(0, "7500"), horizon(0, "22500"), unitDelta(0, "P1", "0"), monthDelta(0, 7, "1250")},
		},
		{
			// Equally specific rows in disjoint months: 10% in 1..6 (500 a
			// month), 20% from 7 (1000 a month): annual 3000 + 6000 = 9000;
			// horizon 3000 + 18000 = 21000.
			name: "equal-rows-in-disjoint-months-not-a-tie",
			in: one(cn, tarDuring(tar("US", "CN", "", "", "10"), Month{}, rel(6)),
				tarDuring(tar("US", "CN", "", "", "20"), rel(7), Month{})),
			want: []check{annual(0, "9000"), horizon(0, "21000")},
		},
		{
			// Component country unknown, world: P(direct) = 0.94. As made in
			// CN the CN row (25%), as made elsewhere only `*` (10%):
			// (0.94·25 + 0.06·10)/100·50 = 0.241·50 = 12.05 → 14460.
			name: "unknown-component-weighted-by-p-direct-world",
			in:   one(unknown, tar("US", "*", "", "", "10"), tar("US", "CN", "", "", "25")),
			want: []check{annual(0, "14460"), unitDelta(0, "P1", "12.05")},
		},
		{
			// `controlling`: P(direct) = 1 → 25% → 15000.
			name: "unknown-component-controlling",
			in:   policy(one(unknown, tar("US", "*", "", "", "10"), tar("US", "CN", "", "", "25")), UnknownControlling),
			want: []check{annual(0, "15000")},
		},
		{
			// `free`: P(direct) = 0 → only `*` (10%) → 6000.
			name: "unknown-component-free",
			in:   policy(one(unknown, tar("US", "*", "", "", "10"), tar("US", "CN", "", "", "25")), UnknownFree),
			want: []check{annual(0, "6000")},
		},
		{
			// World, only a CN row: 0.94·25% of 50 = 11.75 → 14100.
			name: "unknown-component-named-row-only",
			in:   one(unknown, tar("US", "CN", "", "", "25")),
			want: []check{annual(0, "14100")},
		},
		{
			name:   "tie-is-an-error",
			in:     one(cn, tar("US", "CN", "", "8505", "10"), tar("US", "CN", "", "8505", "20")),
			err:    ErrAmbiguousRule,
			errHas: []string{"Tariffs!2", "Tariffs!3"},
		},
		{
			// Two `*` rows tie, but the CN row is more specific for this CN magnet → 15000.
			name: "tie-shadowed-by-named-origin-is-not-an-error",
			in:   one(cn, tar("US", "*", "", "", "10"), tar("US", "*", "", "", "20"), tar("US", "CN", "", "", "25")),
			want: []check{annual(0, "15000")},
		},
	}
	runCases(t, cases)
}

// ---------------------------------------------------------------------------
// Rollup, exploded quantities, Parts.

// drive is P1 (1200 a year):
//
//	DRIVE    top            qty 1  cost 1000
//	  ROTOR  under DRIVE    qty 2  cost 200   0.01 kg Dy (its own coating)
//	    MAGNET under ROTOR  qty 8  cost 5     0.1 kg Nd
//	  HOUSING under DRIVE   qty 1  cost 100   (JP-made)
//
// Exploded quantities: DRIVE 1, ROTOR 2, MAGNET 2·8 = 16, HOUSING 1. The
// lines are listed children first, to show that order does not matter.
// Scenario: `*` +10% on prices, tariff 10% on every origin.
func drive(rollup Rollup) Input {
	in := Input{
		BOM: BOM{
			Products: []Product{{ID: "P1", AnnualVolume: dec("1200")}},
			Lines: []Line{
				{Product: "P1", PartNumber: "MAGNET", Parent: 2, QtyPer: dec("8"), Content: content("Nd=0.1"), Sources: []Source{src("CN/CN/CN/CN", "5")}, Row: 2},
				{Product: "P1", PartNumber: "HOUSING", Parent: 3, QtyPer: dec("1"), Sources: []Source{src("?/?/?/JP", "100")}, Row: 3},
				{Product: "P1", PartNumber: "ROTOR", Parent: 3, QtyPer: dec("2"), Content: content("Dy=0.01"), Sources: []Source{src("CN/CN/CN/CN", "200")}, Row: 4},
				{Product: "P1", PartNumber: "DRIVE", Parent: -1, QtyPer: dec("1"), Sources: []Source{src("CN/CN/CN/CN", "1000")}, Row: 5},
			},
		},
		Scenarios:   []Scenario{scen("s", "0", []Control{uplift("*", AnyClass, "10")}, []Tariff{tar("US", "*", "", "", "10")})},
		Prices:      testPrices(),
		StageShares: testStageShares(),
		Settings:    testSettings(),
	}
	in.Settings.Rollup = rollup
	return in
}

func TestComputeRollup(t *testing.T) {
	cases := []computeCase{
		{
			// Leaves: MAGNET and HOUSING bear cost. Baseline = 16·5 + 1·100 = 180.
			// Price (every line with content): MAGNET 16·0.1·100·0.1 = 16,
			// ROTOR 2·0.01·400·0.1 = 0.8 → 16.8 per drive. Tariff 10%·180 = 18.
			// unit 34.8; annual 34.8·1200 = 41760 (price 20160, tariff 21600).
			name: "rollup-leaves",
			in:   drive(RollupLeaves),
			want: []check{baseline("P1", "180"), unitDelta(0, "P1", "34.8"), annual(0, "41760"),
				splitOf(0, "price", "20160"), splitOf(0, "tariff", "21600"),
				elementDelta(0, "Nd", "19200"), elementDelta(0, "Dy", "960"),
				// Parts: ROTOR (content), MAGNET, HOUSING; not DRIVE.
				partsCount("3"),
				part("P1/ROTOR", 0, "qty", "2"), part("P1/ROTOR", 0, "annual_qty", "2400"), part("P1/ROTOR", 0, "level", "2"),
				part("P1/ROTOR", 0, "cost_bearing", "0"),
				// ROTOR per rotor 0.01·400·0.1 = 0.4; annual 0.4·2400 = 960.
				part("P1/ROTOR", 0, "unit_delta", "0.4"), part("P1/ROTOR", 0, "annual_delta", "960"),
				part("P1/MAGNET", 0, "qty", "16"), part("P1/MAGNET", 0, "annual_qty", "19200"), part("P1/MAGNET", 0, "level", "3"),
				// MAGNET per magnet 0.1·100·0.1 + 5·0.1 = 1 + 0.5 = 1.5; annual 1.5·19200 = 28800.
				part("P1/MAGNET", 0, "unit_delta", "1.5"), part("P1/MAGNET", 0, "annual_delta", "28800"), part("P1/MAGNET", 0, "unit_cost", "5"),
				// HOUSING 100·0.1 = 10; annual 12000. 960 + 28800 + 12000 = 41760.
				part("P1/HOUSING", 0, "unit_delta", "10"), part("P1/HOUSING", 0, "annual_delta", "12000"), part("P1/HOUSING", 0, "level", "2"),
				// Exposure: Nd 0.1·16·1200 = 1920 kg; Dy 0.01·2·1200 = 24 kg.
				exposureKg("Nd", "", "1920"), exposureKg("Dy", "", "24")},
		},
		{
			// All: every line bears cost. Baseline = 1000 + 2·200 + 16·5 + 100 = 1580.
			// Tariff 158, price 16.8 (unchanged): unit 174.8; annual 209760.
			name: "rollup-all",
			in:   drive(RollupAll),
			want: []check{baseline("P1", "1580"), unitDelta(0, "P1", "174.8"), annual(0, "209760"),
				splitOf(0, "price", "20160"), splitOf(0, "tariff", "189600"),
				partsCount("4"),
				// DRIVE 100 per drive → 120000; ROTOR 0.4 + 20 = 20.4 per rotor → ·2400 = 48960.
				part("P1/DRIVE", 0, "unit_delta", "100"), part("P1/DRIVE", 0, "annual_delta", "120000"), part("P1/DRIVE", 0, "level", "1"),
				part("P1/ROTOR", 0, "unit_delta", "20.4"), part("P1/ROTOR", 0, "annual_delta", "48960"), part("P1/ROTOR", 0, "cost_bearing", "1"),
				part("P1/MAGNET", 0, "annual_delta", "28800"), part("P1/HOUSING", 0, "annual_delta", "12000")},
		},
		{
			// A BOM without lines: nothing to cost.
			name: "no-lines",
			in: func() Input {
				in := drive(RollupLeaves)
				in.BOM.Lines = nil
				return in
			}(),
			want: []check{baseline("P1", "0"), annual(0, "0"), horizon(0, "0"), partsCount("0")},
		},
	}
	runCases(t, cases)
}

// Two products with different volumes, a line with two sources.
//
//	P1 (1200 a year): MAG-A qty 2, 0.5 kg Nd; 60% from CN (cost 40), 40% from AU/MY/JP/JP (cost 60)
//	P2 (600 a year):  MAG-B qty 4, 0.25 kg Nd; from ?/CN/CN/CN (cost 40)
//
// Scenario: Nd +20%, availability 90%, spot premium 50%.
func TestComputeProductsAndSources(t *testing.T) {
	in := Input{
		BOM: BOM{
			Products: []Product{{ID: "P1", AnnualVolume: dec("1200")}, {ID: "P2", AnnualVolume: dec("600")}},
			Lines: []Line{
				{Product: "P1", PartNumber: "MAG-A", Parent: -1, QtyPer: dec("2"), Content: content("Nd=0.5"),
					Sources: []Source{share(src("CN/CN/CN/CN", "40"), "0.6"), share(src("AU/MY/JP/JP", "60"), "0.4")}, Row: 2},
				{Product: "P2", PartNumber: "MAG-B", Parent: -1, QtyPer: dec("4"), Content: content("Nd=0.25"),
					Sources: []Source{src("?/CN/CN/CN", "40")}, Row: 3},
			},
		},
		Scenarios:   []Scenario{scen("s", "50", []Control{ctl("Nd", AnyClass, "20", "90", "0")}, nil)},
		Prices:      testPrices(),
		StageShares: testStageShares(),
		Settings:    testSettings(),
	}
	runCases(t, []computeCase{{
		// Shortage is on B, the content's value at China prices, whatever
		// the source's unit cost: MAG-A B = 0.5·100 = 50, MAG-B B = 25.
		// P1, CN source (direct): U = 0.5·100·0.2 = 10; S = 50·0.1·0.5 = 2.5.
		//     JP source (free):   U = 0.5·130·0.2 = 13; S = 2.5.
		//     Δ = 0.6·12.5 + 0.4·15.5 = 13.7 per magnet; per P1 27.4; annual 27.4·1200 = 32880
		//     (price 0.6·10 + 0.4·13 = 11.2 → 26880; shortage 2.5 → 6000).
		//     Baseline 2·(0.6·40 + 0.4·60) = 96.
		// P2: direct (component CN): U = 0.25·100·0.2 = 5; S = 25·0.1·0.5 = 1.25;
		//     Δ = 6.25; per P2 25; annual 25·600 = 15000 (price 12000, shortage 3000). Baseline 160.
		// Total 47880: price 38880, shortage 9000.
		name: "two-products-two-sources",
		in:   in,
		want: []check{
			baseline("P1", "96"), baseline("P2", "160"),
			unitDelta(0, "P1", "27.4"), unitDelta(0, "P2", "25"),
			productAnnual(0, "P1", "32880"), productAnnual(0, "P2", "15000"),
			annual(0, "47880"), splitOf(0, "price", "38880"), splitOf(0, "shortage", "9000"),
			elementDelta(0, "Nd", "38880"),
			part("P1/MAG-A", 0, "unit_delta", "13.7"), part("P1/MAG-A", 0, "annual_delta", "32880"),
			part("P1/MAG-A", 0, "unit_cost", "48"), part("P1/MAG-A", 0, "annual_qty", "2400"),
			part("P1/MAG-A", 0, "p_direct", "0.6"), part("P1/MAG-A", 0, "p_free", "0.4"),
			part("P2/MAG-B", 0, "unit_delta", "6.25"), part("P2/MAG-B", 0, "annual_delta", "15000"), part("P2/MAG-B", 0, "annual_qty", "2400"),
			// Nd kg: P1 0.5·2·1200 = 1200 (720 direct, 480 free); P2 0.25·4·600 = 600 direct.
			exposureKg("Nd", "", "1800"), exposureKg("Nd", "direct", "1320"), exposureKg("Nd", "upstream", "0"), exposureKg("Nd", "free", "480"),
			// Component stage: CN 1320 kg (11/15), JP 480 (4/15);
			// HHI = (73.33…)² + (26.66…)² = 137/225·10000 = 6088.888… → 6088.89.
			stage(StageComponent, "CN", "kg", "1320"), stage(StageComponent, "CN", "share", "~0.733333"),
			stage(StageComponent, "JP", "share", "~0.266667"), stage(StageComponent, "JP", "hhi", "6088.89"),
			// Mining: CN 720, AU 480, unknown 600 of 1800 → 0.4, 0.266667, 0.333333;
			// HHI over the known 1200 kg: 60² + 40² = 5200.
			stage(StageMine, "CN", "share", "0.4"), stage(StageMine, "AU", "share", "~0.266667"),
			stage(StageMine, "", "share", "~0.333333"), stage(StageMine, "CN", "hhi", "5200"),
		},
	}})
}

// Two scenarios with priors 0.25 and 0.75: expected = Σ prior·annual.
func TestComputeExpectedAnnualDelta(t *testing.T) {
	low := scen("low", "0", []Control{uplift("Nd", AnyClass, "10")}, nil)
	low.Prior = dec("0.25")
	high := scen("high", "0", []Control{uplift("Nd", AnyClass, "30")}, nil)
	high.Prior = dec("0.75")
	runCases(t, []computeCase{{
		// MAG qty 1, 1 kg Nd, CN: low 10 per unit → 12000; high 30 → 36000.
		// Expected = 0.25·12000 + 0.75·36000 = 3000 + 27000 = 30000.
		name: "expected-is-prior-weighted",
		in:   oneLine("1", "Nd=1", "", "", []Source{src("CN/CN/CN/CN", "50")}, low, high),
		want: []check{annual(0, "12000"), annual(1, "36000"), expected("30000"),
			part("P1/MAG", 0, "annual_delta", "12000"), part("P1/MAG", 1, "annual_delta", "36000")},
	}})
}

// ---------------------------------------------------------------------------
// Errors.

func TestComputeNotTree(t *testing.T) {
	lines := func(parents ...int) Input {
		in := oneLine("1", "Nd=1", "", "", []Source{src("CN/CN/CN/CN", "50")}, scen("s", "0", nil, nil))
		base := in.BOM.Lines[0]
		in.BOM.Lines = nil
		for i, p := range parents {
			l := base
			l.PartNumber = fmt.Sprintf("L%d", i)
			l.Row = int32(i + 2)
			l.Parent = int32(p)
			in.BOM.Lines = append(in.BOM.Lines, l)
		}
		return in
	}
	runCases(t, []computeCase{
		{name: "cycle-of-two", in: lines(1, 0), err: ErrNotTree},
		{name: "cycle-of-three-below-a-root", in: lines(-1, 3, 1, 2), err: ErrNotTree},
		{name: "own-parent", in: lines(-1, 1), err: ErrNotTree, errHas: []string{"BOM!3"}},
		{name: "parent-out-of-range", in: lines(-1, 7), err: ErrNotTree, errHas: []string{"BOM!3"}},
		{name: "parent-negative", in: lines(-1, -2), err: ErrNotTree},
	})
}

// Parts stops at the first error of its callback and returns it.
func TestPartsStopsOnError(t *testing.T) {
	r, err := Compute(drive(RollupAll))
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	n := 0
	if err := r.Parts(func(PartRow) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("Parts with a failing callback = %v after %d rows, want stop after 1", err, n)
	}
}

// Parts yields rows in BOM order, whatever the order of parents.
func TestPartsBOMOrder(t *testing.T) {
	r, err := Compute(drive(RollupAll))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	_ = r.Parts(func(p PartRow) error { got = append(got, fmt.Sprintf("%d:%s", p.Index, p.Line.PartNumber)); return nil })
	if want := "0:MAGNET 1:HOUSING 2:ROTOR 3:DRIVE"; strings.Join(got, " ") != want {
		t.Errorf("Compute(case=rollup-all) parts order = %s, want %s", strings.Join(got, " "), want)
	}
}

// TestProfileSumsInParts: the profiles' aggregates and the stage masses
// summed over four runs of the lines are the ones summed in one, digit
// for digit and exponent for exponent.
func TestProfileSumsInParts(t *testing.T) {
	defer func(n, procs int) { profileSumLines = n; runtime.GOMAXPROCS(procs) }(profileSumLines, runtime.GOMAXPROCS(4))
	figures := func(lines int) []string {
		profileSumLines = lines
		r, err := Compute(benchInput(1000))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range r.model.profiles {
			for pi, a := range p.agg {
				if !a.used {
					continue
				}
				line := fmt.Sprintf("%d/%d %s %s", p.id, pi, exactDecimal(a.value), exactDecimal(a.cost))
				for _, m := range a.mass {
					line += " " + exactDecimal(m)
				}
				out = append(out, line)
			}
		}
		for g, byCountry := range r.model.stageKg {
			for _, c := range slices.Sorted(maps.Keys(byCountry)) {
				out = append(out, fmt.Sprintf("stage %d %s %s", g, c, exactDecimal(byCountry[c])))
			}
		}
		return out
	}
	one, four := figures(1<<30), figures(200)
	if len(one) < 10 {
		t.Fatalf("only %d figures: the test needs more", len(one))
	}
	if !slices.Equal(one, four) {
		for i := range min(len(one), len(four)) {
			if one[i] != four[i] {
				t.Fatalf("figure %d: one run %s, four runs %s", i, one[i], four[i])
			}
		}
		t.Fatalf("one run %d figures, four runs %d", len(one), len(four))
	}
}

// exactDecimal shows d's coefficient and exponent, which String would
// not tell apart (1.5 and 1.50).
func exactDecimal(d decimal.Decimal) string {
	return d.Coefficient().String() + "e" + fmt.Sprint(d.Exponent())
}

// TestMulSharedIsMul: mulShared gives Mul's coefficient and exponent,
// sharing a factor only when the other is exactly 1 (1.0 is not: its
// product has another exponent).
func TestMulSharedIsMul(t *testing.T) {
	vals := []string{"1", "1.0", "1.00", "0", "0.0", "2", "0.25", "-1", "10", "1e1", "12345678901234567890.123"}
	for _, a := range vals {
		for _, b := range vals {
			x, y := decimal.RequireFromString(a), decimal.RequireFromString(b)
			got, want := mulShared(x, y), x.Mul(y)
			if exactDecimal(got) != exactDecimal(want) {
				t.Errorf("mulShared(%s, %s) = %s, Mul = %s", a, b, exactDecimal(got), exactDecimal(want))
			}
		}
	}
	if !isExactOne(decimal.New(1, 0)) || isExactOne(decimal.RequireFromString("1.0")) || isExactOne(decimal.New(10, -1)) {
		t.Error("isExactOne: want 1 (exponent 0) alone")
	}
}

// TestQtyProductsIsMul: qtyProducts.mul gives Mul's coefficient and
// exponent, the first time and when the product is shared (2·0.5 and
// 0.5·2, 4·0.25 are one coefficient and exponent; 1.0·1 and 1·1.00 not).
func TestQtyProductsIsMul(t *testing.T) {
	vals := []string{"1", "1.0", "1.00", "0", "0.0", "2", "0.5", "0.25", "4", "-1", "10", "1e1", "1e-3",
		"12345678901234567890.123", "9223372036854775807", "3.037000499"}
	q := qtyProducts{}
	for round := 0; round < 2; round++ {
		for _, a := range vals {
			for _, b := range vals {
				x, y := decimal.RequireFromString(a), decimal.RequireFromString(b)
				got, want := q.mul(x, y), x.Mul(y)
				if exactDecimal(got) != exactDecimal(want) {
					t.Errorf("qtyProducts.mul(%s, %s) = %s, Mul = %s", a, b, exactDecimal(got), exactDecimal(want))
				}
			}
		}
	}
	if len(q) == 0 {
		t.Error("no product kept")
	}
}

// TestAmbiguousRuleFirstInProfileOrder: the profiles' factors are filled
// the scenarios side by side, yet the error is the one a fill in profile
// order, scenario after scenario, meets first. Two lines make two
// profiles (HS 8505 first, then 8501); scenario A's rows tie only under
// 8501, scenario B's under 8505 alone: B's tie comes first. Both
// scenarios tie under 8505 in the second case: A's, the earlier.
func TestAmbiguousRuleFirstInProfileOrder(t *testing.T) {
	cn := []Source{src("CN/CN/CN/CN", "10")}
	hsRow := func(hs, pct string) Control { c := uplift("Nd", AnyClass, pct); c.HSPrefix = hs; return c }
	in := func(a, b []Control) Input {
		in := oneLine("1", "Nd=1", "8505", "", cn, scen("A", "0", a, nil), scen("B", "0", b, nil))
		second := in.BOM.Lines[0]
		second.PartNumber, second.HSCode, second.Row = "MOT", "8501", 3
		in.BOM.Lines = append(in.BOM.Lines, second)
		return in
	}
	for _, tc := range []struct {
		name string
		a, b []Control
		want string
	}{
		{"later-profile-in-A", []Control{hsRow("8501", "10"), hsRow("8501", "20")}, []Control{hsRow("8505", "10"), hsRow("8505", "20")}, "scenario B"},
		{"same-profile", []Control{hsRow("8505", "10"), hsRow("8505", "20")}, []Control{hsRow("8505", "10"), hsRow("8505", "20")}, "scenario A"},
	} {
		_, err := Compute(in(tc.a, tc.b))
		if !errors.Is(err, ErrAmbiguousRule) || !strings.Contains(err.Error(), tc.want+":") {
			t.Errorf("%s: %v, want %s's tie", tc.name, err, tc.want)
		}
	}
}
