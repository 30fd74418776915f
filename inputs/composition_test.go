package inputs

import (
	"testing"
)

// Tests of compositions (the balance rule of SPEC section 2), the mass of
// a line's material and material prices.

// gradeSheets is an input with a grade of its own, MY_N: Nd 24, Pr 6,
// Dy 1, Fe 68, B 1 = 100 wt%, Fe its balance element (its largest
// element that is not a rare earth). Iron gets a price so that the
// content shows its mass.
func gradeSheets(headers, cells []any) map[string][][]any {
	return map[string][][]any{
		"Products":  oneProduct(),
		"Prices":    {{"element", "price_usd_per_kg"}, {"Fe", 1}},
		"Materials": {{"material", "Nd", "Pr", "Dy", "Fe", "B"}, {"MY_N", 24, 6, 1, 68, 1}},
		"BOM": {
			append([]any{"product", "part_number", "qty_per", "material", "re_mass_kg"}, headers...),
			append([]any{"P1", "MAG", 1, "MY_N", 1}, cells...),
		},
	}
}

func TestBalanceElementGivesWay(t *testing.T) {
	cases := []struct {
		name    string
		headers []any
		cells   []any
		want    map[string]string // kg in 1 kg of the material
	}{
		{
			// Dy 5 instead of 1 adds 4: 104 wt%, so Fe gives way by 4,
			// 68 → 64. 1 kg: Fe 0.64, Dy 0.05, Nd 0.24, Pr 0.06.
			name: "Dy 5", headers: []any{"Dy"}, cells: []any{5},
			want: map[string]string{"Fe": "0.64", "Dy": "0.05", "Nd": "0.24", "Pr": "0.06"},
		},
		{
			// Dy 3 and Tb 2 (new) add 2 + 2 = 4: Fe 64 again.
			name: "Dy 3 and Tb 2", headers: []any{"Dy", "Tb"}, cells: []any{3, 2},
			want: map[string]string{"Fe": "0.64", "Dy": "0.03", "Tb": "0.02"},
		},
		{
			// The row sets Fe itself, low enough: 24+6+5+60+1 = 96, no
			// give-way. Fe 0.6.
			name: "row sets Fe too", headers: []any{"Dy", "Fe"}, cells: []any{5, 60},
			want: map[string]string{"Fe": "0.6", "Dy": "0.05"},
		},
		{
			// Within rounding: Dy 1.005 makes 100.005; Fe gives way by
			// 0.005 to 67.995, so the total is exactly 100.
			name: "past 100 by rounding", headers: []any{"Dy"}, cells: []any{"1.005"},
			want: map[string]string{"Fe": "0.67995", "Dy": "0.01005"},
		},
		{
			// Seven decimals leave the integer sum for the decimal one:
			// Dy 5.0000001 adds 4.0000001, Fe 63.9999999 → 0.639999999.
			name: "seven decimals", headers: []any{"Dy"}, cells: []any{"5.0000001"},
			want: map[string]string{"Fe": "0.639999999", "Dy": "0.050000001"},
		},
		{
			// Lowering an element pushes nothing past 100: Fe stays 68
			// (99 wt% in all).
			name: "lower", headers: []any{"Nd"}, cells: []any{23},
			want: map[string]string{"Fe": "0.68", "Nd": "0.23"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := mustRead(t, gradeSheets(tc.headers, tc.cells), Options{})
			ln := lineOf(t, l, "P1", "MAG")
			for e, w := range tc.want {
				got, ok := massOf(ln, e)
				if !ok {
					t.Errorf("no %s in %v", e, ln.Content)
					continue
				}
				wantDec(t, e+" kg", got, w)
			}
			for _, p := range l.Problems {
				if p.Sheet == "BOM" && p.Cell != "1" && !p.Figures { // row 1: no parent column, a warning; Figures: the BOM as a whole (silent.go)
					t.Errorf("problem %s, want none (the balance gives way silently)", p)
				}
			}
		})
	}
}

func TestBalanceElementGivesWayOnThatRowOnly(t *testing.T) {
	// The first row's Dy 5 takes Fe down to 64; the second row, without
	// wt% cells, keeps the grade's Fe 68: 0.68 kg.
	sheets := gradeSheets([]any{"Dy"}, []any{5})
	sheets["BOM"] = append(sheets["BOM"], []any{"P1", "MAG2", 1, "MY_N", 1, nil})
	l := mustRead(t, sheets, Options{})
	fe1, _ := massOf(lineOf(t, l, "P1", "MAG"), "Fe")
	fe2, _ := massOf(lineOf(t, l, "P1", "MAG2"), "Fe")
	wantDec(t, "MAG Fe", fe1, "0.64")
	wantDec(t, "MAG2 Fe", fe2, "0.68")
	if m := l.Input.Materials["MY_N"]; !m.WtPct["Fe"].Equal(fe2.Shift(2)) {
		t.Errorf("the material's Fe became %s", m.WtPct["Fe"])
	}
}

func TestBalanceElementErrors(t *testing.T) {
	// Columns: A product, B part, C qty, D material, E re_mass_kg, then
	// the wt% cells from F.
	cases := []struct {
		name    string
		headers []any
		cells   []any
		cell    string
		words   []string
	}{
		{
			// Nd 80 and Pr 30 with the grade's Dy 1: the rare earths alone
			// make 111. The error is on the row's first wt% cell.
			name: "rare earths alone over 100", headers: []any{"Nd", "Pr"}, cells: []any{80, 30},
			cell: "F2", words: []string{"rare earths", "111"},
		},
		{
			// Nd 70 and Pr 28.5 with Dy 1: rare earths 99.5, B 1 more
			// makes 100.5 without Fe; total 168.5, so Fe would give way by
			// 68.5 from 68: below 0.
			name: "balance below 0", headers: []any{"Nd", "Pr"}, cells: []any{70, "28.5"},
			cell: "F2", words: []string{"168.5", "Fe", "below 0"},
		},
		{
			// The row sets Fe too: it does not give way. 24+6+5+68+1 =
			// 104; the error is on the Fe cell, G2.
			name: "row sets the balance", headers: []any{"Dy", "Fe"}, cells: []any{5, 68},
			cell: "G2", words: []string{"104", "Fe"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ie := mustFail(t, gradeSheets(tc.headers, tc.cells), Options{})
			wantProblem(t, ie.Problems, "BOM", tc.cell, true, tc.words...)
			if n := countErrors(ie.Problems); n != 1 {
				t.Errorf("%d errors, want 1:\n%s", n, listProblems(ie.Problems))
			}
		})
	}
}

func TestMaterialsRowOver100(t *testing.T) {
	// A Materials row states a whole composition: Nd 30 + Fe 71 = 101 is
	// an error at its first wt% cell B2; Fe does not give way.
	sheets := map[string][][]any{
		"Products":  oneProduct(),
		"BOM":       simpleBOM(),
		"Materials": {{"material", "Nd", "Fe"}, {"MY_N", 30, 71}},
	}
	ie := mustFail(t, sheets, Options{})
	wantProblem(t, ie.Problems, "Materials", "B2", true, "MY_N", "101")
}

func TestLineMaterialKg(t *testing.T) {
	cases := []struct {
		name    string
		headers []any
		cells   []any
		kg      string
		nd      string // Nd kg: N42's 23.5 wt% of the mass, as before
	}{
		{"re_mass_kg", []any{"re_mass_kg"}, []any{"1.5"}, "1.5", "0.3525"}, // 1.5 × 23.5%
		{"re_mass_g", []any{"re_mass_g"}, []any{500}, "0.5", "0.1175"},     // 500 g = 0.5 kg
		{"grams of Nd only", []any{"Nd_g"}, []any{20}, "0", "0.02"},        // no mass: zero
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": magnetBOM(tc.headers, tc.cells)}, Options{})
			ln := lineOf(t, l, "P1", "MAG")
			wantDec(t, "material kg", ln.MaterialKg, tc.kg)
			nd, _ := massOf(ln, "Nd")
			wantDec(t, "Nd kg", nd, tc.nd)
		})
	}
	// A line without any: zero.
	l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": simpleBOM()}, Options{})
	wantDec(t, "A material kg", lineOf(t, l, "P1", "A").MaterialKg, "0")
}

func TestMaterialPrices(t *testing.T) {
	materials := [][]any{
		{"material", "Nd", "Fe", "price_usd_per_kg", "as_of", "source"},
		{"MY_N", 30, 70, 80, "2026-01-29", "quote 17"},
		{"NO_PRICE", 30, 70, nil, nil, "datasheet"},
	}
	bom := [][]any{{"product", "part_number", "qty_per", "unit_cost", "currency"}, {"P1", "A", 1, 10, "USD"}}
	settings := [][]any{{"key", "value"}, {"currency", "EUR"}}
	l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": bom, "Materials": materials,
		"Settings": settings, "FX": {{"currency", "rate"}, {"USD", "0.9"}}}, Options{})
	m := l.Input.Materials["MY_N"]
	// 80 USD a kg at 0.9 EUR per USD: 72 EUR a kg; the quote stays.
	wantDec(t, "MY_N price EUR", m.PricePerKg, "72")
	wantDec(t, "MY_N price USD", m.USDPerKg, "80")
	if m.PriceAsOf != "2026-01-29" || m.PriceSource != "quote 17" || m.Source != "quote 17" {
		t.Errorf("MY_N as of %q, price source %q, source %q: want the sheet's as_of and source for both", m.PriceAsOf, m.PriceSource, m.Source)
	}
	if n := l.Input.Materials["NO_PRICE"]; !n.PricePerKg.IsZero() || !n.USDPerKg.IsZero() || n.PriceSource != "" {
		t.Errorf("NO_PRICE price %s (%s USD) source %q: want none", n.PricePerKg, n.USDPerKg, n.PriceSource)
	}

	// In USD the price is the quote.
	l = mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": bom, "Materials": materials}, Options{})
	wantDec(t, "MY_N price USD report", l.Input.Materials["MY_N"].PricePerKg, "80")

	// The price_as_of and price_source headers are aliases on the sheet.
	materials[0][4], materials[0][5] = "price_as_of", "price_source"
	l = mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": bom, "Materials": materials}, Options{})
	if m := l.Input.Materials["MY_N"]; m.PriceAsOf != "2026-01-29" || m.PriceSource != "quote 17" {
		t.Errorf("aliases: as of %q, price source %q", m.PriceAsOf, m.PriceSource)
	}

	// Without a USD rate a EUR report cannot convert the prices: one
	// error at the FX sheet, for element and material prices alike.
	ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": simpleBOM(), "Materials": materials, "Settings": settings}, Options{})
	wantProblem(t, ie.Problems, "FX", "", true, "USD", "material")
	if n := countErrors(ie.Problems); n != 1 {
		t.Errorf("%d errors, want 1:\n%s", n, listProblems(ie.Problems))
	}

	// A bad price is an error at its cell, D2.
	materials[1][3] = "eighty"
	ie = mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": bom, "Materials": materials}, Options{})
	wantProblem(t, ie.Problems, "Materials", "D2", true, "eighty")
}
