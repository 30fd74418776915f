package inputs

import (
	"strings"
	"testing"

	"rexpo/reference"
)

// altBOM is P1 with a magnet of NDFEB_N42 and a plain bracket.
func altBOM() [][]any {
	return [][]any{
		{"product", "part_number", "qty_per", "unit_cost", "currency", "material", "re_mass_kg", "component_country"},
		{"P1", "MAG-1", 2, 10, "", "NDFEB_N42", 0.1, "CN"},
		{"P1", "BRK-1", 1, 3, "", "", nil, "CN"},
	}
}

func TestReadAlternatives(t *testing.T) {
	l := mustRead(t, map[string][][]any{
		"Products": oneProduct(),
		"BOM":      altBOM(),
		"FX":       {{"currency", "rate"}, {"EUR", 1.1}},
		"Alternatives": {
			{"Part Number", "Material", "Vendor", "Mine country", "Separation country", "Alloy country", "COO", "Unit price", "Currency", "Premium (%)", "Capacity", "Qualification"},
			{"MAG-1", nil, "Kanto KK", nil, "China", "JP", "Japan", 12, "EUR", nil, 5000, 9},
			{nil, "ndfeb_n42", "Baltic OÜ", "AU", "EE", "EE", "EE", nil, nil, pctCell(0.3), nil, nil},
			{"BRK-1", nil, "Hai Phong", nil, nil, nil, "VN", nil, nil, "5", nil, 3},
		},
	}, Options{})
	var user []string
	indicative := 0
	for _, a := range l.Input.Alternatives {
		if a.Indicative {
			indicative++
			if !strings.HasSuffix(a.Supplier, Indicative) || a.Source == "" || !a.ByPremium {
				t.Errorf("default %s: supplier %q, source %q, by premium %v: want marked indicative, with source, by premium", a.Ref, a.Supplier, a.Source, a.ByPremium)
			}
			continue
		}
		user = append(user, a.Supplier)
	}
	if got := strings.Join(user, ","); got != "Kanto KK,Baltic OÜ,Hai Phong" {
		t.Fatalf("user rows %s, want Kanto KK, Baltic OÜ, Hai Phong", got)
	}
	if indicative < 30 {
		t.Errorf("%d embedded default centres, want the table of reference section 6.1 (more than 30 rows)", indicative)
	}
	kanto, baltic, hp := l.Input.Alternatives[0], l.Input.Alternatives[1], l.Input.Alternatives[2]
	if kanto.PartNumber != "MAG-1" || kanto.Countries != [4]string{"", "CN", "JP", "JP"} || kanto.Ref != "Alternatives!2" {
		t.Errorf("Kanto: part %q countries %v ref %s", kanto.PartNumber, kanto.Countries, kanto.Ref)
	}
	wantDec(t, "Kanto unit cost (12 EUR at 1.1)", kanto.UnitCost, "13.2")
	wantDec(t, "Kanto capacity", kanto.Capacity, "5000")
	if !kanto.HasCapacity || kanto.QualificationMonths != 9 || kanto.ByPremium {
		t.Errorf("Kanto: capacity %v, qualification %d, by premium %v", kanto.HasCapacity, kanto.QualificationMonths, kanto.ByPremium)
	}
	if baltic.Material != "NDFEB_N42" || baltic.PartNumber != "" || !baltic.ByPremium || baltic.HasCapacity {
		t.Errorf("Baltic: material %q part %q by premium %v capacity %v", baltic.Material, baltic.PartNumber, baltic.ByPremium, baltic.HasCapacity)
	}
	wantDec(t, "Baltic premium (a cell shown as 30%)", baltic.PremiumPct, "30")
	wantDec(t, "Hai Phong premium", hp.PremiumPct, "5")
}

func TestReadAlternativesProblems(t *testing.T) {
	ie := mustFail(t, map[string][][]any{
		"Products": oneProduct(),
		"BOM":      altBOM(),
		"Alternatives": {
			{"part_number", "material", "supplier", "component_country", "unit_cost", "currency", "premium_pct", "capacity_units", "qualification_months"},
			{"MAG-1", "NDFEB_N42", "Both", "JP", 12, nil, nil, nil, nil},     // row 2: part and material
			{nil, nil, "Neither", "JP", 12, nil, nil, nil, nil},              // row 3
			{"MAG-1", nil, nil, "JP", 12, nil, nil, nil, nil},                // row 4: no supplier
			{"MAG-1", nil, "No price", "JP", nil, nil, nil, nil, nil},        // row 5
			{"MAG-1", nil, "Two prices", "JP", 12, nil, 10, nil, nil},        // row 6
			{"MAG-1", nil, "Zero capacity", "JP", 12, nil, nil, 0, nil},      // row 7
			{"MAG-1", nil, "Half month", "JP", 12, nil, nil, nil, 2.5},       // row 8
			{"MAG-1", nil, "Bad country", "Japn", 12, nil, nil, nil, nil},    // row 9
			{nil, "NDFEB_N24", "Bad material", "JP", nil, nil, 10, nil, nil}, // row 10
			{"MAG-1", nil, "No FX", "JP", 12, "GBP", nil, nil, nil},          // row 11
			{"MAG-1", nil, "Free", "JP", nil, nil, -100, nil, nil},           // row 12
			{"NOPE", nil, "Unknown part", "JP", 12, nil, nil, nil, nil},      // row 13: a warning
		},
	}, Options{})
	ps := ie.Problems
	wantProblem(t, ps, "Alternatives", "B2", true, "not both")
	wantProblem(t, ps, "Alternatives", "A3", true, "part number or the material")
	wantProblem(t, ps, "Alternatives", "C4", true, "supplier")
	wantProblem(t, ps, "Alternatives", "E5", true, "unit_cost", "premium_pct")
	wantProblem(t, ps, "Alternatives", "G6", true, "not both")
	wantProblem(t, ps, "Alternatives", "H7", true, "capacity")
	wantProblem(t, ps, "Alternatives", "I8", true, "whole number")
	wantProblem(t, ps, "Alternatives", "D9", true, "Japan")
	wantProblem(t, ps, "Alternatives", "B10", true, "NDFEB_N42")
	wantProblem(t, ps, "Alternatives", "F11", true, "GBP")
	wantProblem(t, ps, "Alternatives", "G12", true, "-100")
	wantProblem(t, ps, "Alternatives", "A13", false, "NOPE")
	if n := countErrors(ps); n != 11 {
		t.Errorf("%d errors, want 11:\n%s", n, listProblems(ps))
	}
}

// TestDefaultAlternatives: every embedded default centre names a material
// of the embedded table, a premium, a qualification time, a source and a
// date, and the table covers the materials of reference section 6.1.
func TestDefaultAlternatives(t *testing.T) {
	l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": altBOM()}, Options{})
	codes := reference.MaterialCodes()
	known := map[string]bool{}
	for _, c := range codes {
		known[c] = true
	}
	covered := map[string]int{}
	for _, a := range l.Input.Alternatives {
		if !a.Indicative {
			continue
		}
		covered[a.Material]++
		if !known[a.Material] || a.PremiumPct.Sign() <= 0 || a.QualificationMonths <= 0 || !strings.Contains(a.Source, "checked 20") {
			t.Errorf("%s: material %s premium %s qualification %d source %q", a.Ref, a.Material, a.PremiumPct, a.QualificationMonths, a.Source)
		}
		if a.Countries[3] == "CN" || a.Countries[3] == "" {
			t.Errorf("%s: a default centre must name a component country outside China", a.Ref)
		}
	}
	for _, m := range []string{"NDFEB_N42", "NDFEB_42SH_BULK", "NDFEB_38UH_BULK", "NDFEB_EV_GBD_TB", "NDFEB_WIND_DD", "SMCO5", "SM2CO17",
		"DY2O3", "TB4O7", "Y2O3", "YAG", "ALSC2", "ALSC_TGT_30", "ALSC_TGT_20", "ALSCN_FILM_30", "SC2O3", "CEO2"} {
		if covered[m] < 2 {
			t.Errorf("material %s has %d default centres, want at least 2", m, covered[m])
		}
	}
}
