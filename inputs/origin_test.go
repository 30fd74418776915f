package inputs

import (
	"testing"

	"rexpo/exposure"
	"rexpo/reference"
)

// Tests of the origin and heavy-rare-earth separation countries and their
// defaults (SPEC section 2), and of a product's import country.

// wantSource compares a source's stage countries, heavy separation and
// origin with the expected ones.
func wantSource(t *testing.T, what string, got exposure.Source, countries [exposure.NumStages]string, hre, origin string) {
	t.Helper()
	gotCountries := exposure.CountryCodes(got.Countries)
	if gotCountries != countries || got.HRESeparation.String() != hre || got.Origin.String() != origin {
		t.Errorf("%s: countries %q hre %q origin %q, want %q hre %q origin %q",
			what, gotCountries, got.HRESeparation, got.Origin, countries, hre, origin)
	}
}

func TestBOMOriginDefaults(t *testing.T) {
	type row = []any
	cases := []struct {
		name    string
		headers row
		cells   row
		stages  [exposure.NumStages]string
		hre     string
		origin  string
	}{
		{
			// Only the component country: the part ships from where it is
			// made, JP; the heavy rare earths are separated where the
			// light ones are, MY.
			name: "origin from component", headers: row{"refine_country", "component_country"}, cells: row{"MY", "Japan"},
			stages: [4]string{"", "MY", "", "JP"}, hre: "MY", origin: "JP",
		},
		{
			// Only the origin: the component takes it, VN.
			name: "component from origin", headers: row{"origin_country"}, cells: row{"Viet Nam"},
			stages: [4]string{"", "", "", "VN"}, hre: "", origin: "VN",
		},
		{
			// Both given: each stays, the magnet from JP in a motor
			// shipped from TH.
			name: "both given", headers: row{"component_country", "origin_country"}, cells: row{"JP", "TH"},
			stages: [4]string{"", "", "", "JP"}, hre: "", origin: "TH",
		},
		{
			// Neither: both unknown.
			name: "neither", headers: row{"mine_country"}, cells: row{"AU"},
			stages: [4]string{"AU", "", "", ""}, hre: "", origin: "",
		},
		{
			// Dy separated in CN, NdPr in MY: the heavy separation is its own.
			name: "heavy separation given", headers: row{"separation_country", "hre_separation_country", "magnet_country"}, cells: row{"MY", "China", "JP"},
			stages: [4]string{"", "MY", "", "JP"}, hre: "CN", origin: "JP",
		},
		{
			// country_of_origin and COO now mean origin_country, not the
			// component country (which takes the origin when empty).
			name: "country_of_origin alias", headers: row{"Country of Origin"}, cells: row{"KR"},
			stages: [4]string{"", "", "", "KR"}, hre: "", origin: "KR",
		},
		{
			name: "coo alias beside the component", headers: row{"component_country", "COO"}, cells: row{"CN", "MX"},
			stages: [4]string{"", "", "", "CN"}, hre: "", origin: "MX",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bom := [][]any{
				append(row{"product", "part_number", "qty_per"}, tc.headers...),
				append(row{"P1", "MAG", 1}, tc.cells...),
			}
			l := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": bom}, Options{})
			srcs := lineOf(t, l, "P1", "MAG").Sources
			if len(srcs) != 1 {
				t.Fatalf("%d sources, want 1", len(srcs))
			}
			wantSource(t, "MAG", srcs[0], tc.stages, tc.hre, tc.origin)
		})
	}
}

func TestSourcingOriginDefaults(t *testing.T) {
	// The BOM row says every stage, the heavy separation and the origin
	// are CN. A Sourcing row's defaults come from the row alone: its other
	// empty stages stay unknown, never the BOM row's CN.
	sheets := map[string][][]any{
		"Products": oneProduct(),
		"BOM": {
			{"product", "part_number", "qty_per", "mine_country", "refine_country", "hre_separation_country", "metal_country", "component_country", "origin_country"},
			{"P1", "MAG", 1, "CN", "CN", "CN", "CN", "CN", "CN"},
		},
		"Sourcing": {
			{"part_number", "supplier", "share_pct", "refine_country", "hre_separation_country", "component_country", "origin_country"},
			{"MAG", "Kanto", 40, nil, nil, "JP", nil},     // origin = component JP
			{"MAG", "Hanoi", 30, nil, nil, nil, "VN"},     // component = origin VN
			{"MAG", "Lynas", 20, "MY", nil, nil, nil},     // heavy separation = separation MY
			{"MAG", "Baotou", 10, "MY", "CN", "EE", "DE"}, // each as given
		},
	}
	l := mustRead(t, sheets, Options{})
	srcs := lineOf(t, l, "P1", "MAG").Sources
	if len(srcs) != 4 {
		t.Fatalf("%d sources, want 4", len(srcs))
	}
	wantSource(t, "Kanto", srcs[0], [4]string{"", "", "", "JP"}, "", "JP")
	wantSource(t, "Hanoi", srcs[1], [4]string{"", "", "", "VN"}, "", "VN")
	wantSource(t, "Lynas", srcs[2], [4]string{"", "MY", "", ""}, "MY", "")
	wantSource(t, "Baotou", srcs[3], [4]string{"", "MY", "", "EE"}, "CN", "DE")
}

func TestAlternativesOriginDefaults(t *testing.T) {
	l := mustRead(t, map[string][][]any{
		"Products": oneProduct(),
		"BOM":      altBOM(),
		"Alternatives": {
			{"part_number", "material", "supplier", "refine_country", "hre_separation_country", "component_country", "origin_country", "premium_pct"},
			{"MAG-1", nil, "Kanto", "MY", nil, "JP", "TH", 10},        // row 2: as given; heavy separation MY
			{"MAG-1", nil, "Hanoi", nil, nil, nil, "VN", 10},          // row 3: component = origin VN
			{nil, "NDFEB_N42", "Baltic", "EE", "CN", "EE", nil, 10},   // row 4: origin = component EE
			{nil, "NDFEB_N42", "Same", nil, nil, "EE", "Estonia", 10}, // row 5: an origin equal to the component is fine
			{"MAG-1", nil, "Nothing", nil, nil, nil, nil, 10},         // row 6: all unknown
		},
	}, Options{})
	want := map[string]struct {
		stages      [exposure.NumStages]string
		hre, origin string
	}{
		"Kanto":   {[4]string{"", "MY", "", "JP"}, "MY", "TH"},
		"Hanoi":   {[4]string{"", "", "", "VN"}, "", "VN"},
		"Baltic":  {[4]string{"", "EE", "", "EE"}, "CN", "EE"},
		"Same":    {[4]string{"", "", "", "EE"}, "", "EE"},
		"Nothing": {[4]string{}, "", ""},
	}
	seen := 0
	for _, a := range l.Input.Alternatives {
		w, ok := want[a.Supplier]
		if !ok {
			continue
		}
		seen++
		if a.Countries != w.stages || a.HRESeparation != w.hre || a.Origin != w.origin {
			t.Errorf("%s: countries %v hre %q origin %q, want %v hre %q origin %q", a.Supplier, a.Countries, a.HRESeparation, a.Origin, w.stages, w.hre, w.origin)
		}
	}
	if seen != len(want) {
		t.Errorf("%d of the %d rows read", seen, len(want))
	}
	// The embedded default centres are material rows: their origin is
	// their component country; their heavy separation is the data's own
	// (most still CN, reference section 11) or else their separation.
	for _, a := range l.Input.Alternatives {
		if a.Indicative && (a.Origin != a.Countries[exposure.StageComponent] || a.HRESeparation == "" && a.Countries[exposure.StageSeparation] != "") {
			t.Errorf("%s: origin %q hre %q, countries %v", a.Ref, a.Origin, a.HRESeparation, a.Countries)
		}
	}

	// A material row ships from its component country: another origin is
	// an error at the origin cell G2.
	ie := mustFail(t, map[string][][]any{
		"Products": oneProduct(),
		"BOM":      altBOM(),
		"Alternatives": {
			{"part_number", "material", "supplier", "refine_country", "hre_separation_country", "component_country", "origin_country", "premium_pct"},
			{nil, "NDFEB_N42", "Baltic", "EE", nil, "EE", "DE", 10},
		},
	}, Options{})
	wantProblem(t, ie.Problems, "Alternatives", "G2", true, "DE", "EE", "part-number row")
}

func TestProductsImportCountry(t *testing.T) {
	products := [][]any{
		{"product", "annual_volume", "plant_country"},
		{"P1", 1000, "Mexico"}, // built in MX: MX duties
		{"P2", 500, nil},       // empty: "" (the cost model takes Settings)
	}
	bom := [][]any{
		{"product", "part_number", "qty_per"},
		{"P1", "A", 1},
		{"P2", "B", 1},
	}
	l := mustRead(t, map[string][][]any{"Products": products, "BOM": bom}, Options{})
	got := map[string]string{}
	for _, p := range l.Input.BOM.Products {
		got[p.ID] = p.ImportCountry
	}
	if got["P1"] != "MX" || got["P2"] != "" {
		t.Errorf("import countries %v, want P1 MX and P2 empty", got)
	}

	// An unknown country is an error at its cell, C3.
	products[2][2] = "Narnia"
	ie := mustFail(t, map[string][][]any{"Products": products, "BOM": bom}, Options{})
	wantProblem(t, ie.Problems, "Products", "C3", true, "Narnia")
}

// TestEveryCountryFitsCountry: each country of the reference table, by
// name, reads as a code that exposure.Country holds (two capitals; it
// panics on anything else) and gives back.
func TestEveryCountryFitsCountry(t *testing.T) {
	names := reference.CountryNames()
	if len(names) < 200 {
		t.Fatalf("%d countries", len(names))
	}
	for _, name := range names {
		code, err := reference.LookupCountry(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := exposure.CountryOf(code).String(); got != code {
			t.Errorf("%s: %q as a Country is %q", name, code, got)
		}
	}
}
