package reports_test

// These tests are in package reports_test so that package reports, which
// only lays figures out, never imports the input reader, even in tests.

import (
	"bytes"
	"flag"
	"os"
	"testing"
	"time"

	"rexpo/exposure"
	"rexpo/inputs"
	"rexpo/reports"
)

var render = flag.String("render", "", "write the embedded sample's report workbook to this file, to look at")

// TestRenderSample writes the report of the embedded sample BOM, computed
// end to end, for a person to open or convert:
//
//	go test ./reports -run TestRenderSample -render=/tmp/sample.xlsx
//	soffice --headless --convert-to pdf --outdir /tmp /tmp/sample.xlsx
func TestRenderSample(t *testing.T) {
	book, err := inputs.Sample()
	if err != nil {
		t.Fatalf("sample: %v", err)
	}
	defer book.Close()
	ld, err := inputs.Read(book, inputs.Options{Now: time.Date(2026, 1, 29, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatalf("read sample: %v", err)
	}
	res, err := exposure.Compute(ld.Input)
	if err != nil {
		t.Fatalf("compute sample: %v", err)
	}
	m := reports.Meta{InputName: "embedded sample", Version: "test", ScenarioSource: ld.ScenarioSource}
	for _, p := range ld.Problems {
		m.Warnings = append(m.Warnings, reports.Problem{Sheet: p.Sheet, Cell: p.Cell, Message: p.Message, Error: p.Error})
	}
	var buf bytes.Buffer
	if err := reports.WriteWorkbook(&buf, res, m); err != nil {
		t.Fatalf("WriteWorkbook: %v", err)
	}
	var js bytes.Buffer
	if err := reports.WriteJSON(&js, res, m); err != nil {
		t.Fatalf("WriteJSON: %v", err)
	}
	if *render == "" {
		return
	}
	if err := os.WriteFile(*render, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
