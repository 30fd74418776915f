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
	groups := map[string]*sourceGroup{}
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
			g = &sourceGroup{part: pn, sheet: t.sheet, share: t.refOf("share_pct"), partRef: t.refOf("part_number"), product: product}
			groups[key] = g
			order = append(order, key)
		}
		r.readSource(t, g)
	}
	r.readErr(t)
	byPart := map[string][]int{}
	for i, l := range r.bom.Lines {
		byPart[l.PartNumber] = append(byPart[l.PartNumber], i)
	}
	for _, key := range order {
		r.applySources(groups[key], byPart[groups[key].part])
	}
}

// sourceGroup is the Sourcing rows of one part (of one product, or of
// every product when the rows name none).
type sourceGroup struct {
	part    string
	sources []exposure.Source
	total   decimal.Decimal
	sheet   string
	share   string // share_pct cell of the group's first row
	partRef string // part_number cell of the group's first row
	product string
	bad     bool // a share is missing or bad: the total means nothing
}

// readSource reads the current Sourcing row into g. A bad share still
// lets the rest of the row be checked.
func (r *reader) readSource(t *table, g *sourceGroup) {
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
		HRESeparation: exposure.CountryOf(t.country("hre_separation_country")), Origin: exposure.CountryOf(t.country("origin_country"))}
	for s, name := range stageColumnNames {
		src.Countries[s] = exposure.CountryOf(t.country(name))
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

// applySources gives the BOM lines at indexes (those of g's part) g's
// sources, once its shares add up to 100 within the slack; a group with
// no BOM line is warned of.
func (r *reader) applySources(g *sourceGroup, indexes []int) {
	if g.bad {
		return
	}
	if d := g.total.Sub(hundred).Abs(); d.GreaterThan(compositionSlack) {
		r.ps.errorIs(ErrOutOfRange, g.sheet, g.share, "shares of part %q add up to %s%%, not 100", g.part, g.total)
		return
	}
	shares := g.scaledShares()
	matched := false
	for _, i := range indexes {
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
		r.ps.warnf(g.sheet, g.partRef, "part %q has Sourcing rows but no BOM line: rows ignored", g.part)
	}
}

// scaledShares scales the group's shares to add up to exactly 1: the
// last one takes what the others leave.
func (g *sourceGroup) scaledShares() []decimal.Decimal {
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
	return shares
}
