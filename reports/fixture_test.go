package reports

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// fixture is a small hand-built result: one product, two scenarios, three
// part rows (one of them a description that looks like a formula, and
// one part number used twice), fed to the writers through a fake
// partsFunc until exposure.Compute yields rows of its own.
type fixture struct {
	r    *exposure.Result
	rows []exposure.PartRow
	m    Meta
}

func (fx *fixture) parts(o exposure.PartOptions, fn func(exposure.PartRow) error) error {
	for _, pr := range fx.rows {
		if o.Keep != nil && !o.Keep(pr.Line) {
			continue
		}
		if err := fn(pr); err != nil {
			return err
		}
	}
	return nil
}

func monthsFrom(start exposure.Month, n int, per decimal.Decimal) []exposure.MonthDelta {
	out := make([]exposure.MonthDelta, n)
	for i := range out {
		idx := start.Year*12 + int(start.Month) - 1 + i
		out[i] = exposure.MonthDelta{Month: fmt.Sprintf("%04d-%02d", idx/12, idx%12+1), Delta: per}
	}
	return out
}

func newFixture() *fixture {
	start := exposure.Month{Year: 2026, Month: time.January}
	settings := exposure.Settings{
		Currency: "USD", ImportCountry: "US", ControllingCountry: "CN", Start: start, Horizon: 12,
		CarryingRate: d("25"), UnknownOrigin: exposure.UnknownWorld, CountryCap: d("65"), Objective: "expected",
		Rollup: exposure.RollupLeaves, Draws: 10000, Seed: 1, AsOf: time.Date(2026, 1, 29, 12, 0, 0, 0, time.UTC),
	}
	sq := exposure.Scenario{
		ID: "sq-nov25", Name: "Status quo after the November 2025 suspension", Stance: "status-quo", Prior: d("0.6"),
		Country: "CN", SpotPremium: exposure.Param{Value: d("50"), Low: d("30"), High: d("80"), Ranged: true},
		Description: "Licences keep flowing slowly.", Source: "MOFCOM announcement No. 70 (2025), checked 2026-01-29",
		Controls: []exposure.Control{
			{Elements: []string{"Dy", "Tb"}, Class: exposure.ClassDirect, Uplift: exposure.Fixed(d("20")), Availability: exposure.Fixed(d("90")),
				Delay: exposure.Fixed(d("30")), From: exposure.Month{Relative: 1}, To: exposure.Month{Year: 2026, Month: time.November}, Ref: "Controls!2"},
			{AllElements: true, Class: exposure.AnyClass, Uplift: exposure.Fixed(d("5")), Availability: exposure.Fixed(d("100")), Ref: "Controls!3"},
		},
	}
	emb := exposure.Scenario{
		ID: "embargo", Name: "Full embargo", Stance: "escalation", Prior: d("0.4"), Country: "CN",
		SpotPremium: exposure.Fixed(d("200")), Description: "No exports to one destination.", Source: "Illustrative",
		Tariffs: []exposure.Tariff{{ImportCountry: "US", Origin: "CN", HSPrefix: "850511", Pct: exposure.Param{Value: d("25"), Low: d("10"), High: d("45"), Ranged: true},
			From: exposure.Month{Year: 2026, Month: time.March}, Ref: "Tariffs!2"}},
	}
	lines := []exposure.Line{
		{Product: "EDU-150", PartNumber: "EDU-MOT-100", Description: "Traction motor", Parent: -1, QtyPer: d("1"), UOM: "pcs", Row: 2},
		{Product: "EDU-150", PartNumber: "EDU-ROT-110", Description: "Rotor magnet set 38UH", Parent: 0, QtyPer: d("1"), UOM: "set",
			Material: "NDFEB_38UH_BULK", HSCode: "850511", Content: []exposure.ElementMass{{Element: "Nd", Kg: d("0.9")}, {Element: "Dy", Kg: d("0.03")}},
			Sources: []exposure.Source{{Supplier: "Ningbo Magnet Co.", Share: d("1"), Countries: exposure.CountriesOf([4]string{"CN", "CN", "CN", "CN"}), UnitCost: d("180")}}, Row: 3},
		{Product: "EDU-150", PartNumber: "EDU-SCR-001", Description: "=SUM(A1)", Parent: 0, QtyPer: d("4"), UOM: "pcs",
			Sources: []exposure.Source{{Share: d("1"), UnitCost: d("0.0125")}}, Row: 4},
		{Product: "EDU-150", PartNumber: "EDU-ROT-110", Description: "Rotor magnet set 38UH (spare)", Parent: -1, QtyPer: d("0.5"), UOM: "set",
			Material: "NDFEB_38UH_BULK", Content: []exposure.ElementMass{{Element: "Nd", Kg: d("0.9")}, {Element: "Dy", Kg: d("0.03")}},
			Sources: []exposure.Source{{Share: d("1"), UnitCost: d("180")}}, Row: 5},
	}
	in := &exposure.Input{
		BOM:       exposure.BOM{Products: []exposure.Product{{ID: "EDU-150", Name: "EV drive unit 150 kW", AnnualVolume: d("1000")}}, Lines: lines},
		Scenarios: []exposure.Scenario{sq, emb},
		Prices: map[string]exposure.Price{
			"Nd": {Element: "Nd", China: d("75.5"), USDChina: d("75.5"), AsOf: "2026-01-29", Source: "SMM Nd metal"},
			"Dy": {Element: "Dy", China: d("278"), ExChina: d("1150"), USDChina: d("278"), USDExChina: d("1150"), AsOf: "2026-01-29", Source: "100ppi Dy metal"},
		},
		Materials: map[string]exposure.Material{
			"NDFEB_38UH_BULK": {Code: "NDFEB_38UH_BULK", Description: "Sintered NdFeB 38UH", Family: "ndfeb",
				WtPct: map[string]decimal.Decimal{"Nd": d("23.5"), "Pr": d("6.5"), "Dy": d("2.5")}, Source: "reference"},
		},
		StageShares: []exposure.StageShare{{Stage: exposure.StageMine, Country: "CN", Share: d("0.69"), Source: "USGS MCS 2025", AsOf: "2024"}},
		Settings:    settings,
	}
	r := &exposure.Result{
		Settings: settings,
		Products: []exposure.ProductResult{{ID: "EDU-150", Name: "EV drive unit 150 kW", AnnualVolume: d("1000"), BaselineUnitCost: d("270.05")}},
		Scenarios: []exposure.ScenarioResult{
			{Scenario: sq, Probability: d("0.6"), AnnualDelta: d("1200"), HorizonDelta: d("1200"),
				Split:    exposure.Split{Price: d("1000"), Shortage: d("100"), Carrying: d("50"), Tariff: d("50")},
				Products: []exposure.ProductDelta{{Product: "EDU-150", UnitDelta: d("0.1"), AnnualDelta: d("1200")}},
				Elements: []exposure.ElementDelta{{Element: "Nd", AnnualDelta: d("900")}, {Element: "Dy", AnnualDelta: d("100")}},
				Months:   monthsFrom(start, 12, d("100"))},
			{Scenario: emb, Probability: d("0.4"), AnnualDelta: d("12000.5"), HorizonDelta: d("12000.5"),
				Split:    exposure.Split{Price: d("8000"), Shortage: d("3000.5"), Carrying: d("0"), Tariff: d("1000")},
				Products: []exposure.ProductDelta{{Product: "EDU-150", UnitDelta: d("1.000041666666667"), AnnualDelta: d("12000.5")}},
				Elements: []exposure.ElementDelta{{Element: "Nd", AnnualDelta: d("6000")}, {Element: "Dy", AnnualDelta: d("2000")}},
				Months:   monthsFrom(start, 12, d("1000.041666666666667"))},
		},
		ExpectedAnnualDelta: d("5520.2"),
		Elements: []exposure.ElementExposure{
			{Element: "Nd", AnnualKg: d("1350"), ByClass: [3]decimal.Decimal{d("900"), d("0"), d("450")}, ChinaPrice: d("75.5")},
			{Element: "Dy", AnnualKg: d("45"), ByClass: [3]decimal.Decimal{d("30"), d("0"), d("15")}, ChinaPrice: d("278")},
		},
		Stages: []exposure.StageCountry{
			{Stage: exposure.StageMine, Country: "CN", Share: d("0.6667"), Kg: d("930"), HHI: d("10000")},
			{Stage: exposure.StageMine, Country: "", Share: d("0.3333"), Kg: d("465"), HHI: d("10000")},
			{Stage: exposure.StageComponent, Country: "CN", Share: d("0.6667"), Kg: d("930"), HHI: d("5556")},
			{Stage: exposure.StageComponent, Country: "JP", Share: d("0.3333"), Kg: d("465"), HHI: d("5556")},
		},
		Input:  in,
		Months: []string{},
	}
	for _, m := range r.Scenarios[0].Months {
		r.Months = append(r.Months, m.Month)
	}
	addUncertainty(r)
	r.Weigh() // the figures Compute would weigh
	rows := []exposure.PartRow{
		{Index: 1, Line: &in.BOM.Lines[1], Level: 2, Qty: d("1"), AnnualQty: d("1000"), CostBearing: true, UnitCost: d("180"),
			ClassProb: [3]decimal.Decimal{d("1"), d("0"), d("0")},
			Deltas:    []exposure.PartDelta{{UnitDelta: d("1.1"), AnnualDelta: d("1100")}, {UnitDelta: d("11"), AnnualDelta: d("11000")}}},
		{Index: 2, Line: &in.BOM.Lines[2], Level: 2, Qty: d("4"), AnnualQty: d("4000"), CostBearing: true, UnitCost: d("0.0125"),
			ClassProb: [3]decimal.Decimal{d("0.35"), d("0.5"), d("0.15")},
			Deltas:    []exposure.PartDelta{{UnitDelta: d("0.025"), AnnualDelta: d("100")}, {UnitDelta: d("0.250125"), AnnualDelta: d("1000.5")}}},
		{Index: 3, Line: &in.BOM.Lines[3], Level: 1, Qty: d("0.5"), AnnualQty: d("500"), CostBearing: true, UnitCost: d("180"),
			ClassProb: [3]decimal.Decimal{d("0"), d("0"), d("1")},
			Deltas:    []exposure.PartDelta{{UnitDelta: d("0"), AnnualDelta: d("0")}, {UnitDelta: d("0"), AnnualDelta: d("0")}}},
	}
	m := Meta{
		InputName: "edu-bom.xlsx", InputSHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		Version: "0.1.0-test", ScenarioSource: "built-in library (checked 2026-01-29)",
		Warnings: []Problem{{Sheet: "BOM", Cell: "K3", Message: "material NDFEB_38UH_BULK: composition from the reference data"}},
	}
	return &fixture{r: r, rows: rows, m: m}
}
