package inputs

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
)

// TestSharedMeasuresAsReadAlone: lines that repeat quantities, masses
// and materials, and so share decimals and contents (measures.go), hold
// bit for bit what each row gives read alone, where nothing is shared:
// with and without a row's own wt% or grams, masses as numbers and as
// text, zero masses.
func TestSharedMeasuresAsReadAlone(t *testing.T) {
	head := []any{"product", "part_number", "qty_per", "material", "re_mass_kg", "re_mass_g", "Nd", "unit_cost"}
	qtys := []any{1, 2.5, "2.5", 0.125, 300, "0.125"}
	materials := []any{"NDFEB_N42", "SMCO5", "NDFEB_38UH_BULK", nil}
	masses := []any{0.01, "0.010", 0.00298, "0.00298", 0, 1.5}
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(xs []any) any { return xs[rng.IntN(len(xs))] }
	var rows [][]any
	for i := range 300 {
		row := []any{"P1", fmt.Sprintf("X%03d", i), pick(qtys), pick(materials), nil, nil, nil, 1}
		switch k := rng.IntN(10); {
		case k < 7:
			row[4] = pick(masses)
		case k < 8:
			row[5] = pick(masses) // grams
		case k < 9:
			row[4], row[6] = pick(masses), 20 // the row's own wt% of Nd
		}
		if row[3] == nil && row[6] == nil {
			row[4] = nil // a mass without a composition is warned about, not what this tests
		}
		rows = append(rows, row)
	}
	all := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": append([][]any{head}, rows...)}, Options{})
	for i, row := range rows {
		alone := mustRead(t, map[string][][]any{"Products": oneProduct(), "BOM": {head, row}}, Options{})
		got, want := all.Input.BOM.Lines[i], alone.Input.BOM.Lines[0]
		what := fmt.Sprintf("row %d %v", i+2, row)
		sameDecimal(t, what+" qty", got.QtyPer, want.QtyPer)
		sameDecimal(t, what+" mass", got.MaterialKg, want.MaterialKg)
		if len(got.Content) != len(want.Content) {
			t.Fatalf("%s: content %v, want %v", what, got.Content, want.Content)
		}
		for j := range got.Content {
			if got.Content[j].Element != want.Content[j].Element {
				t.Fatalf("%s: content %v, want %v", what, got.Content, want.Content)
			}
			sameDecimal(t, what+" "+got.Content[j].Element, got.Content[j].Kg, want.Content[j].Kg)
		}
	}
	shared, n := map[*exposure.ElementMass]bool{}, 0
	for _, l := range all.Input.BOM.Lines {
		if len(l.Content) > 0 {
			shared[&l.Content[0]] = true
			n++
		}
	}
	if len(shared) == 0 || len(shared) == n {
		t.Errorf("%d distinct contents among %d lines with content: nothing shared, or nothing to compare", len(shared), n)
	}
}

// sameDecimal fails unless got and want are the same value at the same
// exponent, as the report would print them.
func sameDecimal(t *testing.T, what string, got, want decimal.Decimal) {
	t.Helper()
	if got.Exponent() != want.Exponent() || got.Cmp(want) != 0 {
		t.Fatalf("%s: %s (exp %d), want %s (exp %d)", what, got, got.Exponent(), want, want.Exponent())
	}
}

// TestCompact: compact, and mulShift against Mul and Shift, keep a
// decimal's value and exponent, whatever the size of its coefficient.
func TestCompact(t *testing.T) {
	for _, s := range []string{"0", "0.000", "1", "-1", "0.00298", "12.5", "9223372036854775807", "-9223372036854775808",
		"9223372036854775808", "123456789012345678901234567890.5", "-0.0000000000000000001"} {
		d := decimal.RequireFromString(s)
		for _, f := range []string{"1", "0.3", "-7.25", "999999999999999999", "-0.000000000000000001", "3037000500"} {
			p := d.Mul(decimal.RequireFromString(f)).Shift(-2)
			sameDecimal(t, s+"×"+f, compact(p), p)
			sameDecimal(t, s+"×"+f+" mulShift", mulShift(d, decimal.RequireFromString(f), -2), p)
			if compact(p).String() != p.String() {
				t.Errorf("%s×%s: %s, want %s", s, f, compact(p), p)
			}
		}
	}
}
