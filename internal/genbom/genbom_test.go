package genbom

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestWriteCSVShape(t *testing.T) {
	const lines = 5000
	var buf bytes.Buffer
	if err := WriteCSV(&buf, lines, 42); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != lines+1 {
		t.Fatalf("%d records, want %d", len(recs), lines+1)
	}
	if !slices.Equal(recs[0], Columns) {
		t.Fatalf("header %v", recs[0])
	}
	seen := map[string]map[string]bool{} // product → part numbers so far
	isParent := map[string]bool{}
	for _, r := range recs[1:] {
		if r[colParent] != "" {
			isParent[r[colProduct]+"/"+r[colParent]] = true
		}
	}
	leaves, withMaterial := 0, 0
	for i, r := range recs[1:] {
		n := i + 2
		p, pn, parent := r[colProduct], r[colPart], r[colParent]
		if seen[p] == nil {
			seen[p] = map[string]bool{}
		}
		if seen[p][pn] {
			t.Errorf("line %d: part number %s repeats in %s", n, pn, p)
		}
		if parent != "" && !seen[p][parent] {
			t.Errorf("line %d: parent %s is not an earlier part of %s", n, parent, p)
		}
		seen[p][pn] = true
		if m := r[colMaterial]; m != "" {
			if !slices.Contains(Materials, m) {
				t.Errorf("line %d: material %q", n, m)
			}
			if isParent[p+"/"+pn] {
				t.Errorf("line %d: an assembly carries material %s", n, m)
			}
			if _, err := strconv.ParseFloat(r[colREMass], 64); err != nil {
				t.Errorf("line %d: re_mass_kg %q", n, r[colREMass])
			}
		}
		if !isParent[p+"/"+pn] {
			leaves++
			if r[colMaterial] != "" {
				withMaterial++
			}
		}
		for _, c := range []int{colMine, colRefine, colMetal, colComponent} {
			if !slices.Contains(Countries, r[c]) {
				t.Errorf("line %d: country %q", n, r[c])
			}
		}
		for _, c := range []int{colQty, colCost} {
			if _, err := strconv.ParseFloat(r[c], 64); err != nil {
				t.Errorf("line %d: %s %q is not a number", n, Columns[c], r[c])
			}
		}
	}
	if len(seen) < 3 || len(seen) > 10 {
		t.Errorf("%d products, want 3 to 10", len(seen))
	}
	if share := float64(withMaterial) / float64(leaves); share < 0.2 || share > 0.4 {
		t.Errorf("%.2f of leaves carry a material, want about 0.3", share)
	}
}

func TestDeterministic(t *testing.T) {
	gen := func(seed int64) []byte {
		var buf bytes.Buffer
		if err := WriteXLSX(&buf, 300, seed); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, b, c := gen(1), gen(1), gen(2)
	if !bytes.Equal(a, b) {
		t.Error("the same seed gave different workbooks")
	}
	if bytes.Equal(a, c) {
		t.Error("different seeds gave the same workbook")
	}
}

func TestWriteXLSXOpensInExcelize(t *testing.T) {
	for _, lines := range []int{0, 1, 2, 250} {
		var buf bytes.Buffer
		if err := WriteXLSX(&buf, lines, 5); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatalf("lines=%d: %v", lines, err)
		}
		if got := f.GetSheetList(); !slices.Equal(got, []string{"BOM", "Products", "FX"}) {
			t.Errorf("lines=%d: sheets %v", lines, got)
		}
		bom, err := f.GetRows("BOM")
		if err != nil {
			t.Fatal(err)
		}
		if len(bom) != lines+1 || !slices.Equal(bom[0], Columns) {
			t.Errorf("lines=%d: BOM has %d rows, header %v", lines, len(bom), bom[0])
		}
		products, err := f.GetRows("Products")
		if err != nil {
			t.Fatal(err)
		}
		used := map[string]bool{}
		for _, r := range bom[1:] {
			used[r[colProduct]] = true
		}
		for _, r := range products[1:] {
			if v, err := strconv.Atoi(r[1]); err != nil || v <= 0 {
				t.Errorf("lines=%d: product %s volume %q", lines, r[0], r[1])
			}
			delete(used, r[0])
		}
		if len(used) > 0 {
			t.Errorf("lines=%d: BOM products missing from Products: %v", lines, used)
		}
		f.Close()
	}
}

func TestBadLines(t *testing.T) {
	var buf bytes.Buffer
	for _, n := range []int{-1, 1 << 20} {
		if err := WriteXLSX(&buf, n, 1); err == nil {
			t.Errorf("WriteXLSX(%d lines) gave no error", n)
		}
		if err := WriteCSV(&buf, n, 1); err == nil {
			t.Errorf("WriteCSV(%d lines) gave no error", n)
		}
	}
}

func TestDecimal(t *testing.T) {
	tests := []struct {
		v      int64
		places int
		want   string
	}{
		{1250, 2, "12.5"}, {300, 2, "3"}, {125, 5, "0.00125"}, {0, 2, "0"}, {-15, 1, "-1.5"}, {7, 0, "7"},
	}
	for _, tc := range tests {
		if got := decimal(tc.v, tc.places); got != tc.want {
			t.Errorf("decimal(%d, %d) = %q, want %q", tc.v, tc.places, got, tc.want)
		}
	}
}
