package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// TestDemoOpensInLibreOffice converts the demo workbook with LibreOffice
// and checks that it opens and that the Summary figures it reads back equal
// the JSON's exact decimals rounded to cents. Without soffice it skips,
// unless CI is set.
func TestDemoOpensInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("soffice not found, and CI is set: install libreoffice-calc-nogui (see .ci/run)")
		}
		t.Skip("soffice not found: install libreoffice-calc-nogui to run this test")
	}
	dir := t.TempDir()
	book, js := filepath.Join(dir, "demo.xlsx"), filepath.Join(dir, "demo.json")
	if _, stderr, code := run(t, "demo", "-o", book, "--json", js, "--as-of", "2026-11-26T00:00:00Z"); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, stderr)
	}
	out := filepath.Join(dir, "lo")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "xlsx", "--outdir", out, book)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, msg)
	}
	f, err := excelize.OpenFile(filepath.Join(out, "demo.xlsx"))
	if err != nil {
		t.Fatalf("LibreOffice's copy does not open: %v", err)
	}
	defer f.Close()

	var doc struct {
		Products []struct {
			Product          string `json:"product"`
			AnnualVolume     string `json:"annual_volume"`
			BaselineUnitCost string `json:"baseline_unit_cost"`
		} `json:"products"`
		Scenarios []struct {
			AnnualDelta string `json:"annual_delta"`
		} `json:"scenarios"`
		Expected string `json:"expected_annual_delta"`
	}
	data, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var baseline decimal.Decimal
	for _, p := range doc.Products {
		baseline = baseline.Add(dec(t, p.BaselineUnitCost).Mul(dec(t, p.AnnualVolume)))
	}
	worst := dec(t, doc.Scenarios[0].AnnualDelta)
	for _, s := range doc.Scenarios {
		worst = decimal.Max(worst, dec(t, s.AnnualDelta))
	}
	want := map[string]decimal.Decimal{
		"Baseline annual cost of all products":              baseline,
		"Expected annual cost change, probability-weighted": dec(t, doc.Expected),
		"Worst scenario's annual cost change":               worst,
	}
	for _, p := range doc.Products {
		want["product "+p.Product] = dec(t, p.BaselineUnitCost)
	}
	rows, err := f.GetRows("Summary", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, row := range rows {
		if len(row) < 4 {
			continue
		}
		key := ""
		for label := range want {
			if strings.HasPrefix(row[0], label) {
				key = label
			}
		}
		if _, ok := want["product "+row[0]]; ok {
			key = "product " + row[0]
		}
		if key == "" || found[key] {
			continue
		}
		found[key] = true
		got, err := decimal.NewFromString(row[3])
		if err != nil {
			t.Errorf("Summary %q: value %q is not a number", key, row[3])
			continue
		}
		if w := want[key].Round(2); !got.Round(2).Equal(w) {
			t.Errorf("Summary %q: LibreOffice reads %s, JSON says %s", key, got.Round(2), w)
		}
	}
	for key := range want {
		if !found[key] {
			t.Errorf("Summary has no row %q", key)
		}
	}
}

func dec(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatalf("not a decimal: %q", s)
	}
	return d
}
