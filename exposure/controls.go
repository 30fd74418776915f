package exposure

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// controlMatches reports whether row c covers element e.
func (m *model) controlCovers(c *Control, e string) bool {
	if c.AllElements {
		_, priced := m.in.Prices[e]
		return priced
	}
	for _, x := range c.Elements {
		if x == e {
			return true
		}
	}
	return false
}

// controlRank orders rows by specificity: more hs_prefix digits first,
// then fewer elements, then a named class. Lower is more specific.
func controlRank(c *Control) [3]int {
	n := len(c.Elements)
	if c.AllElements {
		n = allElementsCount
	}
	cls := 0
	if c.Class == AnyClass {
		cls = 1
	}
	return [3]int{-len(digitsOnly(c.HSPrefix)), n, cls}
}

// hsMatches reports whether a rule's HS prefix (digits) reaches a line
// whose canonical HS code is hs: a line without a code meets only rules
// without a prefix.
func hsMatches(prefix, hs string) bool {
	return prefix == "" || (hs != "" && strings.HasPrefix(hs, prefix))
}

// priceOf returns the reference price of e for class k: China-origin for
// direct and upstream, ex-China (falling back to China) for free.
func (m *model) priceOf(e string, k Class) decimal.Decimal {
	p, ok := m.in.Prices[e]
	if !ok {
		return zero
	}
	if k == ClassFree && p.ExChina.Sign() > 0 {
		return p.ExChina
	}
	return p.China
}

// resolveControls prepares one scenario: its windows and the Tariffs
// rows; Controls are resolved per HS code on demand (controlTable).
func (m *model) resolveControls(sc *Scenario) (*scenarioTables, error) {
	st := &scenarioTables{sc: sc, spot: sc.SpotPremium.Value.Div(hundred), byHS: map[string]*controlTable{}}
	st.wins = make([]window, len(sc.Controls))
	for i := range sc.Controls {
		lo, hi := m.window(sc.Controls[i].From, sc.Controls[i].To)
		st.wins[i] = window{lo, hi}
	}
	for i := range sc.Tariffs {
		tr := &sc.Tariffs[i]
		lo, hi := m.window(tr.From, tr.To)
		st.tariffs = append(st.tariffs, resolvedTariff{t: tr, from: lo, to: hi, hsDigits: digitsOnly(tr.HSPrefix)})
	}
	return st, nil
}

// controlTable finds, for every BOM element, class and month of the
// horizon, the one Controls row of the scenario that applies to lines of
// canonical HS code hs: the most specific, as a whole (SPEC section 4).
func (m *model) controlTable(st *scenarioTables, hs string) (*controlTable, error) {
	if ct := st.byHS[hs]; ct != nil {
		return ct, nil
	}
	sc := st.sc
	H, E := m.horizon, len(m.elements)
	alloc := func() [][][NumClasses]decimal.Decimal {
		out := make([][][NumClasses]decimal.Decimal, H+1)
		for t := range out {
			out[t] = make([][NumClasses]decimal.Decimal, E)
		}
		return out
	}
	ct := &controlTable{priceMul: alloc(), avail: alloc(), delay: alloc(), rowOf: make([][][NumClasses]int32, H+1)}
	// The factors of a row for an element and class are the same in every
	// month it applies: made once, at (row·E + e)·NumClasses + k.
	type rowFactors struct {
		priceMul, avail decimal.Decimal
		made            bool
	}
	made := make([]rowFactors, len(sc.Controls)*E*int(NumClasses))
	reach := make([]bool, len(sc.Controls))
	for i := range sc.Controls {
		reach[i] = hsMatches(digitsOnly(sc.Controls[i].HSPrefix), hs)
	}
	for t := 1; t <= H; t++ {
		ct.rowOf[t] = make([][NumClasses]int32, E)
		for e, sym := range m.elements {
			for k := Class(0); k < NumClasses; k++ {
				best, tie := -1, -1
				var bestRank [3]int
				for i := range sc.Controls {
					c := &sc.Controls[i]
					if !reach[i] || t < st.wins[i].lo || t > st.wins[i].hi || (c.Class != AnyClass && c.Class != k) || !m.controlCovers(c, sym) {
						continue
					}
					r := controlRank(c)
					switch {
					case best < 0 || rankBelow(r, bestRank):
						best, bestRank, tie = i, r, -1
					case r == bestRank && tie < 0:
						tie = i
					}
				}
				if tie >= 0 {
					return nil, fmt.Errorf("%w: scenario %s: %s and %s both apply to %s, class %s, HS %s, month %s",
						ErrAmbiguousRule, sc.ID, sc.Controls[best].Ref, sc.Controls[tie].Ref, sym, k, hsName(hs), m.monthName(t))
				}
				ct.rowOf[t][e][k] = int32(best)
				if best < 0 {
					ct.avail[t][e][k] = one
					continue
				}
				c := &sc.Controls[best]
				rf := &made[(best*E+e)*int(NumClasses)+int(k)]
				if !rf.made {
					*rf = rowFactors{m.priceOf(sym, k).Mul(c.Uplift.Value).Div(hundred), c.Availability.Value.Div(hundred), true}
				}
				ct.priceMul[t][e][k] = rf.priceMul
				ct.avail[t][e][k] = rf.avail
				ct.delay[t][e][k] = c.Delay.Value
			}
		}
	}
	st.byHS[hs] = ct
	return ct, nil
}

// rankBelow reports whether rank a is more specific than b (lower sorts first).
func rankBelow(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// hsName describes a canonical HS code in a message.
func hsName(hs string) string {
	switch hs {
	case "":
		return "none"
	case noPrefix:
		return "(matched by no prefix)"
	}
	return hs + "…"
}

// monthName returns projection month t as YYYY-MM.
func (m *model) monthName(t int) string {
	s := m.in.Settings.Start
	idx := s.Year*12 + int(s.Month) - 1 + t - 1
	return fmt.Sprintf("%04d-%02d", idx/12, idx%12+1)
}

func digitsOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
