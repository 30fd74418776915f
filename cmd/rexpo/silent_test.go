package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// unknownHeadersCSV is a BOM whose rare-earth columns are headed in the
// user's words: read without a word, it made a report of zeros saying
// "the cost is not expected to change".
const unknownHeadersCSV = "part_number,qty,cost,RE material,Magnet mass (kg),Crcy,Supplier Country\n" +
	"MOT-1,1,120,NDFEB_N42,0.8,EUR,China\n" +
	"ROT-2,2,40,NDFEB_N42,0.2,EUR,Japan\n"

func TestValidateNamesUnknownColumns(t *testing.T) {
	p := filepath.Join(t.TempDir(), "bom.csv")
	writeFiles(t, filepath.Dir(p), map[string]string{"bom.csv": unknownHeadersCSV})
	stdout, stderr, code := run(t, "validate", p, "--as-of", "2026-12-06")
	if code != 0 {
		t.Fatalf("validate: exit %d, want 0 (warnings do not change the exit status)\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{
		`warning BOM!D1: column "RE material" is not recognised, so its cells are ignored; the nearest known header is material.`,
		`warning BOM!E1: column "Magnet mass (kg)" is not recognised, so its cells are ignored; the nearest known header is re_mass_kg.`,
		`warning BOM!F1: column "Crcy" is not recognised, so its cells are ignored; the nearest known header is currency.`,
		`warning BOM!G1: column "Supplier Country" is not recognised, so its cells are ignored; the nearest known header is origin_country.`,
		"map it with --map FILE, a file with the line `re_mass_kg: Magnet mass (kg)`",
		"warning BOM: no BOM line carries rare-earth content",
		"warning BOM: no BOM line names a stage or origin country",
		"warning BOM: 2 of 2 lines have no hs_code (BOM!2, BOM!3)",
		"warning BOM!C1: unit_cost (header \"cost\") has no currency column beside it, so its 2 amount(s) were taken to be in USD",
		"warning: the scenario library was last checked 2026-01-29, 311 days before this report",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("validate does not say %q:\n%s", want, stdout)
		}
	}
	// The warnings on the figures come before the others.
	if i, j := strings.Index(stdout, "RE material"), strings.Index(stdout, "no Products sheet"); i < 0 || j < i {
		t.Errorf("warnings on the figures are not listed first:\n%s", stdout)
	}
}

// The report of that BOM says on the Summary's first screen why its
// figures are zero.
func TestReportSummarySaysWhyZero(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"bom.csv": unknownHeadersCSV})
	out, js := filepath.Join(dir, "r.xlsx"), filepath.Join(dir, "r.json")
	stdout, stderr, code := run(t, "report", filepath.Join(dir, "bom.csv"), "-o", out, "--json", js, "--as-of", "2026-12-06", "--draws", "100",
		"--only", "cn-status-quo-2026,cn-april-2025-replay") // no tariff rows: nothing but content could move these figures
	if code != 0 {
		t.Fatalf("report: exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "warning BOM: no BOM line carries rare-earth content") {
		t.Errorf("report's summary does not print the warnings on the figures:\n%s", stdout)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Summary")
	if err != nil {
		t.Fatal(err)
	}
	cell := func(r int) string {
		if r < len(rows) && len(rows[r]) > 0 {
			return rows[r][0]
		}
		return ""
	}
	if !strings.HasPrefix(cell(3), "Read this first: ") {
		t.Fatalf("Summary!A4 = %q, want the warnings on the figures", cell(3))
	}
	var top []string
	keyRow := -1
	for r := 4; r < len(rows); r++ {
		if cell(r) == "Key figures" {
			keyRow = r
			break
		}
		top = append(top, cell(r))
	}
	block := strings.Join(top, "\n")
	for _, want := range []string{"BOM: no BOM line carries rare-earth content", `BOM!D1: column "RE material"`, "BOM!G1", "311 days before this report"} {
		if !strings.Contains(block, want) {
			t.Errorf("the Summary's first block lacks %q:\n%s", want, block)
		}
	}
	if keyRow < 0 || keyRow > 30 {
		t.Errorf("Key figures at row %d: pushed off the first screen", keyRow+1)
	}
	var para string
	for r := keyRow; r < len(rows); r++ {
		if cell(r) == "In short" {
			para = cell(r + 1)
			break
		}
	}
	if !strings.Contains(para, "shows no change, but that is no finding") || !strings.Contains(para, "zero for want of content") || strings.Contains(para, "not expected to change") {
		t.Errorf("the Summary's paragraph does not say why the figures are zero: %q", para)
	}
	data, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Warnings []struct{ Sheet, Cell, Message string } `json:"warnings"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, w := range doc.Warnings {
		found = found || w.Sheet == "BOM" && w.Cell == "E1" && strings.Contains(w.Message, "re_mass_kg")
	}
	if !found {
		t.Errorf("JSON warnings lack BOM!E1: %+v", doc.Warnings)
	}
}

// A filled-in template: its example rows (Scenarios' made-up one among
// them) are skipped with a warning and the built-in library runs.
func TestFilledTemplateRunsLibrary(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "t.xlsx")
	if _, stderr, code := run(t, "template", "-o", path); code != 0 {
		t.Fatalf("template: exit %d: %s", code, stderr)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The user adds rows below the examples and leaves these in place.
	fill := func(sheet string, row int, vals map[string]string) {
		headers, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for c, h := range headers[0] {
			if v, ok := vals[h]; ok {
				ref, _ := excelize.CoordinatesToCellName(c+1, row)
				f.SetCellStr(sheet, ref, v)
			}
		}
	}
	fill("Products", 3, map[string]string{"product": "M1", "name": "Motor", "annual_volume": "1000"})
	fill("BOM", 4, map[string]string{"product": "M1", "part_number": "MAG", "qty_per": "2", "unit_cost": "50", "currency": "USD",
		"material": "NDFEB_N42", "re_mass_kg": "0.4", "refine_country": "CN", "component_country": "CN", "hs_code": "8505.11"})
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	stdout, stderr, code := run(t, "report", path, "-o", filepath.Join(dir, "r.xlsx"), "--json", "-", "--as-of", "2026-12-06", "--draws", "100")
	if code != 0 {
		t.Fatalf("report: exit %d\n%s", code, stderr)
	}
	var doc struct {
		Scenarios []struct{ ID string } `json:"scenarios"`
		Products  []struct{ Product string }
		Warnings  []struct{ Sheet, Cell, Message string } `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("JSON: %v\n%s", err, stdout)
	}
	lib, _, code := run(t, "scenarios", "--format", "json")
	if code != 0 {
		t.Fatal("scenarios failed")
	}
	var want struct{ Scenarios []struct{ ID string } }
	json.Unmarshal([]byte(lib), &want)
	if len(doc.Scenarios) != len(want.Scenarios) || len(want.Scenarios) < 6 {
		t.Errorf("%d scenarios run, want the %d of the built-in library", len(doc.Scenarios), len(want.Scenarios))
	}
	for _, s := range doc.Scenarios {
		if s.ID == "my-shock" {
			t.Error("the template's example scenario ran")
		}
	}
	if len(doc.Products) != 1 || doc.Products[0].Product != "M1" {
		t.Errorf("products %+v, want the user's M1 only", doc.Products)
	}
	skipped := map[string]bool{}
	for _, w := range doc.Warnings {
		if strings.HasPrefix(w.Message, "example row of the template") {
			skipped[w.Sheet+"!"+w.Cell] = true
		}
	}
	for _, place := range []string{"Products!2", "BOM!2", "BOM!3", "Scenarios!2", "Controls!2", "Tariffs!2", "Settings!2"} {
		if !skipped[place] {
			t.Errorf("no warning that the example row %s was skipped (skipped: %v)", place, skipped)
		}
	}
}

// The upload page shows the warnings on the figures above the figures.
func TestServePageNotices(t *testing.T) {
	_, ts, _ := newTestServer(t, testOptions())
	status, _, body := post(t, nil, ts.URL+"/report", append([]field{{key: "bom", file: "bom.csv"}, {key: "as-of", value: testAsOf}}, allScenarios(t, ts)...),
		[]byte(unknownHeadersCSV), "")
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	page := string(body)
	i, j := strings.Index(page, `id="notices"`), strings.Index(page, `id="expected"`)
	if i < 0 || j < i {
		t.Fatalf("no notices above the figures")
	}
	notices := page[i:j]
	for _, want := range []string{"Read this first", "warning BOM!D1: column &#34;RE material&#34; is not recognised", "no BOM line carries rare-earth content"} {
		if !strings.Contains(notices, want) {
			t.Errorf("the notices lack %q:\n%s", want, notices)
		}
	}
}
