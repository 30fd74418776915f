package reports

import (
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
)

// widthValues are decimals around the rounding edges of every kind's
// places, short and long coefficients, both signs.
func widthValues() []decimal.Decimal {
	var vals []decimal.Decimal
	for _, s := range []string{
		"0", "1", "-1", "0.5", "-0.5", "0.05", "-0.05", "0.0004", "-0.0004", "0.00049", "-0.0005", "0.995", "9.995", "99.95", "999.5",
		"-999.5", "1234.5678", "0.0449999", "12.3456", "12.34565", "0.00005", "-0.00015", "999999.9999995", "0.1000", "0.10005", "3.0001",
		"12345678901234567", "123456789012345678", "1234567890123456789", "-98765432109876543210.123456789", "0.1234567890123456789012345",
		"1e20", "-3e18", "1e-30", "0.9999995", "-0.9999995", "0.3333333333333333333333333333",
	} {
		vals = append(vals, decimal.RequireFromString(s))
	}
	vals = append(vals, randomDecimals(5, 6)...)
	return vals
}

// TestQuickShownWidth: the widths and styles the book gives number cells
// from rounded int64 coefficients are shownWidth's and styleFor's.
func TestQuickShownWidth(t *testing.T) {
	s := &styles{qtyFrac: 99}
	for k := range kMoneyWhole + 1 {
		s.byKind[k], s.boldKind[k] = int(k)+1, int(k)+20
	}
	for _, v := range widthValues() {
		for k := range kMoneyWhole + 1 {
			if got, want := quickShownWidth(v, k), shownWidth(v, k); got != want {
				t.Fatalf("quickShownWidth(%s, %d) = %d, want %d", v, k, got, want)
			}
			for _, bold := range []bool{false, true} {
				if got, want := s.quickBoldStyleFor(k, v, bold), s.styleFor(k, v, bold); got != want {
					t.Fatalf("quickBoldStyleFor(%d, %s, %v) = %d, want %d", k, v, bold, got, want)
				}
			}
		}
	}
}

// TestWrapLinesFields: counting wrapped lines over strings.FieldsSeq
// gives what strings.Fields gave, on texts with every kind of space.
func TestWrapLinesFields(t *testing.T) {
	old := func(s string, avail int) int {
		lines, cur := 1, 0
		for _, word := range strings.Fields(s) {
			n := utf8.RuneCountInString(word)
			switch {
			case cur == 0:
				cur = n
			case cur+1+n <= avail:
				cur += 1 + n
			default:
				lines++
				cur = n
			}
			for cur > avail {
				lines++
				cur -= avail
			}
		}
		return lines
	}
	pieces := []string{"a", "word", "longerword", "émigré", "中文字", " ", "  ", "\t", "\n", "\u00a0", "\u2003", "\u0085", "\xff", "Ningbo Magnet Co. (CN)", "x"}
	rng := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for n := rng.IntN(40); n > 0; n-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s, avail := b.String(), 1+rng.IntN(30)
		if got, want := wrapLines(s, avail), old(s, avail); got != want {
			t.Fatalf("wrapLines(%q, %d) = %d, want %d", s, avail, got, want)
		}
	}
}

// TestRoundedGreater: comparing rounded int64 coefficients agrees with
// decimal's Round and GreaterThan.
func TestRoundedGreater(t *testing.T) {
	vals := widthValues()[:4000]
	for i, a := range vals {
		for _, b := range []decimal.Decimal{vals[(i*7+3)%len(vals)], a.Add(decimal.New(1, -5)), a.Neg(), {}} {
			if got, want := roundedGreater(a, b, 4), a.Round(4).GreaterThan(b.Round(4)); got != want {
				t.Fatalf("roundedGreater(%s, %s) = %v, want %v", a, b, got, want)
			}
		}
	}
}

// TestStageShares: the short lists give each stage the countries, and
// each country the sum and form of its shares, that a map of maps gave.
func TestStageShares(t *testing.T) {
	countries := []string{"", "CN", "AU", "MY", "EE", "JP"}
	rng := rand.New(rand.NewPCG(9, 10))
	for i := 0; i < 2000; i++ {
		lp := &exposure.LinePlan{Heavy: rng.IntN(2) == 0}
		for n := rng.IntN(7); n > 0; n-- {
			var c exposure.Candidate
			for g := range c.Countries {
				c.Countries[g] = countries[rng.IntN(len(countries))]
			}
			c.HRESeparation = countries[rng.IntN(len(countries))]
			c.Share = decimal.New(rng.Int64N(2000)-200, -int32(rng.IntN(6)))
			c.CurrentShare = decimal.New(rng.Int64N(2000)-200, -int32(rng.IntN(6)))
			lp.Candidates = append(lp.Candidates, c)
		}
		for _, current := range []bool{false, true} {
			want := map[exposure.Stage]map[string]decimal.Decimal{}
			for _, g := range capStageOrder {
				if g == exposure.StageHRESeparation && !lp.Heavy {
					continue
				}
				by := map[string]decimal.Decimal{}
				for _, c := range lp.Candidates {
					sh := c.Share
					if current {
						sh = c.CurrentShare
					}
					if cc := stageCountry(c, g); cc != "" && sh.Sign() > 0 {
						by[cc] = by[cc].Add(sh)
					}
				}
				want[g] = by
			}
			got := stageShares(lp, current)
			for _, g := range capStageOrder {
				if len(got[g]) != len(want[g]) {
					t.Fatalf("stage %d: %d countries, want %d", g, len(got[g]), len(want[g]))
				}
				for c, w := range want[g] {
					if s := got.of(g, c); s.String() != w.String() || s.Exponent() != w.Exponent() {
						t.Fatalf("stage %d %s: %s (exp %d), want %s (exp %d)", g, c, s, s.Exponent(), w, w.Exponent())
					}
				}
				cs := got.sortedCountries(g)
				if !sort.StringsAreSorted(cs) || len(cs) != len(want[g]) {
					t.Fatalf("stage %d: countries %v", g, cs)
				}
			}
		}
	}
}

// TestDecQuick: the JSON's decimals printed from rounded int64
// coefficients are decimal's Round and String.
func TestDecQuick(t *testing.T) {
	for _, v := range append(widthValues(), decimal.Decimal{}, decimal.New(-1, -7), decimal.New(5, -7), decimal.New(-5, -7), decimal.New(12, 3)) {
		if got, want := dec(v), v.Round(jsonPlaces).String(); got != want {
			t.Fatalf("dec(%s) = %q, want %q", v, got, want)
		}
	}
}

// TestPlanOrder: sorting on coefficients scaled to one exponent gives the
// order decimal's comparisons gave, ties and equal values of different
// exponents included.
func TestPlanOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, n := range []int{0, 1, 7, 300, maxPlanRows + 50} {
		p := &exposure.Plan{}
		for i := 0; i < n; i++ {
			c := rng.Int64N(40) - 20
			e := int32(rng.IntN(8) - 6)
			if rng.IntN(5) == 0 {
				c, e = c*1000, e-3 // the same value, another exponent
			}
			p.Lines = append(p.Lines, exposure.LinePlan{Index: rng.IntN(n * 2), ExpectedSaving: decimal.New(c, e)})
		}
		want := make([]*exposure.LinePlan, len(p.Lines))
		for i := range p.Lines {
			want[i] = &p.Lines[i]
		}
		sort.SliceStable(want, func(i, j int) bool {
			a, b := want[i].ExpectedSaving, want[j].ExpectedSaving
			if !a.Equal(b) {
				return a.GreaterThan(b)
			}
			return want[i].Index < want[j].Index
		})
		if len(want) > maxPlanRows {
			want = want[:maxPlanRows]
		}
		got := planOrder(p)
		if len(got) != len(want) {
			t.Fatalf("n=%d: %d lines, want %d", n, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("n=%d: line %d is %v, want %v", n, i, got[i].ExpectedSaving, want[i].ExpectedSaving)
			}
		}
	}
}
