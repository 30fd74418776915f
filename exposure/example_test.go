package exposure_test

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
)

// A drive unit made 12,000 times a year holds a rotor assembly with 24
// NdFeB magnets made in China. A licensing shock raises the dysprosium
// price by 60%, lets only 75% of demand through (the rest bought on the
// spot market at +30%), adds 45 days of delay, and the US adds a 25%
// tariff on Chinese magnets.
//
// Worked by hand, per magnet (unit cost 8.00, 0.18 kg of NdFeB at 40 USD
// a kg, so the magnet material is worth B = 7.20; 0.05 kg Nd, 0.005 kg Dy).
// Shortage and carrying fall on the material, the tariff on the unit cost:
//
//	price     0.005 kg · 400 · 60%          = 1.2
//	shortage  7.20 · (1 − 0.75) · 30%        = 0.54
//	carrying  7.20 · 25% · 45/365            = 0.22191780…
//	tariff    8.00 · 25%                     = 2.00
//	total                                    = 3.96191780…
//
// Per drive unit ×24 = 95.086027…; a year ×12,000 = 1,141,032.33. A
// quarter of the magnets cannot be had for 12 months: 12,000 × 0.25 =
// 3,000 drive units at risk if the spot market had none. The rotor
// assembly has children, so under `--rollup leaves` its own cost does not
// count and it is not a Parts row.
func ExampleCompute() {
	d := decimal.RequireFromString
	cn := exposure.CountriesOf([exposure.NumStages]string{"CN", "CN", "CN", "CN"})
	in := exposure.Input{
		BOM: exposure.BOM{
			Products: []exposure.Product{{ID: "EDU-1", Name: "EV drive unit", AnnualVolume: d("12000")}},
			Lines: []exposure.Line{
				{Product: "EDU-1", PartNumber: "ROTOR-ASSY", Parent: -1, QtyPer: d("1"),
					Sources: []exposure.Source{{Supplier: "Rotor Co", Share: d("1"), Countries: cn, UnitCost: d("400")}}},
				{Product: "EDU-1", PartNumber: "MAG-N42SH", Parent: 0, QtyPer: d("24"), Material: "NdFeB", MaterialKg: d("0.18"), HSCode: "85051110",
					Content: []exposure.ElementMass{{Element: "Nd", Kg: d("0.05")}, {Element: "Dy", Kg: d("0.005")}},
					Sources: []exposure.Source{{Supplier: "Ningbo Magnets", Share: d("1"), Countries: cn, UnitCost: d("8.00")}}},
			},
		},
		Scenarios: []exposure.Scenario{{
			ID: "apr-2025", Name: "April 2025 licensing", Stance: "tightening", Prior: d("1"), Country: "CN",
			SpotPremium: exposure.Fixed(d("30")),
			Controls: []exposure.Control{{Elements: []string{"Dy", "Tb"}, Class: exposure.AnyClass,
				Uplift: exposure.Fixed(d("60")), Availability: exposure.Fixed(d("75")), Delay: exposure.Fixed(d("45")), Ref: "Controls!2"}},
			Tariffs: []exposure.Tariff{{ImportCountry: "US", Origin: "CN", HSPrefix: "8505", Pct: exposure.Fixed(d("25")), Ref: "Tariffs!2"}},
		}},
		Prices: map[string]exposure.Price{
			"Nd": {Element: "Nd", China: d("100"), ExChina: d("130")},
			"Dy": {Element: "Dy", China: d("400"), ExChina: d("520")},
			"Tb": {Element: "Tb", China: d("1000"), ExChina: d("1300")},
		},
		Materials: map[string]exposure.Material{"NdFeB": {Code: "NdFeB", PricePerKg: d("40")}},
		Settings: exposure.Settings{
			Currency: "USD", ImportCountry: "US", ControllingCountry: "CN",
			Start: exposure.Month{Year: 2026, Month: time.December}, Horizon: 24,
			CarryingRate: d("25"), UnknownOrigin: exposure.UnknownWorld, Rollup: exposure.RollupLeaves,
		},
	}
	r, err := exposure.Compute(in)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s baseline unit cost: %s USD\n", r.Products[0].ID, r.Products[0].BaselineUnitCost.StringFixed(2))
	s := r.Scenarios[0]
	fmt.Printf("%s: %s USD per drive unit in %s, %s USD in the first year, %s over %d months\n",
		s.Scenario.ID, s.Products[0].UnitDelta.StringFixed(2), s.Months[0].Month,
		s.AnnualDelta.StringFixed(2), s.HorizonDelta.StringFixed(2), len(s.Months))
	fmt.Printf("  price %s, shortage %s, carrying %s, tariff %s\n", s.Split.Price.StringFixed(2),
		s.Split.Shortage.StringFixed(2), s.Split.Carrying.StringFixed(2), s.Split.Tariff.StringFixed(2))
	fmt.Printf("  %s drive units at risk\n", s.Products[0].UnitsAtRisk.StringFixed(0))
	for _, e := range s.Elements {
		fmt.Printf("  %s price part %s\n", e.Element, e.AnnualDelta.StringFixed(2))
	}
	for _, e := range r.Elements {
		fmt.Printf("%s: %s kg a year, %s kg made in China\n", e.Element, e.AnnualKg.StringFixed(0), e.ByClass[exposure.ClassDirect].StringFixed(0))
	}
	_ = r.Parts(func(p exposure.PartRow) error {
		fmt.Printf("%s: %s a year, material %s, %s per unit, %s a year\n", p.Line.PartNumber, p.AnnualQty.StringFixed(0),
			p.MaterialValue.StringFixed(2), p.Deltas[0].UnitDelta.StringFixed(2), p.Deltas[0].AnnualDelta.StringFixed(2))
		return nil
	})
	// Output:
	// EDU-1 baseline unit cost: 192.00 USD
	// apr-2025: 95.09 USD per drive unit in 2026-12, 1141032.33 USD in the first year, 2282064.66 over 24 months
	//   price 345600.00, shortage 155520.00, carrying 63912.33, tariff 576000.00
	//   3000 drive units at risk
	//   Nd price part 0.00
	//   Dy price part 345600.00
	// Nd: 14400 kg a year, 14400 kg made in China
	// Dy: 1440 kg a year, 1440 kg made in China
	// MAG-N42SH: 288000 a year, material 7.20, 3.96 per unit, 1141032.33 a year
}
