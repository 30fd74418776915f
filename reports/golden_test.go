package reports

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"rexpo/exposure"
)

var update = flag.Bool("update", false, "rewrite the golden workbooks in testdata/")

// cells turns a workbook into sheet → cell → raw value, with the sheet
// order under the key "" so that a reordering shows too.
func cells(t *testing.T, data []byte) map[string]map[string]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("open workbook: %v", err)
	}
	defer f.Close()
	out := map[string]map[string]string{"": {"order": strings.Join(f.GetSheetList(), "|")}}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatalf("%s: %v", sheet, err)
		}
		m := map[string]string{}
		for r, row := range rows {
			for c, v := range row {
				if v != "" {
					m[cellName(c+1, r+1)] = v
				}
			}
		}
		out[sheet] = m
	}
	return out
}

// diffCells lists the differences as "Summary!B4: got 10.5, want 10",
// missing and extra cells included, in a stable order.
func diffCells(got, want map[string]map[string]string) []string {
	var out []string
	sheets := map[string]bool{}
	for s := range got {
		sheets[s] = true
	}
	for s := range want {
		sheets[s] = true
	}
	for s := range sheets {
		g, w := got[s], want[s]
		for c, wv := range w {
			gv, ok := g[c]
			switch {
			case !ok:
				out = append(out, fmt.Sprintf("%s!%s: missing, want %q", s, c, wv))
			case gv != wv:
				out = append(out, fmt.Sprintf("%s!%s: got %q, want %q", s, c, gv, wv))
			}
		}
		for c, gv := range g {
			if _, ok := w[c]; !ok {
				out = append(out, fmt.Sprintf("%s!%s: extra %q", s, c, gv))
			}
		}
	}
	sort.Strings(out)
	return out
}

// checkGolden compares a workbook with testdata/<name>.golden.xlsx cell by
// cell, or rewrites the golden file with -update.
func checkGolden(t *testing.T, name string, data []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden.xlsx")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	diffs := diffCells(cells(t, data), cells(t, want))
	const show = 30
	for i, d := range diffs {
		if i == show {
			t.Errorf("... and %d more differences", len(diffs)-show)
			break
		}
		t.Error(d)
	}
}

func TestGoldenFixture(t *testing.T) {
	_, data := writeFixture(t, newFixture())
	checkGolden(t, "fixture", data)
}

// computeInput is a small hand-built input for exposure.Compute: the
// fixture's BOM, prices and scenarios, computed for real.
func computeInput() exposure.Input {
	return *newFixture().r.Input
}

func TestGoldenCompute(t *testing.T) {
	in := computeInput()
	res, err := exposure.Compute(in)
	if err != nil {
		t.Fatalf("Compute: %v", err)
	}
	if res.Plan, err = exposure.Recommend(res); err != nil {
		t.Fatalf("Recommend: %v", err)
	}
	var buf bytes.Buffer
	m := newFixture().m
	if err := WriteWorkbook(&buf, res, m); err != nil {
		t.Fatalf("WriteWorkbook: %v", err)
	}
	// Parts come from Compute: one row per cost-bearing or rare-earth line.
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Parts")
	f.Close()
	if len(rows) < 2 {
		t.Errorf("Parts has %d rows, want the computed lines", len(rows))
	}
	checkGolden(t, "compute", buf.Bytes())

	var js bytes.Buffer
	if err := WriteJSON(&js, res, m); err != nil {
		t.Fatalf("WriteJSON: %v", err)
	}
	golden := filepath.Join("testdata", "compute.golden.json")
	if *update {
		if err := os.WriteFile(golden, js.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(js.Bytes(), want) {
		t.Errorf("JSON differs from %s:\n%s", golden, lineDiff(js.String(), string(want)))
	}
}

// lineDiff shows the first lines that differ.
func lineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	var out []string
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			out = append(out, fmt.Sprintf("line %d: got %q, want %q", i+1, gl, wl))
			if len(out) == 10 {
				break
			}
		}
	}
	return strings.Join(out, "\n")
}
