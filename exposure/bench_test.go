package exposure

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// benchInput builds an in-memory BOM of n lines over 10 products, in
// groups of 10 lines three levels deep (an assembly, a rotor below it,
// magnets and plain parts below that), with a handful of materials,
// countries and HS codes, some lines bought from two sources, and the
// seven scenarios of a typical library over a 24-month horizon. Values
// are shared between lines (decimals are immutable), as a reader that
// interns them would.
func benchInput(n int) Input {
	const products = 10
	in := Input{
		Prices:      testPrices(),
		Materials:   map[string]Material{},
		StageShares: testStageShares(),
		Settings:    testSettings(),
	}
	for _, e := range []string{"Sm", "Gd", "Ho", "Lu", "Y"} {
		in.Prices[e] = Price{Element: e, China: dec("50"), ExChina: dec("60")}
	}
	for p := 0; p < products; p++ {
		in.BOM.Products = append(in.BOM.Products, Product{ID: fmt.Sprintf("P%d", p), AnnualVolume: dec(fmt.Sprint(1000 * (p + 1)))})
	}
	ndfeb := content("Nd=0.02,Pr=0.006,Dy=0.002,Tb=0.0005")
	smco := content("Sm=0.01,Co=0.02")
	coating := content("Y=0.0001")
	one := dec("1")
	sources := [][]Source{
		{src("CN/CN/CN/CN", "3.5")},
		{src("?/CN/CN/JP", "4.2")},
		{src("AU/MY/JP/JP", "5")},
		{src("?/?/?/?", "3.9")},
		{share(src("CN/CN/CN/CN", "3.5"), "0.6"), share(src("US/US/US/US", "6"), "0.4")},
		{src("AU/CN/CN/VN", "4")},
	}
	plain := [][]Source{{src("?/?/?/DE", "12")}, {src("?/?/?/CN", "8")}, {src("?/?/?/MX", "20")}}
	qty := []decimal.Decimal{one, dec("2"), dec("8"), dec("0.5")}
	in.BOM.Lines = make([]Line, 0, n)
	per := (n + products - 1) / products
	for i := 0; i < n; i++ {
		p := i / per
		g := i % 10
		base := len(in.BOM.Lines) - g // index of the group's assembly
		l := Line{Product: in.BOM.Products[p].ID, PartNumber: fmt.Sprintf("PN-%d", i%5000), Row: int32(i + 2)}
		switch {
		case g == 0 || i%per == 0: // assembly, top level
			l.Parent, l.QtyPer, l.Sources = -1, one, plain[i%len(plain)]
		case g == 1: // rotor under the assembly, with its own coating
			l.Parent, l.QtyPer, l.Content, l.Sources = int32(base), qty[1], coating, sources[i%len(sources)]
		case g <= 5: // NdFeB magnets under the rotor
			l.Parent, l.QtyPer, l.Material, l.HSCode, l.Content = int32(base+1), qty[2], "NdFeB", "85051110", ndfeb
			l.Sources = sources[(i/10)%len(sources)]
		case g == 6: // SmCo magnet
			l.Parent, l.QtyPer, l.Material, l.HSCode, l.Content = int32(base+1), qty[1], "SmCo", "85051900", smco
			l.Sources = sources[(i/10+1)%len(sources)]
		default: // plain parts
			l.Parent, l.QtyPer, l.HSCode, l.Sources = int32(base), qty[3], "84829900", plain[g%len(plain)]
		}
		if int(l.Parent) >= len(in.BOM.Lines) || (l.Parent >= 0 && in.BOM.Lines[l.Parent].Product != l.Product) {
			l.Parent = -1
		}
		in.BOM.Lines = append(in.BOM.Lines, l)
	}
	hre7 := "Sm,Gd,Tb,Dy,Lu,Sc,Y"
	hre12 := hre7 + ",Ho,Er,Tm,Yb,Eu"
	scenarios := []Scenario{
		scen("status-quo", "10", []Control{uplift("*", AnyClass, "5")}, nil),
		scen("apr-2025", "40", []Control{
			during(ctl(hre7, AnyClass, "60", "70", "45"), Month{}, rel(6)),
			during(ctl(hre7, AnyClass, "30", "90", "20"), rel(7), Month{}),
		}, nil),
		scen("oct-2025", "50", []Control{
			ctl(hre12, ClassDirect, "80", "60", "60"), ctl(hre12, ClassUpstream, "40", "80", "30"),
			ctl("*", AnyClass, "10", "100", "0"),
		}, nil),
		scen("embargo", "80", []Control{ctl("*", ClassDirect, "150", "0", "90"), ctl("*", ClassUpstream, "60", "50", "45")}, nil),
		scen("easing", "0", []Control{during(uplift("*", AnyClass, "-20"), rel(4), Month{})}, nil),
		scen("section-301", "0", nil, []Tariff{tar("US", "CN", "", "8505", "25"), tar("US", "*", "", "", "0"), tar("EU", "CN", "", "", "10")}),
		scen("escalation", "60", []Control{during(ctl("Nd,Pr", AnyClass, "100", "80", "30"), rel(3), Month{}), uplift("*", ClassFree, "20")},
			[]Tariff{tar("US", "CN", "NdFeB", "", "50")}),
	}
	for i, p := range []string{"0.1", "0.2", "0.15", "0.05", "0.2", "0.2", "0.1"} {
		scenarios[i].Prior = dec(p)
	}
	in.Scenarios = scenarios
	return in
}

func BenchmarkCompute(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
			in := benchInput(n)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r, err := Compute(in)
				if err != nil {
					b.Fatal(err)
				}
				if len(r.Scenarios) != 7 || len(r.Months) != 24 {
					b.Fatalf("Compute(lines=%d) = %d scenarios, %d months, want 7 and 24", n, len(r.Scenarios), len(r.Months))
				}
				// Iterate Parts as the report writer does, and check that the
				// lines add up to the scenarios.
				sums := make([]decimal.Decimal, len(r.Scenarios))
				rows := 0
				err = r.Parts(func(p PartRow) error {
					rows++
					for s := range p.Deltas {
						sums[s] = sums[s].Add(p.Deltas[s].AnnualDelta)
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				if rows == 0 {
					b.Fatalf("Compute(lines=%d) Parts yielded no rows", n)
				}
				for s, sr := range r.Scenarios {
					if !sums[s].Round(4).Equal(sr.AnnualDelta.Round(4)) {
						b.Fatalf("Compute(lines=%d, scenario=%s) Σ parts annual_delta = %s, want %s", n, sr.Scenario.ID, sums[s], sr.AnnualDelta)
					}
				}
				if sr := r.Scenarios[1]; sr.AnnualDelta.Sign() <= 0 || !strings.HasPrefix(r.Months[0], "2026-") {
					b.Fatalf("Compute(lines=%d) apr-2025 annual_delta = %s, month 1 = %s, want > 0 and 2026-..", n, sr.AnnualDelta, r.Months[0])
				}
			}
		})
	}
}
