package reports

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
)

func keysOf(m map[string]any) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

func sortedKeys(ks ...string) string {
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

func writeFixtureJSON(t *testing.T, fx *fixture) (map[string]any, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := writeJSON(&buf, fx.r, fx.m, fx.parts); err != nil {
		t.Fatalf("writeJSON: %v", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("JSON does not parse: %v\n%s", err, buf.String())
	}
	return doc, buf.String()
}

func TestJSONFieldNames(t *testing.T) {
	doc, raw := writeFixtureJSON(t, newFixture())
	if got, want := keysOf(doc), sortedKeys("currency", "as_of", "settings", "products", "scenarios",
		"expected_annual_delta", "mix", "exposure", "recommendations", "warnings"); got != want {
		t.Errorf("top-level fields %s, want %s", got, want)
	}
	if got, want := keysOf(doc["settings"].(map[string]any)), sortedKeys("currency", "import_country", "controlling_country",
		"start", "horizon", "carrying_rate", "unknown_origin", "country_cap", "objective", "rollup", "draws", "seed", "as_of"); got != want {
		t.Errorf("settings fields %s, want %s", got, want)
	}
	p := doc["products"].([]any)[0].(map[string]any)
	if got, want := keysOf(p), sortedKeys("product", "annual_volume", "baseline_unit_cost"); got != want {
		t.Errorf("product fields %s, want %s", got, want)
	}
	s := doc["scenarios"].([]any)[0].(map[string]any)
	if got, want := keysOf(s), sortedKeys("id", "name", "stance", "prior", "probability", "annual_delta", "horizon_delta",
		"split", "p10", "p50", "p90", "products", "parts", "elements", "months"); got != want {
		t.Errorf("scenario fields %s, want %s", got, want)
	}
	if got, want := keysOf(s["split"].(map[string]any)), sortedKeys("price", "shortage", "carrying", "tariff"); got != want {
		t.Errorf("split fields %s, want %s", got, want)
	}
	for field, want := range map[string]string{
		"products": sortedKeys("product", "unit_delta", "annual_delta", "units_at_risk"),
		"parts":    sortedKeys("product", "part_number", "annual_qty", "unit_delta", "annual_delta"),
		"elements": sortedKeys("element", "annual_delta"),
		"months":   sortedKeys("month", "delta"),
	} {
		if got := keysOf(s[field].([]any)[0].(map[string]any)); got != want {
			t.Errorf("scenario %s fields %s, want %s", field, got, want)
		}
	}
	ex := doc["exposure"].(map[string]any)
	if got, want := keysOf(ex["elements"].([]any)[0].(map[string]any)), sortedKeys("element", "annual_kg", "direct_kg", "upstream_kg", "free_kg"); got != want {
		t.Errorf("exposure element fields %s, want %s", got, want)
	}
	if got, want := keysOf(ex["stages"].([]any)[0].(map[string]any)), sortedKeys("stage", "country", "share", "hhi"); got != want {
		t.Errorf("stage fields %s, want %s", got, want)
	}
	if got, want := keysOf(doc["warnings"].([]any)[0].(map[string]any)), sortedKeys("sheet", "cell", "message"); got != want {
		t.Errorf("warning fields %s, want %s", got, want)
	}
	if !strings.HasPrefix(raw, "{\n  \"currency\": \"USD\",\n  \"as_of\"") {
		t.Errorf("JSON does not start with currency then as_of, indented by two spaces:\n%.80s", raw)
	}
}

func TestJSONValues(t *testing.T) {
	doc, _ := writeFixtureJSON(t, newFixture())
	str := func(v any) string { s, _ := v.(string); return s }
	for _, tc := range []struct{ name, got, want string }{
		{"currency", str(doc["currency"]), "USD"},
		{"as_of", str(doc["as_of"]), "2026-01-29T12:00:00Z"},
		{"settings.start", str(doc["settings"].(map[string]any)["start"]), "2026-01"},
		{"settings.horizon", str(doc["settings"].(map[string]any)["horizon"]), "12"},
		{"settings.unknown_origin", str(doc["settings"].(map[string]any)["unknown_origin"]), "world"},
		{"expected_annual_delta", str(doc["expected_annual_delta"]), "5520.2"},
		{"products[0].baseline_unit_cost", str(doc["products"].([]any)[0].(map[string]any)["baseline_unit_cost"]), "270.05"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %q, want %q", tc.name, tc.got, tc.want)
		}
	}
	s1 := doc["scenarios"].([]any)[1].(map[string]any)
	if got := str(s1["products"].([]any)[0].(map[string]any)["unit_delta"]); got != "1.000042" {
		t.Errorf("scenario 1 product unit_delta = %q, want 1.000042 (rounded to 6 places)", got)
	}
	if got := str(s1["months"].([]any)[0].(map[string]any)["month"]); got != "2026-01" {
		t.Errorf("scenario 1 months[0].month = %q, want 2026-01", got)
	}
	// EDU-ROT-110 is used twice in EDU-150: one entry, quantities and
	// deltas summed, the unit delta weighted by annual quantity
	// ((1000 × 1.1 + 500 × 0) / 1500 = 0.733333).
	parts := doc["scenarios"].([]any)[0].(map[string]any)["parts"].([]any)
	if len(parts) != 2 {
		t.Fatalf("%d parts, want 2 (EDU-ROT-110 summed)", len(parts))
	}
	rot := parts[0].(map[string]any)
	for field, want := range map[string]string{"product": "EDU-150", "part_number": "EDU-ROT-110", "annual_qty": "1500", "unit_delta": "0.733333", "annual_delta": "1100"} {
		if got := str(rot[field]); got != want {
			t.Errorf("parts[0].%s = %q, want %q", field, got, want)
		}
	}
}

func TestJSONEmptyListsAreArrays(t *testing.T) {
	fx := newFixture()
	fx.r.Scenarios, fx.r.Elements, fx.r.Stages, fx.r.Products, fx.rows, fx.m.Warnings = nil, nil, nil, nil, nil, nil
	fx.r.Weigh()
	_, raw := writeFixtureJSON(t, fx)
	if strings.Contains(raw, "null") {
		t.Errorf("JSON holds null lists:\n%s", raw)
	}
}

// oldWriteJSON is the JSON writer as it was before it streamed: the whole
// document built, every scenario's parts in it, and encoded at once. It
// is the definition writeJSON must match byte for byte.
func oldWriteJSON(w *bytes.Buffer, r *exposure.Result, m Meta, parts partsFunc) error {
	type part struct {
		product, part               string
		qty                         decimal.Decimal
		weighted, firstUnit, annual []decimal.Decimal
	}
	n := len(r.Scenarios)
	byKey := map[partKey]*part{}
	var order []*part
	err := parts(exposure.PartOptions{}, func(pr exposure.PartRow) error {
		var product, pn string
		if pr.Line != nil {
			product, pn = pr.Line.Product, pr.Line.PartNumber
		}
		a := byKey[partKey{product, pn}]
		if a == nil {
			a = &part{product: product, part: pn, weighted: make([]decimal.Decimal, n), firstUnit: make([]decimal.Decimal, n), annual: make([]decimal.Decimal, n)}
			for s := 0; s < n && s < len(pr.Deltas); s++ {
				a.firstUnit[s] = pr.Deltas[s].UnitDelta
			}
			byKey[partKey{product, pn}] = a
			order = append(order, a)
		}
		a.qty = a.qty.Add(pr.AnnualQty)
		for s := 0; s < n && s < len(pr.Deltas); s++ {
			a.weighted[s] = a.weighted[s].Add(pr.AnnualQty.Mul(pr.Deltas[s].UnitDelta))
			a.annual[s] = a.annual[s].Add(pr.Deltas[s].AnnualDelta)
		}
		return nil
	})
	if err != nil {
		return err
	}
	doc := buildJSON(r, m)
	for i := range doc.Scenarios {
		for _, a := range order {
			unit := a.firstUnit[i]
			if a.qty.Sign() != 0 {
				unit = a.weighted[i].DivRound(a.qty, 18)
			}
			doc.Scenarios[i].Parts = append(doc.Scenarios[i].Parts, jsonPartDelta{a.product, a.part, dec(a.qty), dec(unit), dec(a.annual[i])})
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// TestJSONAsEncodedWhole checks that the streamed JSON is, byte for byte,
// the document encoding/json makes whole (oldWriteJSON), on the fixture
// and on rows that try the edges: names the encoder escapes (HTML
// characters, quotes, control characters, U+2028, bad UTF-8), a part's
// lines scattered among others', parts without volume, figures beyond
// int64 millionths, negatives that round to zero, and halves at the 18th
// and the 6th place (rounded twice).
func TestJSONAsEncodedWhole(t *testing.T) {
	fx := newFixture()
	names := []string{"P<1>&", `Q"uote\`, "tab\there", "line\u2028sep", "bad\xffutf8", "Ω-magnet", "plain", "a&b", "x>y"}
	lines := make([]exposure.Line, 0, 40)
	for i := 0; i < 40; i++ {
		lines = append(lines, exposure.Line{Product: fx.r.Products[0].ID, PartNumber: names[(i*4)%len(names)]})
		if i%11 == 0 {
			lines[i].Product = "EDU<2>"
		}
		if i >= 25 { // parts of one line each
			lines[i].PartNumber = "solo-" + strconv.Itoa(i)
		}
	}
	figures := []string{"0", "1.1", "-0.0000004", "0.0000005", "-0.0000005", "12345678901234.5678915", "-987654321098765.4321",
		"0.0000000000000000005", "0.0000004999999999995", "3", "-2.5", "1000000", "0.00000049999999999949", "-0.00000049999999999951", "123456789012345678901234567890.123456789"}
	var rows []exposure.PartRow
	for i := range lines {
		pick := func(k int) decimal.Decimal { return d(figures[(i*7+k*5)%len(figures)]) }
		qty := d(strconv.Itoa((i % 4) * 250))
		if i%9 == 0 {
			qty = d("0.3333333")
		}
		rows = append(rows, exposure.PartRow{Index: i, Line: &lines[i], AnnualQty: qty,
			Deltas: []exposure.PartDelta{{UnitDelta: pick(1), AnnualDelta: pick(2)}, {UnitDelta: pick(3), AnnualDelta: pick(4)}}})
	}
	rows = append(rows, exposure.PartRow{Index: 40, AnnualQty: d("5"), // no line: the part of product "" and part number ""
		Deltas: []exposure.PartDelta{{UnitDelta: d("1"), AnnualDelta: d("5")}, {UnitDelta: d("2"), AnnualDelta: d("10")}}})
	for _, c := range []struct {
		name string
		rows []exposure.PartRow
	}{{"fixture", fx.rows}, {"edges", rows}, {"none", nil}} {
		t.Run(c.name, func(t *testing.T) {
			fx.rows = c.rows
			var got, want bytes.Buffer
			if err := writeJSON(&got, fx.r, fx.m, fx.parts); err != nil {
				t.Fatal(err)
			}
			if err := oldWriteJSON(&want, fx.r, fx.m, fx.parts); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				g, w := got.String(), want.String()
				k := 0
				for k < len(g) && k < len(w) && g[k] == w[k] {
					k++
				}
				t.Fatalf("streamed JSON differs from the whole document at byte %d:\n%q\nwant\n%q", k, g[max(0, k-80):min(len(g), k+80)], w[max(0, k-80):min(len(w), k+80)])
			}
			if c.name == "edges" && !strings.Contains(got.String(), `\u003c`) {
				t.Errorf("the edge names were not escaped as HTML:\n%.400s", got.String())
			}
		})
	}
	// Rows computed by exposure carry their exact deltas (and leave the
	// decimals zero when asked): the same document, also when no part has
	// volume and each shows its first line's unit delta.
	for _, volume := range []string{"", "0"} {
		in := computeInput()
		if volume != "" {
			in.BOM.Products = append([]exposure.Product(nil), in.BOM.Products...)
			for i := range in.BOM.Products {
				in.BOM.Products[i].AnnualVolume = d(volume)
			}
		}
		res, err := exposure.Compute(in)
		if err != nil {
			t.Fatal(err)
		}
		var got, want bytes.Buffer
		if err := writeJSON(&got, res, fx.m, res.PartsWith); err != nil {
			t.Fatal(err)
		}
		if err := oldWriteJSON(&want, res, fx.m, res.PartsWith); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) || !strings.Contains(got.String(), `"part_number"`) {
			t.Errorf("volume %q: streamed JSON of computed rows differs from the whole document:\n%.3000s\nwant\n%.3000s", volume, got.String(), want.String())
		}
	}
}
