package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// run runs the app in-process as main would, returning stdout, stderr and
// the exit status.
func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	app := newApp()
	var out, errOut bytes.Buffer
	app.Writer, app.ErrWriter = &out, &errOut
	err := app.Run(normalizeArgs(app, append([]string{"rexpo"}, args...)))
	if err != nil {
		errOut.WriteString("rexpo: " + err.Error() + "\n")
	}
	return out.String(), errOut.String(), exitCode(err)
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// smallBOM is a folder input: one product of 1,000 units a year, a motor
// with two NdFeB magnets made in China and a shaft.
func smallBOM(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "bom")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{
		"products.csv": "product,name,annual_volume\nP1,Motor,1000\n",
		"bom.csv": "product,part_number,description,parent,qty_per,unit_cost,material,re_mass_kg,mine_country,refine_country,metal_country,component_country,hs_code\n" +
			"P1,MOT,Motor,,1,50,,,,,,,8501.10\n" +
			"P1,MAG,Magnet,MOT,2,100,NDFEB_38UH_BULK,0.5,CN,CN,CN,CN,8505.11\n" +
			"P1,SHAFT,Shaft,MOT,1,20,,,,,,,\n",
		// One scenario: a 45% US tariff on Chinese magnets from month 1.
		"scenarios.csv": "scenario,name,stance,probability,spot_premium_pct\nT,Tariff,tightening,1,0\n",
		"tariffs.csv":   "scenario,import_country,origin_country,hs_prefix,tariff_pct\nT,US,CN,8505,45\n",
	})
	return dir
}

func TestReportFlagsAfterInput(t *testing.T) {
	dir := smallBOM(t)
	out := filepath.Join(t.TempDir(), "r.xlsx")
	js := filepath.Join(t.TempDir(), "r.json")
	// Flags after the input must not be dropped (urfave/cli stops at the first argument).
	stdout, stderr, code := run(t, "report", dir, "-o", out, "--json", js, "--as-of", "2026-11-26T00:00:00Z")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(out); err != nil {
		t.Fatalf("workbook not written at -o: %v", err)
	}
	var doc map[string]any
	data, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	// Tariff: 2 magnets × 100 USD × 45% × 1,000 units = 90,000 a year;
	// the shaft and motor are not Chinese, no other scenario rows.
	sc := doc["scenarios"].([]any)[0].(map[string]any)
	if got := sc["annual_delta"]; !strings.HasPrefix(got.(string), "90000") {
		t.Errorf("annual_delta = %v, want 90000", got)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); sheets[0] != "Summary" {
		t.Errorf("first sheet = %q, want Summary", sheets[0])
	}
}

func TestReportDefaultOutputBesideInput(t *testing.T) {
	dir := smallBOM(t)
	if _, stderr, code := run(t, "report", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(dir + "-report.xlsx"); err != nil {
		t.Errorf("report not beside the input: %v", err)
	}
}

func TestJSONToStdout(t *testing.T) {
	dir := smallBOM(t)
	stdout, stderr, code := run(t, "report", dir, "-o", filepath.Join(t.TempDir(), "r.xlsx"), "--json", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("stdout is not the JSON alone: %v\n%s", err, stdout)
	}
}

func TestDemo(t *testing.T) {
	out := filepath.Join(t.TempDir(), "demo.xlsx")
	stdout, stderr, code := run(t, "demo", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "expected") {
		t.Errorf("summary missing from stdout:\n%s", stdout)
	}
	if st, err := os.Stat(out); err != nil || st.Size() == 0 {
		t.Fatalf("demo workbook: %v", err)
	}
}

// TestDemoReproducible checks what the README promises of --as-of: the
// same input and time give the same workbook and JSON, byte for byte.
func TestDemoReproducible(t *testing.T) {
	dir := t.TempDir()
	var books, jsons [2][]byte
	for i := range books {
		xlsx, js := filepath.Join(dir, fmt.Sprintf("demo%d.xlsx", i)), filepath.Join(dir, fmt.Sprintf("demo%d.json", i))
		if _, stderr, code := run(t, "demo", "-o", xlsx, "--json", js, "--as-of", "2026-11-26T00:00:00Z"); code != 0 {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		var err error
		if books[i], err = os.ReadFile(xlsx); err != nil {
			t.Fatal(err)
		}
		if jsons[i], err = os.ReadFile(js); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(books[0], books[1]) {
		t.Error("two demo workbooks with the same --as-of differ")
	}
	if !bytes.Equal(jsons[0], jsons[1]) {
		t.Error("two demo JSON files with the same --as-of differ")
	}
}

func TestTemplate(t *testing.T) {
	out := filepath.Join(t.TempDir(), "t.xlsx")
	if _, stderr, code := run(t, "template", "-o", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, s := range []string{"Products", "BOM", "Sourcing", "Settings"} {
		if idx, _ := f.GetSheetIndex(s); idx < 0 {
			t.Errorf("template lacks sheet %s", s)
		}
	}
}

func TestScenarios(t *testing.T) {
	stdout, stderr, code := run(t, "scenarios")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "cn-status-quo-2026") {
		t.Errorf("table lacks the status-quo scenario:\n%s", stdout)
	}
	stdout, _, code = run(t, "scenarios", "--format", "json")
	var v any
	if code != 0 || json.Unmarshal([]byte(stdout), &v) != nil {
		t.Errorf("scenarios --format json: exit %d, output not JSON", code)
	}
	if _, _, code := run(t, "scenarios", "--format", "pdf"); code != exitUsage {
		t.Errorf("unknown format: exit %d, want %d", code, exitUsage)
	}
}

func TestVersion(t *testing.T) {
	stdout, _, code := run(t, "version")
	if code != 0 || !strings.Contains(stdout, version) {
		t.Errorf("version: exit %d, %q", code, stdout)
	}
}

func TestValidate(t *testing.T) {
	dir := smallBOM(t)
	stdout, stderr, code := run(t, "validate", dir)
	if code != 0 {
		t.Fatalf("good input: exit %d\n%s%s", code, stdout, stderr)
	}
	// Break two cells: an ambiguous number and an unknown country.
	writeFiles(t, dir, map[string]string{
		"bom.csv": "product,part_number,parent,qty_per,unit_cost,component_country\n" +
			"P1,MOT,,1,\"1,5\",\n" +
			"P1,MAG,MOT,2,100,Chna\n",
	})
	stdout, _, code = run(t, "validate", dir)
	if code != exitInput {
		t.Errorf("bad input: exit %d, want %d", code, exitInput)
	}
	for _, want := range []string{"bom!E2", "bom!F3", "China"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("validate output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestBadInputLeavesNoOutput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "broken.xlsx")
	writeFiles(t, dir, map[string]string{"broken.xlsx": "this is not a workbook"})
	out := filepath.Join(dir, "out.xlsx")
	_, stderr, code := run(t, "report", bad, "-o", out)
	if code != exitInput {
		t.Errorf("exit %d, want %d (%s)", code, exitInput, stderr)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files left behind: %v", entries)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"report"},
		{"report", "a", "b"},
		{"report", "x.xlsx", "--no-such-flag"},
		{"demo", "extra"},
	} {
		if _, _, code := run(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}

func TestNormalizeArgs(t *testing.T) {
	app := newApp()
	got := normalizeArgs(app, []string{"rexpo", "report", "bom.xlsx", "-o", "r.xlsx", "--json=-", "--horizon", "36"})
	want := []string{"rexpo", "report", "-o", "r.xlsx", "--json=-", "--horizon", "36", "--", "bom.xlsx"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("normalizeArgs = %v, want %v", got, want)
	}
}

// A fresh template reads, but its example rows are skipped, never run
// (SPEC section 11): it has no BOM line of its own.
func TestTemplateValidates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.xlsx")
	if _, stderr, code := run(t, "template", "-o", path); code != 0 {
		t.Fatalf("template: exit %d: %s", code, stderr)
	}
	stdout, stderr, code := run(t, "validate", path)
	if code != exitInput || !strings.Contains(stdout, "error BOM: the BOM has no lines of its own: its 2 row(s) are the template's examples") {
		t.Errorf("validate of a fresh template: exit %d, want %d saying its rows are examples\n%s%s", code, exitInput, stdout, stderr)
	}
	for _, w := range []string{"warning BOM!2: example row of the template", "warning Scenarios!2: example row of the template", "warning Settings!4: example row"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("validate does not say %q:\n%s", w, stdout)
		}
	}
}

// A workbook that unzips to more than --max-unzipped is refused as an
// input error, and nothing is written.
func TestMaxUnzipped(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "t.xlsx")
	if _, stderr, code := run(t, "template", "-o", book); code != 0 {
		t.Fatalf("template: exit %d: %s", code, stderr)
	}
	out := filepath.Join(dir, "r.xlsx")
	_, stderr, code := run(t, "report", book, "-o", out, "--max-unzipped", "2000")
	if code != exitInput || !strings.Contains(stderr, "too large") {
		t.Errorf("exit %d, want %d with a too-large message; stderr: %s", code, exitInput, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s written despite the error", out)
	}
}

// TestDecimalComma runs validate on a ';'-separated CSV written with
// decimal commas: refused, with the flag named, without --decimal-comma
// (before or after the input); read with it.
func TestDecimalComma(t *testing.T) {
	p := filepath.Join(t.TempDir(), "bom.csv")
	if err := os.WriteFile(p, []byte("product;part_number;parent;qty_per;unit_cost\nP1;MOT;;1;1.234,50\nP1;MAG;MOT;2;85,40\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := run(t, "validate", p)
	if code != 1 || !strings.Contains(stdout+stderr, "BOM!E3") || !strings.Contains(stdout+stderr, "--decimal-comma") {
		t.Errorf("without --decimal-comma: exit %d, want 1 naming BOM!E3 and the flag\n%s%s", code, stdout, stderr)
	}
	for _, args := range [][]string{{"validate", "--decimal-comma", p}, {"validate", p, "--decimal-comma"}} {
		if stdout, stderr, code := run(t, args...); code != 0 {
			t.Errorf("%v: exit %d\n%s%s", args, code, stdout, stderr)
		}
	}
}
