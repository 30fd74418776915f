package inputs

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
)

// Tests of the BOM sheet: its tree, element content and the Sourcing
// sheet. Masses are worked by hand in the comments.

func twoProducts() [][]any {
	return [][]any{{"product", "annual_volume"}, {"P1", 100}, {"P2", 200}}
}

func TestBOMParentsInAnyOrder(t *testing.T) {
	// Children come before their parents. Tree of P1:
	//   MOT (parent = the product id, top level)
	//     ROT
	//       MAG
	//     STA
	// and P2 has its own ROT (same part number, other product) under GEN.
	bom := [][]any{
		{"product", "part_number", "parent", "qty_per"},
		{"P1", "MAG", "ROT", 8}, // line 0
		{"P1", "ROT", "MOT", 1}, // line 1
		{"P2", "ROT", "GEN", 2}, // line 2
		{"P1", "MOT", "P1", 1},  // line 3
		{"P1", "STA", "MOT", 1}, // line 4
		{"P2", "GEN", "", 1},    // line 5
	}
	l := mustRead(t, map[string][][]any{"Products": twoProducts(), "BOM": bom}, Options{})
	want := []int32{1, 3, 5, -1, 3, -1}
	for i, ln := range l.Input.BOM.Lines {
		if ln.Parent != want[i] {
			t.Errorf("line %d (%s/%s) parent %d, want %d", i, ln.Product, ln.PartNumber, ln.Parent, want[i])
		}
	}
	// Exploded quantity of MAG in one P1: 8 × 1 × 1 = 8, following the
	// Parent indexes up to the top.
	q := decimal.NewFromInt(1)
	for i := int32(0); i >= 0; i = l.Input.BOM.Lines[i].Parent {
		q = q.Mul(l.Input.BOM.Lines[i].QtyPer)
	}
	wantDec(t, "exploded MAG qty", q, "8")
}

func TestBOMRepeatedPartNumbers(t *testing.T) {
	// ROT and MAG are in both products; SHIM names its parent ROT from
	// far below it, so only the product tells which ROT is meant.
	bom := [][]any{
		{"product", "part_number", "parent", "qty_per"},
		{"P1", "MOT", "", 1},     // line 0
		{"P1", "ROT", "MOT", 1},  // line 1
		{"P1", "MAG", "ROT", 8},  // line 2: on the path from line 1
		{"P2", "GEN", "", 1},     // line 3
		{"P2", "ROT", "GEN", 1},  // line 4
		{"P2", "MAG", "ROT", 30}, // line 5: P2's ROT, not P1's
		{"P1", "STA", "MOT", 1},  // line 6
		{"P1", "SHIM", "ROT", 2}, // line 7: P1's ROT, line 1, off the path
		{"P2", "SHIM", "ROT", 4}, // line 8: P2's ROT, line 4, off the path
	}
	l := mustRead(t, map[string][][]any{"Products": twoProducts(), "BOM": bom}, Options{})
	want := []int32{-1, 0, 1, -1, 3, 4, 0, 1, 4}
	for i, ln := range l.Input.BOM.Lines {
		if ln.Parent != want[i] {
			t.Errorf("line %d (%s/%s) parent %d, want %d", i, ln.Product, ln.PartNumber, ln.Parent, want[i])
		}
	}
}

func TestBOMProductColumnAbsent(t *testing.T) {
	bom := [][]any{
		{"part_number", "parent", "qty_per"},
		{"A", "", 1},
		{"B", "A", 2},
	}
	l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
	for _, ln := range l.Input.BOM.Lines {
		if ln.Product != "P1" {
			t.Errorf("%s product %q, want P1", ln.PartNumber, ln.Product)
		}
	}
	// With two products the lines cannot be placed: an error on the
	// BOM's header row.
	ie := mustFail(t, map[string][][]any{"Products": twoProducts(), "BOM": bom}, Options{})
	wantProblem(t, ie.Problems, "BOM", "1", true, "product")
}

func TestBOMByLevelPerProduct(t *testing.T) {
	// Levels restart with each product.
	bom := [][]any{
		{"product", "part_number", "level", "qty_per"},
		{"P1", "A", 1, 1},    // 0: top
		{"P1", "B", 2, 1},    // 1: under A
		{"P1", "C", 3, 1},    // 2: under B
		{"P1", "D", 2, 1},    // 3: under A
		{"P2", "X", "1", 1},  // 4: top of P2
		{"P2", "Y", ".2", 1}, // 5: under X
	}
	l := mustRead(t, map[string][][]any{"Products": twoProducts(), "BOM": bom}, Options{})
	want := []int32{-1, 0, 1, 0, -1, 4}
	for i, ln := range l.Input.BOM.Lines {
		if ln.Parent != want[i] {
			t.Errorf("line %d (%s) parent %d, want %d", i, ln.PartNumber, ln.Parent, want[i])
		}
	}

	bom[2][2] = "two"
	ie := mustFail(t, map[string][][]any{"Products": twoProducts(), "BOM": bom}, Options{})
	wantProblem(t, ie.Problems, "BOM", "C3", true, "level")
}

func TestBOMTreeErrors(t *testing.T) {
	t.Run("cycle", func(t *testing.T) {
		bom := [][]any{
			{"product", "part_number", "parent", "qty_per"},
			{"P1", "TOP", "", 1},
			{"P1", "A", "B", 1}, // row 3
			{"P1", "B", "A", 1}, // row 4
		}
		ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
		var cyc []Problem
		for _, p := range ie.Problems {
			if p.Error && p.Sheet == "BOM" && (p.Cell == "C3" || p.Cell == "C4") {
				cyc = append(cyc, p)
			}
		}
		if len(cyc) == 0 {
			t.Fatalf("no cycle error at BOM!C3 or C4:\n%s", listProblems(ie.Problems))
		}
		// It names both rows, each once: its place one, its message the
		// other ("error BOM!C4: the BOM is not a tree: ... at BOM!3").
		for _, p := range cyc {
			s := p.String()
			if !strings.Contains(s, "BOM!C3") && !strings.Contains(s, "BOM!3") || !strings.Contains(s, "BOM!C4") && !strings.Contains(s, "BOM!4") {
				t.Errorf("cycle error %q does not name rows 3 and 4", s)
			}
			if strings.HasPrefix(p.Message, "BOM!") {
				t.Errorf("cycle error %q repeats its place in its message", s)
			}
		}
	})
	t.Run("own parent", func(t *testing.T) {
		bom := [][]any{
			{"product", "part_number", "parent", "qty_per"},
			{"P1", "A", "A", 1},
		}
		ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
		wantProblem(t, ie.Problems, "BOM", "C2", true, "BOM!2")
	})
	t.Run("missing parent", func(t *testing.T) {
		bom := [][]any{
			{"product", "part_number", "parent", "qty_per"},
			{"P1", "A", "", 1},
			{"P1", "B", "ZZZ", 1},
		}
		ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
		wantProblem(t, ie.Problems, "BOM", "C3", true, "ZZZ")
	})
	t.Run("parent in another product", func(t *testing.T) {
		bom := [][]any{
			{"product", "part_number", "parent", "qty_per"},
			{"P1", "A", "", 1},
			{"P2", "GEN", "", 1},  // row 3
			{"P1", "B", "GEN", 1}, // row 4
		}
		ie := mustFail(t, map[string][][]any{"Products": twoProducts(), "BOM": bom}, Options{})
		p := wantProblem(t, ie.Problems, "BOM", "C4", true, "P2")
		if !strings.Contains(p.Message, "BOM!3") || strings.Contains(p.Message, "BOM!4") {
			t.Errorf("%q does not name the other row BOM!3, or repeats its own place BOM!C4", p.Message)
		}
	})
	t.Run("ambiguous parent", func(t *testing.T) {
		bom := [][]any{
			{"product", "part_number", "parent", "qty_per"},
			{"P1", "BRK", "", 1},    // row 2
			{"P1", "PAD", "BRK", 1}, // row 3: right below the first BRK, still ambiguous
			{"P1", "BRK", "", 1},    // row 4
		}
		ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
		p := wantProblem(t, ie.Problems, "BOM", "C3", true, "ambiguous")
		if !strings.Contains(p.Message, "BOM!2") || !strings.Contains(p.Message, "BOM!4") {
			t.Errorf("%q does not name both BRK rows BOM!2 and BOM!4", p.Message)
		}
	})
	t.Run("parent repeated in another product", func(t *testing.T) {
		bom := [][]any{
			{"product", "part_number", "parent", "qty_per"},
			{"P1", "A", "", 1},
			{"P2", "HUB", "", 1},  // row 3
			{"P2", "HUB", "", 1},  // row 4
			{"P1", "B", "HUB", 1}, // row 5
		}
		ie := mustFail(t, map[string][][]any{"Products": twoProducts(), "BOM": bom}, Options{})
		p := wantProblem(t, ie.Problems, "BOM", "C5", true, "P2")
		if !strings.Contains(p.Message, "BOM!3") {
			t.Errorf("%q does not name the first HUB row BOM!3", p.Message)
		}
	})
	t.Run("product not on Products", func(t *testing.T) {
		bom := [][]any{
			{"product", "part_number", "parent", "qty_per"},
			{"P7", "A", "", 1},
		}
		ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
		wantProblem(t, ie.Problems, "BOM", "A2", true, "P7")
	})
}

func TestBOMProducts(t *testing.T) {
	ie := mustFail(t, map[string][][]any{
		"Products": {{"product", "annual_volume"}, {"P1", 10}, {"P1", 20}, {"", 5}, {"P3", "-4"}, {"P4", "1,5"}, {"P5", nil}},
		"BOM":      simpleBOM(),
	}, Options{})
	wantProblem(t, ie.Problems, "Products", "A3", true, "P1") // duplicate
	wantProblem(t, ie.Problems, "Products", "A4", true)       // empty id
	wantProblem(t, ie.Problems, "Products", "B5", true)       // negative volume
	wantProblem(t, ie.Problems, "Products", "B6", true, "1,5")
	wantProblem(t, ie.Problems, "Products", "B7", true) // empty volume
}

// magnetBOM is one magnet line of NDFEB_N42, whose embedded composition
// is Nd 23.5, Pr 7.5, Dy 0.5, Co 1.0, Fe 65.8, B 1.0, Cu 0.1, Al 0.3,
// Ga 0.1, Nb 0.2 wt% (100 in all), with extra headers and cells.
func magnetBOM(headers []any, cells []any) [][]any {
	h := append([]any{"product", "part_number", "qty_per", "material"}, headers...)
	r := append([]any{"P1", "MAG", 1, "NDFEB_N42"}, cells...)
	return [][]any{h, r}
}

func wantContent(t *testing.T, ln exposure.Line, want map[string]string) {
	t.Helper()
	got := map[string]decimal.Decimal{}
	for _, m := range ln.Content {
		if _, dup := got[m.Element]; dup {
			t.Errorf("%s appears twice in the content", m.Element)
		}
		got[m.Element] = m.Kg
	}
	for e, w := range want {
		g, ok := got[e]
		if !ok {
			t.Errorf("no %s in content %v", e, got)
			continue
		}
		wantDec(t, e+" kg", g, w)
	}
	for e, g := range got {
		if _, ok := want[e]; !ok {
			t.Errorf("unexpected %s = %s kg in content", e, g)
		}
	}
}

func TestBOMContent(t *testing.T) {
	cases := []struct {
		name    string
		headers []any
		cells   []any
		want    map[string]string
	}{
		{
			// 2 kg × 23.5% = 0.47 Nd; × 7.5% = 0.15 Pr; × 0.5% = 0.01 Dy.
			// Co, Fe, B, Cu, Al, Ga, Nb have no price and no Controls row:
			// dropped.
			name: "material composition", headers: []any{"re_mass_kg"}, cells: []any{2},
			want: map[string]string{"Nd": "0.47", "Pr": "0.15", "Dy": "0.01"},
		},
		{
			// 500 g = 0.5 kg: Nd 0.1175, Pr 0.0375, Dy 0.0025.
			name: "re_mass_g", headers: []any{"re_mass_g"}, cells: []any{500},
			want: map[string]string{"Nd": "0.1175", "Pr": "0.0375", "Dy": "0.0025"},
		},
		{
			// Element by element: Nd 20 and Dy 4 replace 23.5 and 0.5; Pr
			// is empty and inherits 7.5; total 100 - 3.5 + 3.5 = 100.
			// 1 kg: Nd 0.2, Pr 0.075, Dy 0.04.
			name: "wt% overrides", headers: []any{"re_mass_kg", "Nd", "Pr", "Dy"}, cells: []any{1, 20, nil, 4},
			want: map[string]string{"Nd": "0.2", "Pr": "0.075", "Dy": "0.04"},
		},
		{
			// Header spellings of wt%: Nd (%), Pr wt%, Dy_pct, Tb_pct.
			// Tb 0.5 is new; Nd 20 + Pr 7 + Dy 1 + Tb 0.5 and the rest
			// (Co 1, Fe 65.8, B 1, Cu .1, Al .3, Ga .1, Nb .2 = 68.5)
			// make 97. 1 kg: Nd .2, Pr .07, Dy .01, Tb .005.
			name:    "wt% header spellings",
			headers: []any{"re_mass_kg", "Nd (%)", "Pr wt%", "Dy_pct", "TB_PCT"}, cells: []any{1, 20, 7, 1, 0.5},
			want: map[string]string{"Nd": "0.2", "Pr": "0.07", "Dy": "0.01", "Tb": "0.005"},
		},
		{
			// A wt% cell formatted as a percentage: stored 0.2, shown 20%.
			name: "percent-formatted wt%", headers: []any{"re_mass_kg", "Nd"}, cells: []any{1, pctCell(0.2)},
			want: map[string]string{"Nd": "0.2", "Pr": "0.075", "Dy": "0.005"},
		},
		{
			// Grams win over wt% for their element: Nd_g 180 → 0.18 kg,
			// even though Nd 20 is also given; Pr and Dy still from 1 kg
			// × wt%. Dy (g) 12 → 0.012.
			name:    "grams win",
			headers: []any{"re_mass_kg", "Nd", "Nd_g", "Dy (g)"}, cells: []any{1, 20, 180, 12},
			want: map[string]string{"Nd": "0.18", "Pr": "0.075", "Dy": "0.012"},
		},
		{
			// Grams alone, without a mass: only the gram columns count.
			name: "grams only", headers: []any{"Nd_g", "Tb_g"}, cells: []any{4.2, "0.35"},
			want: map[string]string{"Nd": "0.0042", "Tb": "0.00035"},
		},
		{
			// An element column given by name: Dy 0.3 instead of 0.5 (99.8
			// wt% in all). 1 kg: Dy 0.003.
			name: "element name header", headers: []any{"re_mass_kg", "Dysprosium"}, cells: []any{1, 0.3},
			want: map[string]string{"Nd": "0.235", "Pr": "0.075", "Dy": "0.003"},
		},
		{
			// Raising an element of the material above what the rest
			// leaves is an error: the composition must stay at most 100.
			// Checked in TestBOMContentErrors; here lowering Nd to 0
			// removes it (an explicit 0 is not "inherit").
			name: "zero removes", headers: []any{"re_mass_kg", "Nd"}, cells: []any{1, 0},
			want: map[string]string{"Pr": "0.075", "Dy": "0.005"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": magnetBOM(tc.headers, tc.cells)}, Options{})
			ln := lineOf(t, l, "P1", "MAG")
			if ln.Material != "NDFEB_N42" {
				t.Errorf("material %q", ln.Material)
			}
			wantContent(t, ln, tc.want)
		})
	}
}

func TestBOMContentWithoutMaterial(t *testing.T) {
	// No material: the row's wt% alone. 0.006 kg of Sm 25% = 0.0015 Sm;
	// material code in lower case still matches.
	bom := [][]any{
		{"product", "part_number", "qty_per", "material", "re_mass_kg", "Sm", "Co"},
		{"P1", "DISC", 1, nil, 0.006, 25, 50},
		{"P1", "DISC2", 1, "sm2co17", 0.006, nil, nil},
	}
	l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
	wantContent(t, lineOf(t, l, "P1", "DISC"), map[string]string{"Sm": "0.0015"})
	d2 := lineOf(t, l, "P1", "DISC2")
	if d2.Material != "SM2CO17" {
		t.Errorf("material %q, want SM2CO17", d2.Material)
	}
	wantContent(t, d2, map[string]string{"Sm": "0.0015"})

	// An unknown material is an error at its cell with a suggestion.
	bom[2][3] = "SM2C017"
	ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
	wantProblem(t, ie.Problems, "BOM", "D3", true, "SM2C017", "SM2CO17")
}

func TestBOMMercuryIsNotHydrogen(t *testing.T) {
	// "Hg" is mercury in wt%, not grams of hydrogen. A Prices row gives
	// mercury a price, so it is kept: 2 kg × 5% = 0.1 kg.
	bom := [][]any{
		{"product", "part_number", "qty_per", "re_mass_kg", "Hg"},
		{"P1", "LAMP", 1, 2, 5},
	}
	prices := [][]any{{"element", "price_usd_per_kg"}, {"Mercury", 40}}
	l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": bom, "Prices": prices}, Options{})
	wantContent(t, lineOf(t, l, "P1", "LAMP"), map[string]string{"Hg": "0.1"})
	if p, ok := l.Input.Prices["Hg"]; !ok || !p.China.Equal(decimal.NewFromInt(40)) {
		t.Errorf("Hg price %+v", p)
	}
}

func TestBOMElementsNamedByControlsKept(t *testing.T) {
	// Cobalt has no price, but a Controls row names it, so the 1 kg ×
	// 1% = 0.01 kg of Co in N42 is kept; Fe and B still go.
	sheets := map[string][][]any{
		"Products":  oneProduct(),
		"BOM":       magnetBOM([]any{"re_mass_kg"}, []any{1}),
		"Scenarios": {{"scenario", "probability"}, {"co-shock", 1}},
		"Controls":  {{"scenario", "elements", "price_uplift_pct"}, {"co-shock", "Co", 50}},
	}
	l := mustRead(t, sheets, Options{})
	wantContent(t, lineOf(t, l, "P1", "MAG"), map[string]string{"Nd": "0.235", "Pr": "0.075", "Dy": "0.005", "Co": "0.01"})
}

func TestBOMContentErrors(t *testing.T) {
	cases := []struct {
		name    string
		headers []any
		cells   []any
		cell    string // columns: A product, B part, C qty, D material, E...
		words   []string
	}{
		// Nd 60 + Pr 50 with no material, so no balance element to give
		// way: 110 wt% in all; the error is on the row's first wt% cell.
		{"over 100 in total", []any{"re_mass_kg", "Nd", "Pr"}, []any{1, 60, 50}, "F2", []string{"110"}},
		// 60 + 40.02 = 100.02, beyond the 0.01 of rounding allowed.
		{"just over 100", []any{"re_mass_kg", "Nd", "Pr"}, []any{1, 60, "40.02"}, "F2", []string{"100.02"}},
		// Seven decimals take the decimal sum: 100.0100001 > 100.01.
		{"over 100 by a hair", []any{"re_mass_kg", "Nd", "Pr"}, []any{1, "60.0000001", "40.01"}, "F2", []string{"100.0100001"}},
		{"wt% above 100", []any{"re_mass_kg", "Nd"}, []any{1, 120}, "F2", nil},
		{"wt% a hair above 100", []any{"re_mass_kg", "Nd"}, []any{1, "100.0000001"}, "F2", nil},
		{"wt% negative", []any{"re_mass_kg", "Dy"}, []any{1, -1}, "F2", nil},
		{"wt% not a number", []any{"re_mass_kg", "Tb"}, []any{1, "1,5"}, "F2", []string{"1,5"}},
		{"grams negative", []any{"Nd_g"}, []any{-3}, "E2", nil},
		{"mass with a percent", []any{"re_mass_kg"}, []any{"5%"}, "E2", []string{"%"}},
	}
	// 60 + 40.01 = 100.01 is rounding: no problem.
	t.Run("100.01 in total", func(t *testing.T) {
		bom := magnetBOM([]any{"re_mass_kg", "Nd", "Pr"}, []any{1, 60, "40.01"})
		bom[1][3] = nil
		mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
	})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bom := magnetBOM(tc.headers, tc.cells)
			bom[1][3] = nil // no material
			ie := mustFail(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
			wantProblem(t, ie.Problems, "BOM", tc.cell, true, tc.words...)
		})
	}
}

func TestBOMNestedContentWarning(t *testing.T) {
	// A motor carrying 1 kg of N42 while its magnet does too: a warning
	// on the motor's row, both count.
	bom := [][]any{
		{"product", "part_number", "parent", "qty_per", "material", "re_mass_kg"},
		{"P1", "MOT", "", 1, "NDFEB_N42", 1},
		{"P1", "MAG", "MOT", 1, "NDFEB_N42", 1},
	}
	l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
	wantProblem(t, l.Problems, "BOM", "2", false, "MAG")
	if len(lineOf(t, l, "P1", "MOT").Content) == 0 || len(lineOf(t, l, "P1", "MAG").Content) == 0 {
		t.Error("both lines should keep their content")
	}
}

// sourcingBOM is a BOM of one magnet MAG at 100 EUR (FX 1.1: 110 USD)
// made in China throughout.
func sourcingBOM() map[string][][]any {
	return map[string][][]any{
		"Products": oneProduct(),
		"BOM": {
			{"product", "part_number", "qty_per", "unit_cost", "currency", "supplier", "mine_country", "refine_country", "metal_country", "component_country"},
			{"P1", "MAG", 1, 100, "EUR", "Ningbo", "CN", "CN", "CN", "CN"},
			{"P1", "SHAFT", 1, 20, "", "Forge", "", "", "", "VN"},
		},
		"FX": {{"currency", "rate"}, {"EUR", "1.1"}, {"JPY", "0.0067"}},
	}
}

func TestSourcing(t *testing.T) {
	sheets := sourcingBOM()
	sheets["Sourcing"] = [][]any{
		{"part_number", "supplier", "Share (%)", "mine_country", "refine_country", "metal_country", "component_country", "unit_cost", "currency"},
		{"MAG", "Ningbo", 60, "CN", "CN", "CN", "CN", nil, nil},            // empty cost: the BOM's 110
		{"MAG", "Kanto", "25%", nil, "China", "Japan", "JP", 20500, "JPY"}, // 20500 × 0.0067 = 137.35
		{"MAG", "Baltic", pctCell(0.15), nil, nil, nil, "EE", 125, "EUR"},  // 125 × 1.1 = 137.5
	}
	l := mustRead(t, sheets, Options{})
	mag := lineOf(t, l, "P1", "MAG")
	if len(mag.Sources) != 3 {
		t.Fatalf("sources %+v", mag.Sources)
	}
	wantShares := []string{"0.6", "0.25", "0.15"}
	wantCosts := []string{"110", "137.35", "137.5"}
	wantCountries := [][exposure.NumStages]string{{"CN", "CN", "CN", "CN"}, {"", "CN", "JP", "JP"}, {"", "", "", "EE"}}
	wantSuppliers := []string{"Ningbo", "Kanto", "Baltic"}
	for i, s := range mag.Sources {
		wantDec(t, "share "+s.Supplier, s.Share, wantShares[i])
		wantDec(t, "cost "+s.Supplier, s.UnitCost, wantCosts[i])
		if exposure.CountryCodes(s.Countries) != wantCountries[i] {
			t.Errorf("%s countries %v, want %v (an empty stage stays unknown)", s.Supplier, s.Countries, wantCountries[i])
		}
		if s.Supplier != wantSuppliers[i] {
			t.Errorf("supplier %q, want %q", s.Supplier, wantSuppliers[i])
		}
	}
	// A part without Sourcing rows keeps its single BOM source.
	sh := lineOf(t, l, "P1", "SHAFT")
	if len(sh.Sources) != 1 || sh.Sources[0].Supplier != "Forge" {
		t.Errorf("SHAFT sources %+v", sh.Sources)
	}
}

func TestSourcingSharesScaled(t *testing.T) {
	// 33.33 × 3 = 99.99, within 0.01 of 100: scaled so that the shares
	// add up to exactly 1 (each about 0.3333...).
	sheets := sourcingBOM()
	sheets["Sourcing"] = [][]any{
		{"part_number", "supplier", "share_pct"},
		{"MAG", "A", "33.33"}, {"MAG", "B", "33.33"}, {"MAG", "C", "33.33"},
		{"SHAFT", "X", "50.005"}, {"SHAFT", "Y", 50}, // 100.005
	}
	l := mustRead(t, sheets, Options{})
	one := decimal.NewFromInt(1)
	third := decimal.RequireFromString("0.333333333")
	for _, part := range []string{"MAG", "SHAFT"} {
		total := decimal.Zero
		for _, s := range lineOf(t, l, "P1", part).Sources {
			total = total.Add(s.Share)
		}
		if !total.Equal(one) {
			t.Errorf("%s shares add up to %s, want exactly 1", part, total)
		}
	}
	for _, s := range lineOf(t, l, "P1", "MAG").Sources {
		if s.Share.Sub(third).Abs().GreaterThan(decimal.RequireFromString("0.000000001")) {
			t.Errorf("share %s, want about 1/3", s.Share)
		}
		// Empty unit cost: the BOM row's 100 EUR = 110 USD.
		wantDec(t, "cost", s.UnitCost, "110")
	}
}

func TestSourcingErrors(t *testing.T) {
	sheets := sourcingBOM()
	sheets["Sourcing"] = [][]any{
		{"part_number", "supplier", "share_pct", "component_country", "unit_cost", "currency"},
		{"MAG", "A", 60, "CN", nil, nil},       // row 2: 60 + 30 = 90, not 100
		{"MAG", "B", 30, "JP", nil, nil},       // row 3
		{"SHAFT", "C", 100, "Vietnamm", 5, ""}, // D4: unknown country
		{"BOLT", "D", 100, "DE", 1, ""},        // row 5: no such part: a warning
		{"SHAFT2", "E", "1,5", "DE", 1, "GBP"}, // C6 ambiguous; F6 no GBP rate
		{"SHAFT3", "F", 150, "DE", -1, ""},     // C7 above 100; E7 negative
	}
	ie := mustFail(t, sheets, Options{})
	wantProblem(t, ie.Problems, "Sourcing", "C2", true, "MAG", "90")
	wantProblem(t, ie.Problems, "Sourcing", "D4", true, "Vietnamm")
	wantProblem(t, ie.Problems, "Sourcing", "A5", false, "BOLT")
	wantProblem(t, ie.Problems, "Sourcing", "C6", true, "1,5")
	wantProblem(t, ie.Problems, "Sourcing", "F6", true, "GBP")
	wantProblem(t, ie.Problems, "Sourcing", "C7", true)
	wantProblem(t, ie.Problems, "Sourcing", "E7", true)
}

func TestSourcingSameAliasesAsBOM(t *testing.T) {
	// SPEC §2: each column has aliases, the same on every sheet, so a
	// Sourcing sheet may call its part number "Component" or "Item", as
	// the BOM may.
	for _, h := range []string{"pn", "part", "component", "item", "material_number", "Vendor"} {
		t.Run(h, func(t *testing.T) {
			sheets := sourcingBOM()
			header := []any{h, "supplier", "share_pct"}
			if h == "Vendor" {
				header = []any{"part_number", h, "share_pct"}
			}
			sheets["Sourcing"] = [][]any{header, {"MAG", "A", 50}, {"MAG", "B", 50}}
			l, err := readPath(t, mustWorkbook(t, sheets), Options{})
			if err != nil {
				if h != "pn" && h != "part" && h != "Vendor" {
					t.Errorf("Sourcing does not accept the BOM's part_number alias %q: %v", h, err)
				}
				t.Fatalf("Read: %v", err)
			}
			if got := lineOf(t, l, "P1", "MAG").Sources; len(got) != 2 || got[1].Supplier != "B" {
				t.Errorf("sources %+v", got)
			}
		})
	}
}

func TestBOMInputMaterials(t *testing.T) {
	// A Materials sheet adds MY_GRADE (Nd 28, Pr 2, Dy 4%: 34 wt%) and
	// replaces NDFEB_N42 with Nd 30 alone.
	sheets := map[string][][]any{
		"Products": oneProduct(),
		"Materials": {
			{"material", "description", "family", "Nd", "Pr", "Dy (%)"},
			{"MY_GRADE", "in-house grade", "ndfeb", 28, 2, "4%"},
			{"NDFEB_N42", "our N42", "ndfeb", 30, nil, nil},
		},
		"BOM": {
			{"product", "part_number", "qty_per", "material", "re_mass_kg", "ND_G"},
			{"P1", "A", 1, "my_grade", 0.5, nil}, // Nd 0.14, Pr 0.01, Dy 0.02
			{"P1", "B", 1, "NDFEB_N42", 2, nil},  // Nd 0.6
			{"P1", "C", 1, "NDFEB_N42", 2, 500},  // Nd from grams: 0.5
		},
	}
	l := mustRead(t, sheets, Options{})
	wantContent(t, lineOf(t, l, "P1", "A"), map[string]string{"Nd": "0.14", "Pr": "0.01", "Dy": "0.02"})
	wantContent(t, lineOf(t, l, "P1", "B"), map[string]string{"Nd": "0.6"})
	wantContent(t, lineOf(t, l, "P1", "C"), map[string]string{"Nd": "0.5"})
	if m := l.Input.Materials["MY_GRADE"]; m.Family != "ndfeb" || len(m.WtPct) != 3 {
		t.Errorf("MY_GRADE %+v", m)
	}

	sheets["Materials"] = [][]any{
		{"material", "Nd", "Pr"},
		{"BAD1", 60, 50},   // B2, its first wt% cell: 110 in all
		{"BAD2", 120, nil}, // B3
		{nil, 10, nil},     // A4: no code
	}
	sheets["BOM"] = simpleBOM()
	ie := mustFail(t, sheets, Options{})
	wantProblem(t, ie.Problems, "Materials", "B2", true, "110")
	wantProblem(t, ie.Problems, "Materials", "B3", true)
	wantProblem(t, ie.Problems, "Materials", "A4", true)
}

func TestBOMDuplicateHeader(t *testing.T) {
	// Two columns for qty_per: the first is used, the second warned about.
	bom := [][]any{
		{"product", "part_number", "parent", "qty_per", "Quantity"},
		{"P1", "A", "", 2, 5},
	}
	l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
	wantDec(t, "qty", lineOf(t, l, "P1", "A").QtyPer, "2")
	wantProblem(t, l.Problems, "BOM", "E1", false, "Quantity")
}

func TestMillionths(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"5.5", 5_500_000, true},
		{"100.01", 100_010_000, true},
		{"-2.5", -2_500_000, true},
		{"0.000001", 1, true},
		{"1000", 1_000_000_000, true},
		{"0.0000001", 0, false},   // seven decimals
		{"1000.000001", 0, false}, // beyond 10⁹ millionths
		{"1E2", 0, false},         // a positive exponent takes the decimal path
	} {
		got, ok := millionths(decimal.RequireFromString(tc.in))
		if got != tc.want || ok != tc.ok {
			t.Errorf("millionths(%s) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestResolveParentsMatchesPlain builds random BOMs with part numbers
// drawn from a small pool (so that they repeat within and across
// products, and parents go missing or are ambiguous) and checks that
// resolveParents links every line and reports every problem exactly as
// the plain maps do.
func TestResolveParentsMatchesPlain(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	resolve := func(lines []exposure.Line, pend []pendingLine, plain bool) ([]int, []Problem) {
		r := &reader{bomSheet: "BOM"}
		r.bom.Lines = append([]exposure.Line(nil), lines...)
		if plain {
			r.resolveParentsPlain(pend)
		} else {
			r.resolveParents(pend)
		}
		parents := make([]int, len(r.bom.Lines))
		for i, l := range r.bom.Lines {
			parents[i] = int(l.Parent)
		}
		return parents, r.ps.list
	}
	check := func(t *testing.T, lines []exposure.Line, pend []pendingLine) {
		gotP, gotPs := resolve(lines, pend, false)
		wantP, wantPs := resolve(lines, pend, true)
		if !slices.Equal(gotP, wantP) {
			t.Fatalf("parents %v, plain maps give %v", gotP, wantP)
		}
		// The same problems: places, texts and causes (each its own value).
		same := func(a, b Problem) bool {
			return a.String() == b.String() && a.Figures == b.Figures && a.Err.Error() == b.Err.Error()
		}
		if !slices.EqualFunc(gotPs, wantPs, same) {
			t.Fatalf("problems\n%s\nplain maps give\n%s", listProblems(gotPs), listProblems(wantPs))
		}
	}
	for n := range 300 {
		size := 1 + rng.IntN(40)
		pool := 1 + rng.IntN(size)
		part := func() string { return fmt.Sprintf("PN%d", rng.IntN(pool)) }
		var lines []exposure.Line
		var pend []pendingLine
		for i := range size {
			product := fmt.Sprintf("P%d", 1+rng.IntN(3))
			lines = append(lines, exposure.Line{Product: product, PartNumber: part(), Parent: -1, Row: int32(i + 2)})
			p := pendingLine{row: int32(i + 2), col: 2}
			switch rng.IntN(6) {
			case 0: // top level
			case 1:
				p.parent = product
			case 2, 3: // the line above, as exports list them
				if i > 0 {
					p.parent = lines[i-1].PartNumber
				}
			default:
				p.parent = part()
			}
			pend = append(pend, p)
		}
		t.Run(fmt.Sprint(n), func(t *testing.T) { check(t, lines, pend) })
	}
}

// TestBOMWtPctLooksLikeFraction checks the warning for a wt% cell that is
// about a hundredth of the material's own figure: N42 has Nd 23.5 and Pr
// 7.5 wt%, so Nd 0.235 is most likely 23.5% written as a fraction.
func TestBOMWtPctLooksLikeFraction(t *testing.T) {
	for _, tc := range []struct {
		name, cell string
		nd         any
		warn       bool
		fix        string
	}{
		{"a fraction", "F2", "0.235", true, "write 23.5"},
		{"a third of a hundredth", "F2", "0.08", true, "write 8"}, // 8 is within 3× of 23.5
		{"meant low", "F2", "0.05", false, ""},                    // 5: more than 3× below 23.5
		{"meant high", "F2", "20", false, ""},
		{"none", "F2", 0, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bom := magnetBOM([]any{"re_mass_kg", "Nd"}, []any{1, tc.nd})
			l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
			p, found := findProblem(l.Problems, "BOM", tc.cell, false)
			if found != tc.warn {
				t.Fatalf("warning at %s: %v, want %v\n%s", tc.cell, found, tc.warn, listProblems(l.Problems))
			}
			if found && (!strings.Contains(p.Message, "N42's 23.5") || !strings.Contains(p.Message, tc.fix)) {
				t.Errorf("warning %q does not give N42's 23.5 and %q", p.Message, tc.fix)
			}
		})
	}
}

// resolveParentsPlain does what resolveParents does with plain maps keyed
// by product and part number, as the reader first did: the reference
// TestResolveParentsMatchesPlain holds resolveParents to.
func (r *reader) resolveParentsPlain(pend []pendingLine) {
	lines := r.bom.Lines
	type key struct{ product, part string }
	first := make(map[key]int, len(lines))
	dups := map[key]int{}
	for i := range lines {
		k := key{lines[i].Product, lines[i].PartNumber}
		if _, ok := first[k]; ok {
			dups[k] = i
		} else {
			first[k] = i
		}
	}
	var anyProduct map[string]int // part number → its first line in any product; built for the first missing parent
	for i := range lines {
		l := &lines[i]
		par := pend[i].parent
		if par == "" || par == l.Product {
			continue
		}
		k := key{l.Product, par}
		j, ok := first[k]
		if !ok {
			if anyProduct == nil {
				anyProduct = map[string]int{}
				for i := len(lines) - 1; i >= 0; i-- {
					anyProduct[lines[i].PartNumber] = i
				}
			}
			if o, other := anyProduct[par]; other {
				r.ps.errorf(r.bomSheet, pend[i].parentAt(), "parent %q is in product %q (%s), not in %q", par, lines[o].Product, r.bom.Ref(o), l.Product)
			} else {
				r.ps.errorf(r.bomSheet, pend[i].parentAt(), "parent %q is not a part number of product %q", par, l.Product)
			}
			continue
		}
		if d, dup := dups[k]; dup {
			r.ps.errorf(r.bomSheet, pend[i].parentAt(), "parent %q is ambiguous: it appears at %s and %s", par, r.bom.Ref(j), r.bom.Ref(d))
			continue
		}
		l.Parent = int32(j)
	}
}
