package reports

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
)

// summaryColumnA returns the Summary's column A, row by row.
func summaryColumnA(t *testing.T, fx *fixture) []string {
	t.Helper()
	f, _ := writeFixture(t, fx)
	rows, err := f.GetRows("Summary")
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		if len(r) > 0 {
			out[i] = r[0]
		}
	}
	return out
}

// TestSummaryNotices: the warnings on the figures come first, under the
// title; the other warnings stay on the Warnings sheet.
func TestSummaryNotices(t *testing.T) {
	fx := newFixture()
	decided := "scenario sq-nov25 (\"Status quo\") was decided on 2026-11-10, 26 days before this report: its outcome is now known, so its probability belongs at 1 (it happened) or 0 (it did not) on the Scenarios sheet"
	fx.m.Warnings = append(fx.m.Warnings,
		Problem{Sheet: "BOM", Cell: "D1", Message: `column "RE material" is not recognised`, Figures: true},
		Problem{Sheet: "Scenarios", Message: decided, Figures: true},
	)
	a := summaryColumnA(t, fx)
	want := []string{"Read this first: 2 warnings bear on these figures", "Scenarios: " + decided, `BOM!D1: column "RE material" is not recognised`, "", "Key figures"}
	for i, w := range want {
		if a[3+i] != w {
			t.Errorf("Summary!A%d = %q, want %q", 4+i, a[3+i], w)
		}
	}
	if all := strings.Join(a, "\n"); strings.Contains(all, "composition from the reference data") {
		t.Error("an ordinary warning is on the Summary")
	}

	// No warning on the figures: the Summary starts with its key figures.
	fx = newFixture()
	if a := summaryColumnA(t, fx); a[3] != "Key figures" {
		t.Errorf("Summary!A4 = %q, want Key figures", a[3])
	}
}

// TestSummaryZeroForWantOfContent: a report of zeros from a BOM without
// rare-earth content says so instead of "not expected to change".
func TestSummaryZeroForWantOfContent(t *testing.T) {
	fx := newFixture()
	for i := range fx.r.Scenarios {
		fx.r.Scenarios[i].AnnualDelta = decimal.Zero
	}
	fx.r.ExpectedAnnualDelta = decimal.Zero
	fx.r.Weigh()
	lines := make([]exposure.Line, len(fx.r.Input.BOM.Lines))
	for i, l := range fx.r.Input.BOM.Lines {
		l.Content = nil
		lines[i] = l
	}
	fx.r.Input.BOM.Lines = lines
	fx.m.Warnings = append(fx.m.Warnings, Problem{Sheet: "BOM", Message: "no BOM line carries rare-earth content", Figures: true})
	text := strings.Join(summaryColumnA(t, fx), "\n")
	if !strings.Contains(text, "shows no change, but that is no finding: no BOM line carries rare-earth content") || strings.Contains(text, "not expected to change") {
		t.Errorf("Summary does not say the figures are zero for want of content:\n%s", text)
	}
}
