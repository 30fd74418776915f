package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// sensorDeclaration is an IEC 62474 declaration of part SENS: a 6 g SmCo
// ring at 25% Sm, so 1.5 g of samarium per unit.
const sensorDeclaration = `<?xml version="1.0" encoding="UTF-8"?>
<Main xmlns="http://std.iec.ch/iec62474">
  <Product unitType="each">
    <ProductID identifier="SENS" name="Position sensor magnet"/>
    <Composition>
      <Material name="Sintered Sm2Co17"><Mass mass="6" unitOfMeasure="g"/>
        <Substance name="Samarium"><SubstanceID identity="7440-19-9" authority="CAS"/><MassPercent massPercent="25"/></Substance>
      </Material>
    </Composition>
  </Product>
</Main>`

// declaredBOM is smallBOM with a sensor magnet whose BOM row gives no
// content, and a folder holding its declaration and a broken file.
func declaredBOM(t *testing.T) (bom, decl string) {
	t.Helper()
	bom = smallBOM(t)
	data, err := os.ReadFile(filepath.Join(bom, "bom.csv"))
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, bom, map[string]string{"bom.csv": string(data) + "P1,SENS,Position sensor magnet,MOT,1,5,,,CN,CN,CN,CN,8505.11\n"})
	decl = filepath.Join(t.TempDir(), "decl")
	if err := os.Mkdir(decl, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, decl, map[string]string{"sens.xml": sensorDeclaration, "broken.xml": "%PDF-1.7 not a declaration"})
	return bom, decl
}

func TestReportDeclarations(t *testing.T) {
	bom, decl := declaredBOM(t)
	out := filepath.Join(t.TempDir(), "r.xlsx")
	stdout, stderr, code := run(t, "report", bom, "--declarations", decl, "-o", out, "--as-of", "2026-11-26T00:00:00Z")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Parts")
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range rows[0] {
		if h == "Rare-earth content from" {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("Parts has no content-source column: %q", rows[0])
	}
	found := false
	for _, r := range rows[1:] {
		if r[1] == "SENS" {
			found = true
			if got := r[col]; got != "declaration "+filepath.Join(decl, "sens.xml") {
				t.Errorf("SENS marked %q", got)
			}
		}
	}
	if !found {
		t.Error("no Parts row for SENS: the declared content did not count")
	}
	var summary, warnings []string
	for _, s := range []struct {
		sheet string
		dst   *[]string
	}{{"Summary", &summary}, {"Warnings", &warnings}} {
		rows, err := f.GetRows(s.sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			*s.dst = append(*s.dst, strings.Join(r, " | "))
		}
	}
	if s := strings.Join(summary, "\n"); !strings.Contains(s, "declared by suppliers for 1 of 2 exposed lines") {
		t.Errorf("Summary does not count the declared line:\n%s", s)
	}
	if w := strings.Join(warnings, "\n"); !strings.Contains(w, "broken.xml") || !strings.Contains(w, "not an XML") {
		t.Errorf("Warnings do not list the broken declaration:\n%s", w)
	}
}

func TestReportDeclarationsMissing(t *testing.T) {
	bom, decl := declaredBOM(t)
	out := filepath.Join(t.TempDir(), "r.xlsx")
	_, stderr, code := run(t, "report", bom, "--declarations", filepath.Join(decl, "nope.xml"), "-o", out)
	if code != exitInput || !strings.Contains(stderr, "--declarations") || !strings.Contains(stderr, "no such file or folder") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a report was written")
	}
	// validate lists a broken declaration as a warning and passes.
	stdout, stderr, code := run(t, "validate", bom, "--declarations", decl)
	if code != 0 || !strings.Contains(stdout, "broken.xml") {
		t.Errorf("validate: exit %d\n%s%s", code, stdout, stderr)
	}
}
