package exposure

import "testing"

// Hand-worked cases of the rules SPEC sections 2–5 gained in their
// revision: origin apart from component country, the import country per
// product, heavy-rare-earth separation, the material's value B, Controls
// by HS code and output at risk. Fixtures as in compute_test.go: product
// P1 1,200 a year (100 a month), prices Nd 100 (ex-China 130), Dy 400 (no
// ex-China quote).

// withOrigin returns s bought as made in origin.
func withOrigin(s Source, origin string) Source { s.Origin = CountryOf(origin); return s }

// withHRE returns s with its heavy rare earths separated in c.
func withHRE(s Source, c string) Source { s.HRESeparation = CountryOf(c); return s }

func TestComputeOriginApartFromComponent(t *testing.T) {
	// 1 kg Nd in a part of unit cost 100 whose magnet is made in Japan
	// from Australian ore separated in Malaysia: free, whatever its
	// origin. Controls: Nd direct +50%, free +10% → U = 1·130·10% = 13.
	controls := []Control{uplift("Nd", ClassDirect, "50"), uplift("Nd", ClassFree, "10")}
	tariffs := []Tariff{tar("US", "JP", "", "", "25"), tar("US", "MX", "", "", "10"), tar("US", "CN", "", "", "45")}
	jp := src("AU/MY/JP/JP", "100")
	runCases(t, []computeCase{
		{
			// Assembled in Mexico: the tariff is Mexico's 10% of 100 = 10,
			// not Japan's 25. Δ = 13 + 10 = 23 → 1,200·23 = 27,600.
			name: "assembled-in-mexico-pays-mexico-tariff-class-stays-free",
			in:   oneLine("1", "Nd=1", "", "", []Source{withOrigin(jp, "MX")}, scen("s", "0", controls, tariffs)),
			want: []check{annual(0, "27600"), splitOf(0, "price", "15600"), splitOf(0, "tariff", "12000"),
				exposureKg("Nd", "free", "1200"), exposureKg("Nd", "direct", "0")},
		},
		{
			// Assembled in China around the Japanese magnet: 45% of 100 = 45,
			// the class still free. Δ = 58 → 69,600.
			name: "assembled-in-china-pays-china-tariff-class-stays-free",
			in:   oneLine("1", "Nd=1", "", "", []Source{withOrigin(jp, "CN")}, scen("s", "0", controls, tariffs)),
			want: []check{annual(0, "69600"), splitOf(0, "tariff", "54000"), exposureKg("Nd", "free", "1200")},
		},
		{
			// A Chinese magnet in a part made in the US for a US product:
			// direct (U = 1·100·50% = 50), no duty under a `*` row: the part is
			// not imported. Δ = 50 → 60,000.
			name: "domestic-origin-pays-no-every-origin-tariff",
			in: oneLine("1", "Nd=1", "", "", []Source{withOrigin(src("CN/CN/CN/CN", "100"), "US")},
				scen("s", "0", controls, []Tariff{tar("US", "*", "", "", "25")})),
			want: []check{annual(0, "60000"), splitOf(0, "tariff", "0"), exposureKg("Nd", "direct", "1200")},
		},
		{
			// No origin given: it takes the component country (SPEC section
			// 2), here CN: 45% of 100 → 54,000; direct: 50 → 60,000.
			name: "empty-origin-takes-component-country",
			in:   oneLine("1", "Nd=1", "", "", []Source{src("CN/CN/CN/CN", "100")}, scen("s", "0", controls, tariffs)),
			want: []check{annual(0, "114000"), splitOf(0, "tariff", "54000")},
		},
	})
}

func TestComputeImportCountryPerProduct(t *testing.T) {
	// Two products of 1,200 a year with the same Chinese part (1 kg Nd,
	// cost 100): P1 is built in the settings' country (US), P2 in Denmark.
	// US/CN 25% charges P1 only: 25 × 1,200 = 30,000; DK/CN 5% charges P2
	// only: 5 × 1,200 = 6,000.
	line := func(product string, row int32) Line {
		return Line{Product: product, PartNumber: "MAG", Parent: -1, QtyPer: dec("1"), Content: content("Nd=1"),
			Sources: []Source{src("CN/CN/CN/CN", "100")}, Row: row}
	}
	in := oneLine("1", "", "", "", nil, scen("s", "0", nil, []Tariff{tar("US", "CN", "", "", "25"), tar("DK", "CN", "", "", "5")}))
	in.BOM = BOM{
		Products: []Product{{ID: "P1", AnnualVolume: dec("1200")}, {ID: "P2", AnnualVolume: dec("1200"), ImportCountry: "DK"}},
		Lines:    []Line{line("P1", 2), line("P2", 3)},
	}
	runCases(t, []computeCase{{
		name: "each-product-pays-its-own-import-countrys-duty",
		in:   in,
		want: []check{productAnnual(0, "P1", "30000"), productAnnual(0, "P2", "6000"), annual(0, "36000")},
	}})
}

func TestComputeHeavySeparation(t *testing.T) {
	// A Japanese magnet, 0.5 kg Nd and 0.05 kg Dy, ore mined in Australia,
	// NdPr separated in Malaysia. Controls: Nd,Dy upstream +100%, free
	// +10%.
	controls := []Control{uplift("Nd,Dy", ClassUpstream, "100"), uplift("Nd,Dy", ClassFree, "10")}
	jp := src("AU/MY/JP/JP", "50")
	shares := append(testStageShares(), StageShare{Stage: StageHRESeparation, Country: "CN", Share: dec("0.99")})
	withShares := func(in Input) Input { in.StageShares = shares; return in }
	runCases(t, []computeCase{
		{
			// Dy separated in China: Dy upstream, Nd free.
			// Nd 0.5·130·10% = 6.5; Dy 0.05·400·100% = 20; Δ = 26.5 → 31,800
			// (Nd 7,800, Dy 24,000).
			name: "heavy-separated-in-china-makes-dy-upstream-nd-free",
			in:   oneLine("1", "Nd=0.5,Dy=0.05", "", "", []Source{withHRE(jp, "CN")}, scen("s", "0", controls, nil)),
			// The Parts sheet splits the content by mass: 0.5 of 0.55 kg
			// free, 0.05 upstream.
			want: []check{annual(0, "31800"), elementDelta(0, "Nd", "7800"), elementDelta(0, "Dy", "24000"),
				exposureKg("Nd", "free", "600"), exposureKg("Dy", "upstream", "60"), exposureKg("Dy", "free", "0"),
				part("P1/MAG", 0, "p_free", "~0.909091"), part("P1/MAG", 0, "p_upstream", "~0.090909")},
		},
		{
			// No heavy-separation country: it takes the separation one (MY):
			// both free. Dy has no ex-China quote: 0.05·400·10% = 2; Δ = 8.5 → 10,200.
			name: "heavy-separation-defaults-to-separation-country",
			in:   oneLine("1", "Nd=0.5,Dy=0.05", "", "", []Source{jp}, scen("s", "0", controls, nil)),
			want: []check{annual(0, "10200"), exposureKg("Dy", "free", "60")},
		},
		{
			// Both separations unknown (world): Nd takes the separation
			// share 0.91, Dy the heavy-separation share 0.99.
			// Nd 0.5·(0.91·100·100% + 0.09·130·10%) = 0.5·92.17 = 46.085;
			// Dy 0.05·(0.99·400·100% + 0.01·400·10%) = 0.05·396.4 = 19.82;
			// Δ = 65.905 → 79,086.
			name: "unknown-heavy-separation-takes-its-own-world-share",
			in:   withShares(oneLine("1", "Nd=0.5,Dy=0.05", "", "", []Source{src("AU/?/JP/JP", "50")}, scen("s", "0", controls, nil))),
			want: []check{annual(0, "79086"), elementDelta(0, "Nd", "55302"), elementDelta(0, "Dy", "23784")},
		},
	})
}

func TestComputeMaterialValue(t *testing.T) {
	// MAG, qty 2: 0.5 kg Nd, 0.05 kg Dy. Availability 50%, spot 40%:
	// S = B·0.5·0.4 = 0.2·B per magnet; annual 2,400·0.2·B = 480·B.
	sc := scen("s", "40", []Control{ctl("Nd,Dy", AnyClass, "0", "50", "0")}, nil)
	cn := []Source{src("CN/CN/CN/CN", "500")}
	withMaterial := func(code, kg string, mats map[string]Material) Input {
		in := oneLine("2", "Nd=0.5,Dy=0.05", "", code, cn, sc)
		in.BOM.Lines[0].MaterialKg = dec(kg)
		in.Materials = mats
		return in
	}
	priced := map[string]Material{"M1": {Code: "M1", PricePerKg: dec("30")}, "M2": {Code: "M2"}}
	runCases(t, []computeCase{
		{
			// 2 kg of M1 at 30 a kg: B = 60, not the unit cost 500: 28,800.
			name: "material-price-times-mass",
			in:   withMaterial("M1", "2", priced),
			want: []check{partValue("P1/MAG", "60"), splitOf(0, "shortage", "28800")},
		},
		{
			// M2 has no price: the content's value at China prices,
			// 0.5·100 + 0.05·400 = 70 → 33,600.
			name: "material-without-price-falls-back-to-content-value",
			in:   withMaterial("M2", "2", priced),
			want: []check{partValue("P1/MAG", "70"), splitOf(0, "shortage", "33600")},
		},
		{
			// No re_mass_kg: the content's value too.
			name: "material-without-mass-falls-back-to-content-value",
			in:   withMaterial("M1", "0", priced),
			want: []check{partValue("P1/MAG", "70"), splitOf(0, "shortage", "33600")},
		},
	})
}

func TestComputeControlsByHSCode(t *testing.T) {
	// P1 (1,200 a year) holds three top-level lines, each 1 kg Nd from
	// China (B = 100): a magnet (HS 8505.11), a motor (8501.53) and a part
	// without HS code. Spot premium 100%. Controls:
	//   Controls!2  *,  *,      no prefix   availability 50
	//   Controls!3  Nd, direct, 8505        availability 25
	//   Controls!4  *,  *,      8501        clears (uplift 0, availability 100)
	// Magnet: !3 (four digits beat none): S = 100·0.75 = 75 → 90,000.
	// Motor: !4, four digits, beats !2 though it names every element and
	// class: nothing → 0. Loose part: only !2: S = 50 → 60,000.
	// Units at risk: the magnet's 25% bounds P1: 100·12·0.75 = 900.
	line := func(pn, hs string, row int32) Line {
		return Line{Product: "P1", PartNumber: pn, Parent: -1, QtyPer: dec("1"), HSCode: hs, Content: content("Nd=1"),
			Sources: []Source{src("CN/CN/CN/CN", "300")}, Row: row}
	}
	hsRow := func(c Control, hs string) Control { c.HSPrefix = hs; return c }
	controls := []Control{
		ctl("*", AnyClass, "0", "50", "0"),
		hsRow(ctl("Nd", ClassDirect, "0", "25", "0"), "8505"),
		hsRow(ctl("*", AnyClass, "0", "100", "0"), "8501"),
	}
	in := oneLine("1", "", "", "", nil, scen("s", "100", controls, nil))
	in.BOM.Lines = []Line{line("MAG", "8505.11", 2), line("MOT", "8501.53", 3), line("LOOSE", "", 4)}
	tie := oneLine("1", "Nd=1", "8505.11", "", []Source{src("CN/CN/CN/CN", "300")},
		scen("s", "100", []Control{hsRow(ctl("Nd", AnyClass, "0", "50", "0"), "8505"), hsRow(ctl("Nd", AnyClass, "0", "60", "0"), "85.05")}, nil))
	runCases(t, []computeCase{
		{
			name: "hs-prefix-row-clears-motor-licences-magnet",
			in:   in,
			want: []check{part("P1/MAG", 0, "annual_delta", "90000"), part("P1/MOT", 0, "annual_delta", "0"),
				part("P1/LOOSE", 0, "annual_delta", "60000"), annual(0, "150000"), unitsAtRisk(0, "P1", "900")},
		},
		{
			// Equally many digits (8505 and 85.05 are both 4), elements and class: an error.
			name:   "hs-prefix-tie-is-an-error",
			in:     tie,
			err:    ErrAmbiguousRule,
			errHas: []string{"Controls!2", "Controls!3"},
		},
	})
}

func TestComputeUnitsAtRisk(t *testing.T) {
	// One line, 1 kg Nd, half from China (direct, availability 40% in
	// months 1–6), half from Japan (free, unaffected): the line can have
	// 0.5·0.4 + 0.5·1 = 0.7 of its demand, r = 0.3 in months 1–6, 0 after:
	// units at risk = 100·6·0.3 = 180. A second product without content has none.
	c := during(ctl("Nd", ClassDirect, "0", "40", "0"), rel(1), rel(6))
	in := oneLine("1", "Nd=1", "", "", []Source{share(src("CN/CN/CN/CN", "50"), "0.5"), share(src("AU/MY/JP/JP", "50"), "0.5")},
		scen("s", "0", []Control{c}, nil))
	in.BOM.Products = append(in.BOM.Products, Product{ID: "P2", AnnualVolume: dec("1200")})
	in.BOM.Lines = append(in.BOM.Lines, Line{Product: "P2", PartNumber: "BOLT", Parent: -1, QtyPer: dec("1"),
		Sources: []Source{src("CN/CN/CN/CN", "1")}, Row: 3})
	runCases(t, []computeCase{{
		name: "share-weighted-availability-of-a-mixed-line",
		in:   in,
		want: []check{unitsAtRisk(0, "P1", "180"), unitsAtRisk(0, "P2", "0")},
	}})
}
