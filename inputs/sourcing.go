// Sourcing sheet: each BOM line's sources, their shares, stages and costs (SPEC section 2).

package inputs

import (
	"strings"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
)

// readSourcing replaces the single source of BOM lines that have Sourcing
// rows with those rows, shares scaled to exactly 100.
func (r *reader) readSourcing() {
	t := r.open("Sourcing", false)
	if t == nil {
		return
	}
	defer t.close()
	type group struct {
		sources []exposure.Source
		total   decimal.Decimal
		sheet   string
		share   string // share_pct cell of the group's first row
		part    string // part_number cell of the group's first row
		product string
		bad     bool // a share is missing or bad: the total means nothing
	}
	groups := map[string]*group{}
	var order []string
	for t.next() {
		pn := t.text("part_number")
		if pn == "" {
			t.bad("part_number", ErrMissingValue, "part number is empty")
			continue
		}
		product := t.text("product")
		key := product + "\x00" + pn
		g := groups[key]
		if g == nil {
			g = &group{sheet: t.sheet, share: t.refOf("share_pct"), part: t.refOf("part_number"), product: product}
			groups[key] = g
			order = append(order, key)
		}
		// A bad share still lets the rest of the row be checked.
		share, ok := t.percent("share_pct")
		if !ok {
			if t.text("share_pct") == "" {
				t.bad("share_pct", ErrMissingValue, "share is empty")
			}
			g.bad = true
		} else if share.Sign() < 0 || share.GreaterThan(hundred) {
			t.bad("share_pct", ErrOutOfRange, "share %s%% is not between 0 and 100", share)
			g.bad = true
		}
		src := exposure.Source{Supplier: t.text("supplier"), Share: share,
			HRESeparation: t.country("hre_separation_country"), Origin: t.country("origin_country")}
		for s, name := range stageColumnNames {
			src.Countries[s] = t.country(name)
		}
		// Within the row only: an empty stage is unknown, not the BOM row's.
		defaultCountries(&src.Countries, &src.HRESeparation, &src.Origin)
		if cost, ok := t.amount("unit_cost"); ok {
			src.UnitCost = r.convert(t, "currency", cost, strings.ToUpper(t.text("currency")))
		} else {
			src.UnitCost = decimal.NewFromInt(-1) // take the BOM row's
		}
		g.sources = append(g.sources, src)
		g.total = g.total.Add(share)
	}
	r.readErr(t)
	byPart := map[string][]int{}
	for i, l := range r.bom.Lines {
		byPart[l.PartNumber] = append(byPart[l.PartNumber], i)
	}
	for _, key := range order {
		g := groups[key]
		pn := key[strings.IndexByte(key, 0)+1:]
		if g.bad {
			continue
		}
		if d := g.total.Sub(hundred).Abs(); d.GreaterThan(compositionSlack) {
			r.ps.errorIs(ErrOutOfRange, g.sheet, g.share, "shares of part %q add up to %s%%, not 100", pn, g.total)
			continue
		}
		// Scale the shares to add up to exactly 1: the last one takes
		// what the others leave.
		shares := make([]decimal.Decimal, len(g.sources))
		sum := decimal.Zero
		for j, s := range g.sources {
			if j == len(g.sources)-1 {
				shares[j] = decimal.NewFromInt(1).Sub(sum)
				break
			}
			shares[j] = s.Share.DivRound(g.total, 18)
			sum = sum.Add(shares[j])
		}
		matched := false
		for _, i := range byPart[pn] {
			l := &r.bom.Lines[i]
			if g.product != "" && l.Product != g.product {
				continue
			}
			matched = true
			bomCost := l.Sources[0].UnitCost
			srcs := make([]exposure.Source, len(g.sources))
			for j, s := range g.sources {
				s.Share = shares[j]
				if s.UnitCost.Sign() < 0 {
					s.UnitCost = bomCost
				}
				srcs[j] = s
			}
			l.Sources = srcs
		}
		if !matched {
			r.ps.warnf(g.sheet, g.part, "part %q has Sourcing rows but no BOM line: rows ignored", pn)
		}
	}
}

// splitRef splits a row reference such as "BOM!12" into its sheet and
// row, for problems.
func splitRef(ref string) (sheet, cell string) {
	if i := strings.LastIndexByte(ref, '!'); i >= 0 {
		return ref[:i], ref[i+1:]
	}
	return "", ref
}
