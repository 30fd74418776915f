package exposure

import "testing"

// Hand-worked cases of the rules SPEC section 8 gained in its revision:
// the cap on the capped countries only, no regression, giving way only
// where the cap cannot be met, material-level candidates priced on B, and
// qualification time and cost. Fixtures as in recommend_test.go: product
// P1, 1,200 a year; the scenarios are controlled by CN, so by default CN
// alone is capped.

// TestPlanFiftyFiftyNotAllChina: today half from a Chinese SmCo maker
// (3.20) and half from a US one whose Sm is separated in China (5.90).
// China is cheaper even with a 25% tariff (4.00 against 5.90). The
// separation stage is 100% Chinese whatever the mix: it gives way there
// (excess 0.35), and there only. At the component stage China may hold
// 65% at most: CN 0.65, US 0.35, never 100%. Premium per unit 0.65·3.2 +
// 0.35·5.9 − (0.5·3.2 + 0.5·5.9) = 4.145 − 4.55 = −0.405, a year −486.
// Expected saving: today 0.5·4 + 0.5·5.9 = 4.95; plan 0.65·4 + 0.35·5.9 =
// 4.665; 0.285 · 1,200 = 342.
func TestPlanFiftyFiftyNotAllChina(t *testing.T) {
	cn := share(src("CN/CN/CN/CN", "3.20"), "0.5")
	cn.Supplier = "CN"
	us := share(src("?/CN/US/US", "5.90"), "0.5")
	us.Supplier = "US"
	in := oneLine("1", "", "", "", []Source{cn, us}, cnTariff("tariff", "1", "25"))
	p, v := plan(t, in)
	if len(p.Lines) != 1 {
		t.Fatalf("%d lines listed, want 1", len(p.Lines))
	}
	lp := p.Lines[0]
	if got := shares(lp); got != "CN=0.65 US=0.35" {
		t.Errorf("shares %s, want CN 0.65, US 0.35", got)
	}
	wantEqual(t, "premium", lp.Premium, "-486")
	wantEqual(t, "expected saving", lp.ExpectedSaving, "342")
	if len(lp.CapBreaks) != 1 || lp.CapBreaks[0].Stage != StageSeparation || lp.CapBreaks[0].Why != "no candidate outside it at this stage" {
		t.Errorf("cap breaks %+v, want separation only, for want of a candidate outside China", lp.CapBreaks)
	}
	if lp.RequiredByCap {
		t.Error("a plan that saves is not required by the cap")
	}
	checkAgreesWithParts(t, p, v)
}

// TestPlanNoRegressionWhenCapCannotBeMet: two sources today, half each:
// A with Chinese separation and a Japanese magnet (10 a unit), B with
// Japanese separation and a Chinese magnet (12, and a 1% tariff on the
// Chinese part: 12.12). Cap 40%: China holds x_A at separation and x_B at
// the component stage, x_A + x_B = 1, so the two stages exceed the cap by
// 0.2 together whatever the mix — today's 0.1 + 0.1 is already the least.
// Cost alone would move to A (x_A = 0.6, all the excess at separation);
// no regression keeps China's separation share at today's 0.5 at most, so
// today's mix stands (listed, as it leaves two stages above the cap).
func TestPlanNoRegressionWhenCapCannotBeMet(t *testing.T) {
	a := share(src("?/CN/?/JP", "10"), "0.5")
	a.Supplier = "A"
	b := share(src("?/JP/?/CN", "12"), "0.5")
	b.Supplier = "B"
	in := oneLine("1", "", "", "", []Source{a, b}, cnTariff("tariff", "1", "1"))
	in.Settings.CountryCap = dec("40")
	p, _ := plan(t, in)
	// Listed all the same: two stages stay above the cap, and the sheet
	// must say so.
	if p.Planned != 1 || len(p.Lines) != 1 || p.Lines[0].Changed || shares(p.Lines[0]) != "A=0.5 B=0.5" || len(p.Lines[0].CapBreaks) != 2 {
		for _, lp := range p.Lines {
			t.Logf("plan: %s, cap breaks %v", shares(lp), lp.CapBreaks)
		}
		t.Errorf("planned %d, listed %d: want today's 50/50 kept, listed for its two stages above the cap", p.Planned, len(p.Lines))
	}
}

// TestPlanUncappedCountryLeftAlone: a part made wholly in the US, for a
// US product, with a dearer Mexican alternative. Under the default
// --cap-countries (the scenarios' controlling country, CN) the US is not
// capped: nothing forces spend on Mexico, so the plan is today's mix and
// the line is not listed. With --cap-countries all, the US (the import
// country) is still exempt.
func TestPlanUncappedCountryLeftAlone(t *testing.T) {
	us := src("US/US/US/US", "10")
	us.Supplier = "US"
	for _, scope := range []CapScope{{}, {All: true}} {
		in := oneLine("1", "Nd=0.1", "", "", []Source{us}, scen("s", "50", []Control{ctl("Nd", AnyClass, "20", "50", "30")}, nil))
		in.Alternatives = []Alternative{alt("MX", "US/US/MX/MX", "12")}
		in.Settings.CapCountries = scope
		p, _ := plan(t, in)
		if len(p.Lines) != 0 || p.Planned != 1 || p.Changed != 0 || p.RequiredByCap != 0 {
			t.Errorf("cap countries %s: %d lines listed, %d planned, %d changed, %d required by the cap; want 0, 1, 0, 0", scope, len(p.Lines), p.Planned, p.Changed, p.RequiredByCap)
		}
	}
}

// TestPlanMaterialLevelKeepsAssemblyAndTariff: a motor assembled in China
// (unit cost 100) around a 0.1 kg magnet of M1 at 50 a kg: B = 5. China's
// licence leaves none of the magnet (availability 0, spot premium 100%):
// shortage 5 a motor; a 25% tariff on the Chinese motor: 25. Today 130 a
// motor beyond its cost... i.e. cost 100 + 25 + 5.
// A Japanese magnet centre by material at +40%: the same motor, still
// assembled in China, with its magnet made in Japan (AU/MY/JP/JP, heavy
// separation MY: free). Its unit cost is 100 + 5·40% = 102 — 2, not 40% of
// the motor — and its tariff stays, on the dearer customs value: 25.5. No
// shortage. 127.5 against 130: all of it moves (Japan is not capped).
// Premium 1,200 · 2 = 2,400; saving 1,200 · 2.5 = 3,000.
func TestPlanMaterialLevelKeepsAssemblyAndTariff(t *testing.T) {
	motor := src("CN/CN/CN/CN", "100")
	motor.Supplier = "Changzhou"
	sc := scen("s", "100", []Control{ctl("Nd", ClassDirect, "0", "0", "0")}, []Tariff{tar("US", "CN", "", "", "25")})
	in := oneLine("1", "Nd=0.03", "8501.31", "M1", []Source{motor}, sc)
	in.BOM.Lines[0].MaterialKg = dec("0.1")
	in.Materials = map[string]Material{"M1": {Code: "M1", PricePerKg: dec("50")}}
	in.Alternatives = []Alternative{{Material: "M1", Supplier: "JP magnets", Countries: at("AU/MY/JP/JP"), HRESeparation: "MY",
		PremiumPct: dec("40"), ByPremium: true, Ref: "Alternatives!2"}}
	p, v := plan(t, in)
	if len(p.Lines) != 1 {
		t.Fatalf("%d lines listed, want 1", len(p.Lines))
	}
	lp := p.Lines[0]
	c := lp.Candidates[1]
	if !c.MaterialLevel || len(c.Parts) != 1 || c.Parts[0].Supplier != "Changzhou" || c.Parts[0].Origin != "CN" {
		t.Fatalf("candidate %+v, want the Changzhou motor (origin CN) with a Japanese magnet", c)
	}
	wantEqual(t, "candidate unit cost", c.UnitCost, "102")
	if got := shares(lp); got != "Changzhou=0 JP magnets=1" {
		t.Errorf("shares %s, want all to the Japanese magnet", got)
	}
	wantEqual(t, "premium", lp.Premium, "2400")
	wantEqual(t, "expected saving", lp.ExpectedSaving, "3000")
	// The recommended year: 1,200 · (102 + 25.5) = 153,000.
	wantEqual(t, "recommended annual cost", lp.Recommended[0], "153000")
	checkAgreesWithParts(t, p, v)
}

// TestPlanQualificationTiming: CN at 10 with a 25% tariff (12.5) against a
// Japanese source at 11 that needs 3 months to qualify and 600 of
// samples and tooling. No cap. The plan moves everything to Japan from
// month 4 (Q + 1). Saving 1.5 a unit, 150 a month (100 units); over the
// 24-month horizon months 4..24: 21 · 150 = 3,150, less 600: 2,550. It
// pays back in month 7: 150 + 150 + 150 + 150 = 600 by then.
func TestPlanQualificationTiming(t *testing.T) {
	cn := src("?/?/?/CN", "10")
	cn.Supplier = "CN"
	in := oneLine("1", "", "", "", []Source{cn}, cnTariff("tariff", "1", "25"))
	in.Settings.CountryCap = dec("100")
	jp := alt("JP", "?/?/?/JP", "11")
	jp.QualificationMonths, jp.QualificationCost = 3, dec("600")
	in.Alternatives = []Alternative{jp}
	p, _ := plan(t, in)
	if len(p.Lines) != 1 {
		t.Fatalf("%d lines listed, want 1", len(p.Lines))
	}
	lp := p.Lines[0]
	if lp.QualificationMonth != 4 || lp.PaybackMonth != 7 {
		t.Errorf("qualification month %d, payback month %d; want 4, 7", lp.QualificationMonth, lp.PaybackMonth)
	}
	wantEqual(t, "expected saving (steady state)", lp.ExpectedSaving, "1800")
	wantEqual(t, "horizon saving", lp.HorizonSaving, "2550")
	wantEqual(t, "qualification cost", lp.QualificationCost, "600")
	wantEqual(t, "plan horizon saving", p.HorizonSaving, "2550")

	// 3,150 of saving cannot cover 4,000 of qualification: no payback
	// within the horizon, and a negative horizon saving.
	jp.QualificationCost = dec("4000")
	in.Alternatives = []Alternative{jp}
	p, _ = plan(t, in)
	if lp := p.Lines[0]; lp.PaybackMonth != 0 || !lp.HorizonSaving.Equal(dec("-850")) {
		t.Errorf("payback %d, horizon saving %s; want none (0), -850", lp.PaybackMonth, lp.HorizonSaving)
	}
}

// TestPlanRequiredByCap: CN at 10 with a 1% tariff (10.1) against JP at
// 11, cap 65%: the cap forces 35% to Japan at 0.9 a unit more: the
// expected saving is −378 (0.35 · 1,200 · 0.9), listed as required by the
// cap, and the plan's cost of the cap is 378.
func TestPlanRequiredByCap(t *testing.T) {
	cn := src("?/?/?/CN", "10")
	cn.Supplier = "CN"
	in := oneLine("1", "", "", "", []Source{cn}, cnTariff("tariff", "1", "1"))
	in.Alternatives = []Alternative{alt("JP", "?/?/?/JP", "11")}
	p, _ := plan(t, in)
	if len(p.Lines) != 1 || !p.Lines[0].RequiredByCap || p.RequiredByCap != 1 {
		t.Fatalf("lines %d, required %v / %d; want 1 line required by the cap", len(p.Lines), len(p.Lines) > 0 && p.Lines[0].RequiredByCap, p.RequiredByCap)
	}
	wantEqual(t, "expected saving", p.Lines[0].ExpectedSaving, "-378")
	wantEqual(t, "cost of the cap", p.CostOfCap, "378")
}

// TestParallelPanicReachesCaller: a panic in a worker is raised again in
// the caller's goroutine, where a command can recover it.
func TestParallelPanicReachesCaller(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Error("the worker's panic did not reach the caller")
		}
	}()
	parallel(1000, func(i int) {
		if i == 700 {
			panic("boom")
		}
	})
}
