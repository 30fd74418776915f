package reports

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"rexpo/schema"
)

func TestTemplate(t *testing.T) {
	var buf bytes.Buffer
	lists := TemplateLists{Countries: []string{"China", "Japan", "United States"}, Elements: []string{"Nd", "Dy"}, Materials: []string{"NDFEB_38UH_BULK"}}
	if err := WriteTemplate(&buf, lists); err != nil {
		t.Fatalf("WriteTemplate: %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{sheetReadMe}
	for _, l := range schema.Layouts {
		want = append(want, l.Name)
	}
	want = append(want, sheetLists)
	if got := f.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("sheets %v, want %v", got, want)
	}
	if v, _ := f.GetSheetVisible(sheetLists); v {
		t.Errorf("%s is visible", sheetLists)
	}
	for _, l := range schema.Layouts {
		comments, err := f.GetComments(l.Name)
		if err != nil {
			t.Fatal(err)
		}
		notes := len(l.Columns)
		if len(l.Example) > 0 {
			notes++ // the example marker's
		}
		if len(comments) != notes {
			t.Errorf("%s: %d notes, want one per column and the example marker's (%d)", l.Name, len(comments), notes)
		}
		dvs, _ := f.GetDataValidations(l.Name)
		lists := 0
		for i, c := range l.Columns {
			if got := cellValue(t, f, l.Name, cellName(i+1, 1)); got != c.Name {
				t.Errorf("%s!%s = %q, want header %q", l.Name, cellName(i+1, 1), got, c.Name)
			}
			if c.List != schema.NoList {
				lists++
			}
		}
		if len(dvs) != lists {
			t.Errorf("%s: %d drop-down lists, want %d", l.Name, len(dvs), lists)
		}
		for r, ex := range l.Example {
			for i, v := range ex {
				if v == "" || i >= len(l.Columns) {
					continue
				}
				got := cellValue(t, f, l.Name, cellName(i+1, r+2))
				if got != v && strings.TrimRight(strings.TrimRight(got, "0"), ".") != strings.TrimRight(strings.TrimRight(v, "0"), ".") {
					t.Errorf("%s!%s = %q, want example %q", l.Name, cellName(i+1, r+2), got, v)
				}
			}
		}
	}
	// A country column's drop-down reads the Lists sheet.
	dvs, _ := f.GetDataValidations("BOM")
	found := false
	for _, dv := range dvs {
		if strings.Contains(dv.Formula1, "Lists") && dv.Type == "list" {
			found = true
		}
	}
	if !found {
		t.Errorf("BOM has no drop-down reading the Lists sheet: %+v", dvs)
	}
	// A numeric example is a number, a text example stays text.
	if typ, _ := f.GetCellType("Products", "C2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("Products!C2 (annual_volume) type %v, want a number", typ)
	}
	if typ, _ := f.GetCellType("BOM", "T2"); typ != excelize.CellTypeSharedString {
		t.Errorf("BOM!T2 (hs_code) type %v, want text", typ)
	}
}

func TestScenarioTable(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteScenarioTable(&buf, newFixture().r.Input.Scenarios); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"2 scenarios", "sq-nov25", "Status quo after the November 2025 suspension",
		"spot premium 50% (30..80)", "controls:", "m1", "2026-11", "tariffs:", "850511", "25 (10..45)", "2026-03"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestScenarioJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteScenarioJSON(&buf, newFixture().r.Input.Scenarios); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Scenarios []struct {
			ID       string
			Prior    string
			Controls []struct {
				Elements  []string
				FromMonth *string `json:"from_month"`
				ToMonth   *string `json:"to_month"`
			}
			Tariffs []struct {
				TariffPct struct{ Value, Low, High string } `json:"tariff_pct"`
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if len(doc.Scenarios) != 2 || doc.Scenarios[0].ID != "sq-nov25" || doc.Scenarios[0].Prior != "0.6" {
		t.Fatalf("scenarios %+v", doc.Scenarios)
	}
	c := doc.Scenarios[0].Controls
	if len(c) != 2 || *c[0].FromMonth != "m1" || *c[0].ToMonth != "2026-11" || c[1].FromMonth != nil || strings.Join(c[1].Elements, ",") != "*" {
		t.Errorf("controls %+v", c)
	}
	if tp := doc.Scenarios[1].Tariffs[0].TariffPct; tp.Value != "25" || tp.Low != "10" || tp.High != "45" {
		t.Errorf("tariff_pct %+v, want 25 (10..45)", tp)
	}
}

func TestScenarioWorkbook(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteScenarioWorkbook(&buf, newFixture().r.Input.Scenarios); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "Scenarios,Controls,Tariffs" {
		t.Errorf("sheets %s", got)
	}
	// Headers are the input's columns, so the file can go back in with --scenarios.
	for _, name := range []string{"Scenarios", "Controls", "Tariffs"} {
		l, _ := schema.LayoutOf(name)
		for i, c := range l.Columns {
			if got := cellValue(t, f, name, cellName(i+1, 1)); got != c.Name {
				t.Errorf("%s!%s = %q, want %q", name, cellName(i+1, 1), got, c.Name)
			}
		}
	}
	at := func(sheet, header string, row int) string {
		l, _ := schema.LayoutOf(sheet)
		for i, c := range l.Columns {
			if c.Name == header {
				return cellName(i+1, row)
			}
		}
		t.Fatalf("%s has no column %s", sheet, header)
		return ""
	}
	wantNumber(t, f, "Controls", at("Controls", "from_month", 2), 1) // relative month: a number
	if got := cellValue(t, f, "Controls", at("Controls", "to_month", 2)); got != "2026-11" {
		t.Errorf("Controls to_month = %q, want 2026-11", got)
	}
	if got := cellValue(t, f, "Controls", at("Controls", "elements", 3)); got != "*" {
		t.Errorf("Controls elements = %q, want *", got)
	}
	wantNumber(t, f, "Scenarios", at("Scenarios", "probability", 2), 0.6)
	wantNumber(t, f, "Scenarios", at("Scenarios", "spot_premium_pct", 2), 50)
	wantNumber(t, f, "Scenarios", at("Scenarios", "spot_premium_low", 2), 30)
	wantNumber(t, f, "Tariffs", at("Tariffs", "tariff_pct", 2), 25)
	wantNumber(t, f, "Tariffs", at("Tariffs", "tariff_high", 2), 45)
}
