package reports

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"testing"
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
