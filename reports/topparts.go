package reports

import (
	"sort"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
)

// topParts is how many parts the Summary lists.
const topParts = 10

// partKey names a part in a product. Its strings are the BOM line's, so a
// key costs no copy.
type partKey struct{ product, part string }

// partRank is what the writing pass keeps per part: enough to rank it.
// The float is for ranking only; the figures shown are summed exactly
// from the lines in a last pass over the top parts alone.
type partRank struct {
	expected float64
	first    int // row of the part's first line, to break ties in BOM order
}

// partAgg sums the lines of one of the most exposed parts.
type partAgg struct {
	key           partKey
	desc, uom     string
	qty, expected decimal.Decimal
	perScen       []decimal.Decimal // annual delta per scenario
	seen          bool
}

// topParts finds the most exposed parts from the ranks gathered while
// streaming, then sums their lines exactly in a pass that computes only
// their rows.
func (rep *report) topParts(sc *partsScan, ranks *partRanks, parts partsFunc) error {
	// The most exposed parts: largest expected annual delta first, parts
	// whose cost does not move left out, ties in BOM order.
	type cand struct {
		key partKey
		partRank
	}
	var top []cand
	ranks.each(func(k partKey, rk partRank) {
		if rk.expected == 0 {
			return
		}
		c := cand{k, rk}
		i := sort.Search(len(top), func(i int) bool {
			return top[i].expected < c.expected || (top[i].expected == c.expected && top[i].first > c.first)
		})
		if i >= topParts {
			return
		}
		top = append(top, cand{})
		copy(top[i+1:], top[i:])
		top[i] = c
		if len(top) > topParts {
			top = top[:topParts]
		}
	})
	sc.byKey = map[partKey]*partAgg{}
	for _, c := range top {
		a := &partAgg{key: c.key, perScen: make([]decimal.Decimal, sc.nScen)}
		sc.top = append(sc.top, a)
		sc.byKey[c.key] = a
	}
	if len(sc.top) == 0 {
		return nil
	}
	keep := func(l *exposure.Line) bool { return l != nil && sc.byKey[partKey{l.Product, l.PartNumber}] != nil }
	err := parts(exposure.PartOptions{Keep: keep, NoSplit: true, NoUnit: true, NoClasses: true}, func(pr exposure.PartRow) error {
		l := pr.Line
		a := sc.byKey[partKey{l.Product, l.PartNumber}]
		if !a.seen {
			a.desc, a.uom, a.seen = l.Description, l.UOM, true
		}
		a.qty = a.qty.Add(pr.AnnualQty)
		a.expected = a.expected.Add(expectedOf(rep.r, &pr))
		for s := 0; s < sc.nScen && s < len(pr.Deltas); s++ {
			a.perScen[s] = a.perScen[s].Add(pr.Deltas[s].AnnualDelta)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// The exact sums may reorder parts the floats ranked nearly equal.
	sort.SliceStable(sc.top, func(i, j int) bool { return sc.top[i].expected.GreaterThan(sc.top[j].expected) })
	return nil
}
