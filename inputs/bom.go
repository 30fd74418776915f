package inputs

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
)

var (
	whole    = decimal.NewFromInt(1) // a single source's share; decimals are immutable, so lines share it
	hundred  = decimal.NewFromInt(100)
	thousand = decimal.NewFromInt(1000)
	// compositionSlack absorbs rounding in compositions that add up to
	// 100 in print (e.g. 99.98 + rounding of 0.03).
	compositionSlack = decimal.RequireFromString("0.01")
)

// pendingLine is what the BOM reader keeps of a line until the tree is
// resolved.
type pendingLine struct {
	sheet    string // the BOM sheet's name, for problems
	parent   string // parent part number, as written
	level    int    // 0 when the BOM uses parent
	currency string
	rowRef   string // "BOM!12"
	row      int    // sheet row, and column of the parent/level cell (-1: none),
	col      int    // turned into a cell name only for a message
}

// parentAt names the parent or level cell of the line, or its row.
func (p pendingLine) parentAt() string {
	if p.col < 0 {
		return strconv.Itoa(p.row)
	}
	return cellName(p.col, p.row)
}

// readProducts reads the Products sheet.
func (r *reader) readProducts() {
	t := r.open("Products", false)
	if t == nil {
		return
	}
	defer t.close()
	seen := map[string]string{}
	for t.next() {
		id := t.text("product")
		if id == "" {
			t.bad("product", "product id is empty")
			continue
		}
		if first, dup := seen[id]; dup {
			t.bad("product", "product %q already defined at %s", id, first)
			continue
		}
		seen[id] = t.refOf("product")
		vol, ok := t.amount("annual_volume")
		if !ok && t.text("annual_volume") == "" {
			t.bad("annual_volume", "annual volume is empty")
		}
		r.bom.Products = append(r.bom.Products, exposure.Product{ID: id, Name: t.text("name"), AnnualVolume: vol})
	}
	r.readErr(t)
}

// readBOM reads the BOM sheet into lines, then resolves the tree.
func (r *reader) readBOM() {
	t := r.open("BOM", true)
	if t == nil {
		return
	}
	defer t.close()
	byLevel := t.has("level") && !t.has("parent")
	if !t.has("parent") && !t.has("level") {
		r.ps.warnf(t.sheet, fmt.Sprint(t.headerRow), "no parent or level column: every line is taken as top level")
	}
	products := map[string]bool{}
	for _, p := range r.bom.Products {
		products[p.ID] = true
	}
	single := ""
	if len(r.bom.Products) == 1 {
		single = r.bom.Products[0].ID
	}
	if !t.has("product") && single == "" && len(r.bom.Products) > 1 {
		r.ps.errorf(t.sheet, fmt.Sprint(t.headerRow), "no product column, but Products has %d rows: say which product each line belongs to", len(r.bom.Products))
		return
	}
	var pend []pendingLine
	for t.next() {
		if r.ps.full() {
			r.ps.truncated = true // hopeless: stop reading, say so
			break
		}
		l, p, ok := r.bomLine(t, single, products)
		if !ok {
			continue
		}
		r.bom.Lines = append(r.bom.Lines, l)
		pend = append(pend, p)
		if r.opts.Progress != nil && len(r.bom.Lines)%ProgressEvery == 0 {
			r.opts.Progress(len(r.bom.Lines))
		}
	}
	r.readErr(t)
	if byLevel {
		r.resolveLevels(pend)
	} else {
		r.resolveParents(pend)
	}
	r.checkCycles(pend)
	r.warnNestedContent()
}

// bomLine reads the current BOM row.
func (r *reader) bomLine(t *table, single string, products map[string]bool) (exposure.Line, pendingLine, bool) {
	ref := t.rowRef()
	l := exposure.Line{Parent: -1, Ref: ref}
	p := pendingLine{sheet: t.sheet, rowRef: ref, row: t.row.Num, col: -1}
	l.Product = t.text("product")
	if l.Product == "" {
		l.Product = single
	}
	if l.Product == "" {
		t.bad("product", "product is empty")
		return l, p, false
	}
	if !products[l.Product] {
		if r.csvOnly {
			r.addProduct(l.Product)
			products[l.Product] = true
		} else {
			t.bad("product", "product %q is not on the Products sheet", l.Product)
			return l, p, false
		}
	}
	l.PartNumber = t.text("part_number")
	if l.PartNumber == "" {
		t.bad("part_number", "part number is empty")
		return l, p, false
	}
	l.Description = r.cut(t, "description")
	l.UOM = t.text("uom")
	l.HSCode = t.text("hs_code")
	if q, ok := t.amount("qty_per"); ok {
		l.QtyPer = q
	} else if t.text("qty_per") == "" {
		t.bad("qty_per", "quantity is empty")
	}
	if t.has("level") && !t.has("parent") {
		p.row, p.col = t.row.Num, t.colOf("level")
		lv := strings.Trim(t.text("level"), ". ")
		n, err := strconv.Atoi(lv)
		if err != nil || n < 0 {
			t.bad("level", "level %q is not a BOM level such as 1, .2 or ..3", t.text("level"))
			return l, p, false
		}
		p.level = n
	} else {
		p.parent = t.text("parent")
		p.row, p.col = t.row.Num, t.colOf("parent")
	}
	cost, _ := t.amount("unit_cost")
	p.currency = strings.ToUpper(t.text("currency"))
	l.Sources = []exposure.Source{{
		Supplier: t.text("supplier"),
		Share:    whole,
		UnitCost: r.convert(t, "currency", cost, p.currency),
	}}
	for g, name := range stageColumnNames {
		l.Sources[0].Countries[g] = t.country(name)
	}
	l.Material = r.material(t)
	l.Content = r.content(t, l.Material)
	return l, p, true
}

// stageColumnNames are the stage-country columns in exposure.Stage order.
var stageColumnNames = [exposure.NumStages]string{"mine_country", "refine_country", "metal_country", "component_country"}

// material returns the row's material code, checked against the table.
func (r *reader) material(t *table) string {
	code := t.text("material")
	if code == "" {
		return ""
	}
	if m, ok := r.materialByKey[NormalizeKey(code)]; ok {
		return m
	}
	t.bad("material", "unknown material %q%s", code, r.suggestMaterial(code))
	return ""
}

// content computes each element's mass per unit of the part: grams
// columns win, else re_mass × wt% with wt% from the row or the material.
func (r *reader) content(t *table, material string) []exposure.ElementMass {
	if material == "" && !t.anyFilled(t.elemPct) && !t.anyFilled(t.elemGrams) && t.text("re_mass_kg") == "" && t.text("re_mass_g") == "" {
		return nil // most lines hold no rare earths: skip the work below
	}
	comp := map[string]decimal.Decimal{}
	if mat, ok := r.materials[material]; ok {
		for e, pct := range mat.WtPct {
			comp[e] = pct
		}
	}
	overridden := false
	for _, sym := range sortedKeys(t.elemPct) {
		i := t.elemPct[sym]
		if pct, ok := t.percentAt(i); ok {
			if pct.Sign() < 0 || pct.GreaterThan(hundred) {
				t.cellErr(i, fmt.Errorf("%w: wt%% must be between 0 and 100", ErrOutOfRange))
				continue
			}
			comp[sym] = pct
			overridden = true
		}
	}
	total := decimal.Zero
	for _, pct := range comp {
		total = total.Add(pct)
	}
	if total.GreaterThan(hundred.Add(compositionSlack)) {
		r.ps.errorf(t.sheet, fmt.Sprint(t.row.Num), "composition adds up to %s wt%%, more than 100", total.String())
	}
	mass, hasMass := t.amount("re_mass_kg")
	if g, ok := t.amount("re_mass_g"); ok {
		if hasMass {
			t.bad("re_mass_g", "give re_mass_kg or re_mass_g, not both")
		}
		mass, hasMass = g.Div(thousand), true
	}
	var out []exposure.ElementMass
	grams := map[string]bool{}
	for _, sym := range sortedKeys(t.elemGrams) {
		if g, ok := t.amountAt(t.elemGrams[sym], true); ok {
			grams[sym] = true
			out = append(out, exposure.ElementMass{Element: sym, Kg: g.Div(thousand)})
		}
	}
	if hasMass {
		if len(comp) == 0 && len(grams) == 0 {
			t.ps.warnf(t.sheet, t.refOf("re_mass_kg"), "rare-earth mass given but no material or wt%% columns: the line carries no element content")
		}
		for _, sym := range sortedKeys(comp) {
			if grams[sym] || comp[sym].IsZero() || !r.counts(sym) {
				continue
			}
			out = append(out, exposure.ElementMass{Element: sym, Kg: mass.Mul(comp[sym]).Div(hundred)})
		}
	} else if (material != "" || overridden) && len(grams) == 0 {
		t.ps.warnf(t.sheet, t.refOf("material"), "material or wt%% given but no re_mass_kg: the line carries no element content")
	}
	return r.keepCounted(out)
}

// keepCounted drops elements that no price and no Controls row can touch
// (iron, boron), so they do not clutter the report.
func (r *reader) keepCounted(in []exposure.ElementMass) []exposure.ElementMass {
	out := in[:0]
	for _, m := range in {
		if r.counts(m.Element) && m.Kg.Sign() > 0 {
			out = append(out, m)
		}
	}
	return out
}

// counts reports whether an element matters to the cost model: a rare
// earth, an element with a price, or one a Controls row names.
func (r *reader) counts(sym string) bool {
	if IsRareEarth(sym) || r.named[sym] {
		return true
	}
	_, ok := r.prices[sym]
	return ok
}

// cut returns a text cell, cut to what a workbook cell holds, with a
// warning naming the cell.
func (r *reader) cut(t *table, name string) string {
	s := t.text(name)
	const maxCell = 32767
	if len([]rune(s)) > maxCell {
		r.ps.warnf(t.sheet, t.refOf(name), "text longer than %d characters is cut in the report", maxCell)
		return string([]rune(s)[:maxCell])
	}
	return s
}

// resolveParents links lines to their parents by part number within the
// product. A parent equal to the product id or empty means top level.
func (r *reader) resolveParents(pend []pendingLine) {
	type key struct{ product, part string }
	first := make(map[key]int, len(r.bom.Lines))
	dups := map[key]int{}
	for i := range r.bom.Lines {
		l := &r.bom.Lines[i]
		k := key{l.Product, l.PartNumber}
		if _, ok := first[k]; ok {
			dups[k] = i
		} else {
			first[k] = i
		}
	}
	var inProduct map[string]int // part number → a line of any product; built for the first missing parent
	for i := range r.bom.Lines {
		l := &r.bom.Lines[i]
		par := pend[i].parent
		if par == "" || par == l.Product {
			continue
		}
		k := key{l.Product, par}
		j, ok := first[k]
		if !ok {
			if inProduct == nil {
				inProduct = map[string]int{}
				for i := len(r.bom.Lines) - 1; i >= 0; i-- {
					inProduct[r.bom.Lines[i].PartNumber] = i
				}
			}
			if o, other := inProduct[par]; other {
				r.ps.errorf(pend[i].sheet, pend[i].parentAt(), "%s: parent %q is in product %q (%s), not in %q", pend[i].rowRef, par, r.bom.Lines[o].Product, pend[o].rowRef, l.Product)
			} else {
				r.ps.errorf(pend[i].sheet, pend[i].parentAt(), "%s: parent %q is not a part number of product %q", pend[i].rowRef, par, l.Product)
			}
			continue
		}
		if d, dup := dups[k]; dup {
			r.ps.errorf(pend[i].sheet, pend[i].parentAt(), "%s: parent %q is ambiguous: it appears at %s and %s", pend[i].rowRef, par, pend[j].rowRef, pend[d].rowRef)
			continue
		}
		l.Parent = j
	}
}

// resolveLevels links lines by SAP-style levels: a row's parent is the
// nearest row above it one level up, within the same product.
func (r *reader) resolveLevels(pend []pendingLine) {
	var stack []int // line indexes, stack[k] at level top+k
	top, product := 0, ""
	for i := range r.bom.Lines {
		l := &r.bom.Lines[i]
		lv := pend[i].level
		if i == 0 || l.Product != product {
			product, top, stack = l.Product, lv, stack[:0]
		}
		depth := lv - top
		switch {
		case depth < 0:
			r.ps.errorf(pend[i].sheet, pend[i].parentAt(), "%s: level %d is above the product's top level %d", pend[i].rowRef, lv, top)
			continue
		case depth > len(stack):
			r.ps.errorf(pend[i].sheet, pend[i].parentAt(), "%s: level %d has no row at level %d above it", pend[i].rowRef, lv, lv-1)
			continue
		}
		stack = stack[:depth]
		if depth > 0 {
			l.Parent = stack[depth-1]
		}
		stack = append(stack, i)
	}
}

// checkCycles reports every line that is its own ancestor, naming it and
// its parent.
func (r *reader) checkCycles(pend []pendingLine) {
	lines := r.bom.Lines
	state := make([]uint8, len(lines)) // 0 unseen, 1 on path, 2 done
	var path []int
	for i := range lines {
		path = path[:0]
		j := i
		for j >= 0 && state[j] == 0 {
			state[j] = 1
			path = append(path, j)
			j = lines[j].Parent
		}
		if j >= 0 && state[j] == 1 {
			// j is on the current path: a cycle through j.
			p := lines[j].Parent
			r.ps.errorf(pend[j].sheet, pend[j].parentAt(), "%s: the BOM is not a tree: part %q is its own ancestor (its parent %q is at %s)",
				pend[j].rowRef, lines[j].PartNumber, lines[p].PartNumber, pend[p].rowRef)
			for _, k := range path {
				lines[k].Parent = -1 // break the cycle so later steps terminate
			}
		}
		for _, k := range path {
			state[k] = 2
		}
	}
}

// warnNestedContent warns about an assembly that carries rare-earth
// content while a descendant does too: both count, which may be meant
// (a magnet bought inside a motor and a spare) or double counting.
func (r *reader) warnNestedContent() {
	lines := r.bom.Lines
	warned := map[int]bool{}
	for i := range lines {
		if len(lines[i].Content) == 0 {
			continue
		}
		for a := lines[i].Parent; a >= 0; a = lines[a].Parent {
			if len(lines[a].Content) > 0 && !warned[a] {
				warned[a] = true
				sheet, row := splitRef(lines[a].Ref)
				r.ps.warnf(sheet, row, "assembly %q carries rare-earth content and so does its part %q (%s): both count",
					lines[a].PartNumber, lines[i].PartNumber, lines[i].Ref)
			}
		}
	}
}

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
			t.bad("part_number", "part number is empty")
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
				t.bad("share_pct", "share is empty")
			}
			g.bad = true
		} else if share.Sign() < 0 || share.GreaterThan(hundred) {
			t.bad("share_pct", "share %s%% is not between 0 and 100", share)
			g.bad = true
		}
		src := exposure.Source{Supplier: t.text("supplier"), Share: share}
		for s, name := range stageColumnNames {
			src.Countries[s] = t.country(name)
		}
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
			r.ps.errorf(g.sheet, g.share, "shares of part %q add up to %s%%, not 100", pn, g.total)
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
