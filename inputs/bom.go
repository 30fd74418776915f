package inputs

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/schema"
)

var (
	whole   = decimal.NewFromInt(1) // a single source's share; decimals are immutable, so lines share it
	hundred = decimal.NewFromInt(100)
	// compositionSlack absorbs rounding in compositions that add up to
	// 100 in print (e.g. 99.98 + rounding of 0.03).
	compositionSlack = decimal.RequireFromString("0.01")
)

// pendingLine is what the BOM reader keeps of a line until the tree is
// resolved. It is kept small: a million-line BOM holds a million of them.
type pendingLine struct {
	parent string // parent part number, as written
	level  int32  // 0 when the BOM uses parent
	row    int32  // sheet row, and column of the parent/level cell (-1: none),
	col    int32  // turned into a cell name only for a message
}

// parentAt names the parent or level cell of the line, or its row.
func (p pendingLine) parentAt() string {
	if p.col < 0 {
		return strconv.Itoa(int(p.row))
	}
	return cellName(int(p.col), int(p.row))
}

// readProducts reads the Products sheet.
func (r *reader) readProducts() {
	if r.find("Products") == "" {
		// Said once the BOM is read, with the products it names; its
		// lines are not each an error for want of the sheet.
		r.noProducts = &missingProducts{}
		return
	}
	t := r.open("Products", false)
	if t == nil {
		// A header the reader could not use, already an error: the BOM's
		// products are not each another.
		r.noProducts = &missingProducts{reported: true}
		return
	}
	defer t.close()
	seen := map[string]string{}
	for t.next() {
		id := t.text("product")
		if id == "" {
			t.bad("product", ErrMissingValue, "product id is empty")
			continue
		}
		if first, dup := seen[id]; dup {
			t.bad("product", ErrDuplicate, "product %q already defined at %s", id, first)
			continue
		}
		seen[id] = t.refOf("product")
		vol, ok := t.amount("annual_volume")
		if !ok && t.text("annual_volume") == "" {
			t.bad("annual_volume", ErrMissingValue, "annual volume is empty")
		}
		// An empty import country stays "": the cost model takes the
		// Settings import_country for it.
		r.bom.Products = append(r.bom.Products, exposure.Product{ID: id, Name: t.text("name"), AnnualVolume: vol,
			ImportCountry: t.country("import_country")})
	}
	r.readErr(t)
}

// missingProducts is what the reader knows of a Products sheet it could
// not read: the products the BOM names, for the one error that says so.
type missingProducts struct {
	ids      []string // product ids of the BOM, in order met
	noColumn bool     // the BOM has no product column
	reported bool     // the sheet is there, its header already an error
}

// reportMissingProducts records the one error of a missing Products
// sheet, naming the rows it needs.
func (r *reader) reportMissingProducts() {
	mp := r.noProducts
	if mp == nil || mp.reported {
		return
	}
	rows := "a row for each product of the BOM"
	switch {
	case mp.noColumn && len(mp.ids) <= 1:
		rows = "one row, the BOM having no product column"
	case len(mp.ids) > 0:
		rows += ": " + quoteList(mp.ids)
	}
	what := "one"
	if r.book.CSV() {
		what = "a products.csv file"
	}
	r.ps.errorIs(ErrMissingSheet, "", "", "%s has no Products sheet (sheets found: %s): add %s with the columns product and annual_volume and %s",
		r.book.Name(), quoteList(r.book.Sheets()), what, rows)
}

// readBOM reads the BOM sheet into lines, then resolves the tree.
func (r *reader) readBOM() {
	t := r.open("BOM", true)
	if t == nil {
		return
	}
	defer t.close()
	r.bomSheet = t.sheet
	cols := newBOMColumns(t)
	if cols.parent < 0 && cols.level < 0 {
		r.ps.warnf(t.sheet, fmt.Sprint(t.headerRow), "no parent or level column: every line is taken as top level")
	}
	lr := &lineReader{r: r, t: t, cols: cols, products: map[string]bool{}, countries: map[string]string{}, materials: map[string]string{},
		keep: newTextKeeper(r.book), amounts: new(amountCache)}
	for _, p := range r.bom.Products {
		lr.products[p.ID] = true
	}
	if len(r.bom.Products) == 1 {
		lr.single = r.bom.Products[0].ID
	}
	if cols.product < 0 && lr.single == "" && len(r.bom.Products) > 1 {
		r.ps.errorIs(ErrMissingColumn, t.sheet, fmt.Sprint(t.headerRow), "no product column, but Products has %d rows: say which product each line belongs to", len(r.bom.Products))
		return
	}
	hint := t.rows.RowsHint()
	r.bom.Lines = make([]exposure.Line, 0, hint)
	pend := make([]pendingLine, 0, hint)
	for t.next() {
		if r.ps.hopeless() {
			r.ps.truncated = true // hopeless: stop reading, say so
			break
		}
		r.bom.Lines = append(r.bom.Lines, exposure.Line{})
		p, ok := lr.read(&r.bom.Lines[len(r.bom.Lines)-1])
		if !ok {
			r.bom.Lines = r.bom.Lines[:len(r.bom.Lines)-1]
			continue
		}
		pend = append(pend, p)
		if r.opts.Progress != nil && len(r.bom.Lines)%ProgressEvery == 0 {
			r.opts.Progress(len(r.bom.Lines))
		}
	}
	r.readErr(t)
	setRefs(r.bom.Lines, pend, r.bomSheet)
	if cols.byLevel {
		r.resolveLevels(pend)
	} else {
		r.resolveParents(pend)
	}
	r.checkCycles(pend)
	r.checkExploded(pend, cols.qtyPer)
	r.warnNestedContent()
}

// bomColumns are the BOM table's column indexes, -1 where the sheet lacks
// the column: looked up by name once per sheet, not once per cell.
type bomColumns struct {
	product, partNumber, description, uom, hsCode, qtyPer int
	level, parent, unitCost, currency, supplier, material int
	reMassKg, reMassG, hreSeparation, origin              int
	stages                                                [exposure.NumStages]int
	byLevel                                               bool            // a level column and no parent column
	pct, grams                                            []elementColumn // by symbol, for stable messages
}

// elementColumn is the column of one element's wt% or grams.
type elementColumn struct {
	sym string
	col int
}

func newBOMColumns(t *table) bomColumns {
	c := bomColumns{
		product: t.colOf("product"), partNumber: t.colOf("part_number"), description: t.colOf("description"),
		uom: t.colOf("uom"), hsCode: t.colOf("hs_code"), qtyPer: t.colOf("qty_per"),
		level: t.colOf("level"), parent: t.colOf("parent"), unitCost: t.colOf("unit_cost"),
		currency: t.colOf("currency"), supplier: t.colOf("supplier"), material: t.colOf("material"),
		reMassKg: t.colOf("re_mass_kg"), reMassG: t.colOf("re_mass_g"),
		hreSeparation: t.colOf("hre_separation_country"), origin: t.colOf("origin_country"),
	}
	for g, name := range stageColumnNames {
		c.stages[g] = t.colOf(name)
	}
	c.byLevel = c.level >= 0 && c.parent < 0
	for _, sym := range sortedKeys(t.elemPct) {
		c.pct = append(c.pct, elementColumn{sym, t.elemPct[sym]})
	}
	for _, sym := range sortedKeys(t.elemGrams) {
		c.grams = append(c.grams, elementColumn{sym, t.elemGrams[sym]})
	}
	return c
}

// lineReader turns BOM rows into lines. It remembers what rows repeat
// (countries, materials, products) and hands out the lines' short slices
// from shared blocks: on a million-line BOM, per-cell look-ups and
// per-line allocations are most of the reading time.
type lineReader struct {
	r         *reader
	t         *table
	cols      bomColumns
	single    string          // the product of every line when Products has one row
	products  map[string]bool // product ids known
	countries map[string]string
	materials map[string]string // cell text → material code, for known materials
	compOf    map[string]materialComposition
	sources   slab[exposure.Source]
	content   slab[exposure.ElementMass]
	scratch   []exposure.ElementMass
	overrides []elementPct // a row's wt% cells, reused from row to row
	merged    []elementPct
	keep      *textKeeper // linememory.go
	amounts   *amountCache
}

// read reads the current BOM row into l; ok is false when the row cannot
// become a line (the problem is recorded).
func (lr *lineReader) read(l *exposure.Line) (pendingLine, bool) {
	r, t, c := lr.r, lr.t, &lr.cols
	*l = exposure.Line{Parent: -1} // Ref is set once the sheet is read (setRefs)
	p := pendingLine{row: int32(t.row.Num), col: -1}
	l.Product = lr.keep.repeated(keptProduct, t.textAt(c.product))
	if l.Product == "" {
		l.Product = lr.single
	}
	if l.Product == "" && r.noProducts != nil && c.product < 0 {
		l.Product = t.sheet // as for a lone CSV file: one product
		r.noProducts.noColumn = true
	}
	if l.Product == "" {
		t.bad("product", ErrMissingValue, "product is empty")
		return p, false
	}
	if !lr.products[l.Product] {
		switch {
		case r.csvOnly:
			r.addProduct(l.Product)
			lr.products[l.Product] = true
		case r.noProducts != nil:
			lr.products[l.Product] = true
			r.noProducts.ids = append(r.noProducts.ids, l.Product)
		default:
			t.bad("product", ErrUnknownName, "product %q is not on the Products sheet", l.Product)
			return p, false
		}
	}
	l.PartNumber = lr.keep.unique(t.textAt(c.partNumber))
	if l.PartNumber == "" {
		t.bad("part_number", ErrMissingValue, "part number is empty")
		return p, false
	}
	l.Description = lr.keep.repeated(keptDescription, t.textAt(c.description)) // cut to what a cell holds by t.next
	l.UOM = lr.keep.repeated(keptUOM, t.textAt(c.uom))
	l.HSCode = lr.keep.once(t.textAt(c.hsCode))
	if q, ok := t.amountAt(c.qtyPer, true); ok {
		l.QtyPer = q
	} else if t.textAt(c.qtyPer) == "" {
		t.bad("qty_per", ErrMissingValue, "quantity is empty")
	}
	if c.byLevel {
		p.col = int32(c.level)
		lv := strings.Trim(t.textAt(c.level), ". ")
		n, err := strconv.Atoi(lv)
		if err != nil || n < 0 || n > 1<<30 {
			t.bad("level", ErrNotTree, "level %q is not a BOM level such as 1, .2 or ..3", t.textAt(c.level))
			return p, false
		}
		p.level = int32(n)
	} else {
		p.parent = t.textAt(c.parent)
		p.col = int32(c.parent)
	}
	srcs := lr.sources.take(1)
	src := &srcs[0]
	src.UnitCost = lr.cost(c.unitCost, strings.ToUpper(t.textAt(c.currency)))
	src.Supplier = lr.keep.repeated(keptSupplier, t.textAt(c.supplier))
	src.Share = whole
	for g, col := range c.stages {
		src.Countries[g] = lr.country(col)
	}
	src.HRESeparation, src.Origin = lr.country(c.hreSeparation), lr.country(c.origin)
	defaultCountries(&src.Countries, &src.HRESeparation, &src.Origin)
	l.Sources = srcs
	l.Material = lr.material()
	l.Content, l.MaterialKg = lr.lineContent(l.Material)
	return p, true
}

// defaultCountries fills a source's empty countries from the others of
// the same row (SPEC section 2): the origin from the component country
// and the other way round, the heavy rare earths' separation from the
// separation country. The other stages stay as given.
func defaultCountries(countries *[exposure.NumStages]string, hreSeparation, origin *string) {
	switch {
	case *origin == "":
		*origin = countries[exposure.StageComponent]
	case countries[exposure.StageComponent] == "":
		countries[exposure.StageComponent] = *origin
	}
	if *hreSeparation == "" {
		*hreSeparation = countries[exposure.StageSeparation]
	}
}

// country parses a stage-country cell, remembering the codes of texts
// already seen.
func (lr *lineReader) country(col int) string {
	text := lr.t.cellAt(col).Text
	if text == "" {
		return ""
	}
	if code, ok := lr.countries[text]; ok {
		return code
	}
	code := lr.t.countryAt(col)
	if code != "" {
		lr.countries[text] = code
	}
	return code
}

// stageColumnNames are the stage-country columns in exposure.Stage order.
var stageColumnNames = [exposure.NumStages]string{"mine_country", "refine_country", "metal_country", "component_country"}

// material returns the row's material code, remembering the codes of
// texts already seen.
func (lr *lineReader) material() string {
	code := lr.t.textAt(lr.cols.material)
	if code == "" {
		return ""
	}
	if m, ok := lr.materials[code]; ok {
		return m
	}
	m := lr.r.material(lr.t)
	if m != "" {
		lr.materials[code] = m
	}
	return m
}

// material returns the row's material code, checked against the table.
func (r *reader) material(t *table) string {
	code := t.text("material")
	if code == "" {
		return ""
	}
	if m, ok := r.materialByKey[schema.NormalizeKey(code)]; ok {
		return m
	}
	t.bad("material", ErrUnknownName, "unknown material %q%s", code, r.suggestMaterial(code))
	return ""
}

// materialComposition is a material's wt% by element in symbol order,
// worked out once per material rather than once per line.
type materialComposition struct {
	elems []elementPct
	// balance is the material's balance element, its largest element that
	// is not a rare earth (Fe in NdFeB, Co in SmCo): it gives way when a
	// row's wt% cells push the total past 100. "" when it has none.
	balance string
}

// total adds up the composition. It is asked of every line with content,
// so it adds whole millionths of a percent where it can (totalMillionths),
// a decimal sum (and its allocations) only where it must.
func (mc materialComposition) total() decimal.Decimal {
	if sum, ok := mc.totalMillionths(); ok {
		return decimal.New(sum, -6)
	}
	t := decimal.Zero
	for _, e := range mc.elems {
		t = t.Add(e.pct)
	}
	return t
}

// totalMillionths is the total in millionths of a percent; ok is false
// when a figure has more than six decimals (millionths).
func (mc materialComposition) totalMillionths() (sum int64, ok bool) {
	for _, e := range mc.elems {
		v, ok := millionths(e.pct)
		if !ok {
			return 0, false
		}
		sum += v
	}
	return sum, true
}

// over100 reports whether a composition adds up to more than exactly
// 100 wt%: whole millionths where it can, a decimal sum where it must.
func (mc materialComposition) over100() bool {
	if sum, ok := mc.totalMillionths(); ok {
		return sum > 100e6
	}
	return mc.total().GreaterThan(hundred)
}

// maxComposition is the most a composition may add up to: 100 and the
// rounding of compositionSlack.
var maxComposition = hundred.Add(compositionSlack)

// millionths returns d × 10⁶ when that is a whole number below 10⁹ in
// magnitude (d within ±1,000 with at most six decimals, as percentages
// are): integer sums of such values are exact and cannot overflow.
func millionths(d decimal.Decimal) (int64, bool) {
	exp := d.Exponent()
	if exp < -6 || exp > 0 || d.NumDigits() > 12 {
		return 0, false
	}
	v := d.CoefficientInt64()
	for range 6 + exp {
		v *= 10
	}
	if v > 1e9 || v < -1e9 {
		return 0, false
	}
	return v, true
}

// elementPct is one element's wt%; counted says whether the element
// matters to the cost model (reader.counts), asked once per material;
// row says the figure is the BOM row's own, not the material's.
type elementPct struct {
	sym     string
	pct     decimal.Decimal
	counted bool
	row     bool
}

func (lr *lineReader) composition(material string) materialComposition {
	if mc, ok := lr.compOf[material]; ok {
		return mc
	}
	if lr.compOf == nil {
		lr.compOf = map[string]materialComposition{}
	}
	var mc materialComposition
	wt := lr.r.materials[material].WtPct
	var most decimal.Decimal
	for _, sym := range sortedKeys(wt) {
		mc.elems = append(mc.elems, elementPct{sym: sym, pct: wt[sym], counted: lr.r.counts(sym)})
		if !exposure.IsRareEarth(sym) && wt[sym].GreaterThan(most) {
			mc.balance, most = sym, wt[sym]
		}
	}
	lr.compOf[material] = mc
	return mc
}

// filled reports whether any of the columns holds text in this row.
func (lr *lineReader) filled(cols []elementColumn) bool {
	for _, ec := range cols {
		if strings.TrimSpace(lr.t.cellAt(ec.col).Text) != "" {
			return true
		}
	}
	return false
}

// lineContent computes each element's mass per unit of the part: grams
// columns win, else re_mass × wt% with wt% from the row or the material.
// It also returns the mass of the material itself (re_mass), zero when
// the row gives none.
func (lr *lineReader) lineContent(material string) ([]exposure.ElementMass, decimal.Decimal) {
	t, c := lr.t, &lr.cols
	pct, grams := lr.filled(c.pct), lr.filled(c.grams)
	if material == "" && !pct && !grams && t.textAt(c.reMassKg) == "" && t.textAt(c.reMassG) == "" {
		return nil, decimal.Zero // most lines hold no rare earths: skip the work below
	}
	comp, overridden := lr.composition(material), false
	if pct {
		// A material's own composition was checked when it was read:
		// only a row's cells can push it past 100.
		comp, overridden = lr.overridden(comp, material)
		if overridden && comp.over100() {
			lr.giveWay(&comp, material)
		}
	}
	mass, hasMass := lr.massAt(c.reMassKg, "re_mass_kg", 0)
	if g, ok := lr.massAt(c.reMassG, "re_mass_g", -3); ok {
		if hasMass {
			t.bad("re_mass_g", ErrConflict, "give re_mass_kg or re_mass_g, not both")
		}
		mass, hasMass = g.Shift(-3), true
	}
	out := lr.scratch[:0]
	var fromGrams map[string]bool
	if grams {
		fromGrams = map[string]bool{}
		for _, ec := range c.grams {
			if g, ok := t.amountAt(ec.col, true); ok {
				fromGrams[ec.sym] = true
				if g.Sign() > 0 && lr.r.counts(ec.sym) {
					out = append(out, exposure.ElementMass{Element: ec.sym, Kg: g.Shift(-3)})
				}
			}
		}
	}
	if hasMass {
		if len(comp.elems) == 0 && len(fromGrams) == 0 {
			t.ps.warnf(t.sheet, t.refOf("re_mass_kg"), "rare-earth mass given but no material or wt%% columns: the line carries no element content")
		}
		for _, e := range comp.elems {
			if fromGrams[e.sym] || e.pct.IsZero() || !e.counted || mass.IsZero() {
				continue
			}
			out = append(out, exposure.ElementMass{Element: e.sym, Kg: mass.Mul(e.pct).Shift(-2)})
		}
	} else if (material != "" || overridden) && len(fromGrams) == 0 && t.textAt(c.reMassKg) == "" && t.textAt(c.reMassG) == "" {
		// A mass cell that is there but bad is already an error: one
		// problem, one message.
		t.ps.warnf(t.sheet, t.refOf("material"), "material or wt%% given but no re_mass_kg: the line carries no element content")
	}
	lr.scratch = out
	if !hasMass {
		mass = decimal.Zero
	}
	if len(out) == 0 {
		return nil, mass
	}
	kept := lr.content.take(len(out))
	copy(kept, out)
	return kept, mass
}

// massWithUnit matches a mass written with its unit: "25g", "0.5 kg".
var massWithUnit = regexp.MustCompile(`(?i)^\s*([0-9][0-9.,]*)\s*(mg|g|grams?|kg|kgs|kilograms?)\s*$`)

// massAt reads a re_mass cell of column col (named name, whose unit is
// 10^shift kg). A number written with a unit is an error that says what to
// write instead: the column's header gives the unit.
func (lr *lineReader) massAt(col int, name string, shift int32) (decimal.Decimal, bool) {
	t := lr.t
	if !strings.ContainsAny(t.cellAt(col).Text, "gG") { // every unit massWithUnit knows has a g
		return t.amountAt(col, true)
	}
	m := massWithUnit.FindStringSubmatch(t.textAt(col))
	if m == nil {
		return t.amountAt(col, true)
	}
	v, err := ParseAmount(m[1])
	if err != nil {
		return t.amountAt(col, true)
	}
	unit := map[string]int32{"mg": -6, "g": -3, "gram": -3, "grams": -3}[strings.ToLower(m[2])]
	inCol := v.Shift(unit - shift)
	other, otherShift := "re_mass_g", int32(-3)
	if shift == -3 {
		other, otherShift = "re_mass_kg", 0
	}
	t.ps.errorIs(ErrInvalidNumber, t.sheet, t.ref(col), "%s %s: the column is in %s, so write the number alone: %s (or head the column %s and write %s)",
		name, schema.Quote(t.textAt(col)), map[int32]string{0: "kg", -3: "grams"}[shift], inCol, other, v.Shift(unit-otherShift))
	return decimal.Decimal{}, false
}

// giveWay applies the balance rule of SPEC section 2 to a composition that
// the row's wt% cells push past 100: the material's balance element gives
// way by the excess, unless the row sets it too. It is an error when there
// is no balance element to give way (beyond rounding), when the rare
// earths alone pass 100, or when the balance would go below 0. mc holds
// the row's merged figures (lr.merged), so it is changed in place.
func (lr *lineReader) giveWay(mc *materialComposition, material string) {
	t := lr.t
	total := mc.total()
	over := total.Sub(hundred)
	b := -1
	for i, e := range mc.elems {
		if e.sym == mc.balance {
			b = i
		}
	}
	switch {
	case b < 0:
		if over.GreaterThan(compositionSlack) {
			if material == "" {
				t.ps.errorIs(ErrOutOfRange, t.sheet, lr.rowCell(""), "composition adds up to %s wt%%, more than 100", total)
			} else {
				t.ps.errorIs(ErrOutOfRange, t.sheet, lr.rowCell(""), "composition adds up to %s wt%%, more than 100, and %s has no element other than rare earths to give way", total, material)
			}
		}
		return
	case mc.elems[b].row:
		if over.GreaterThan(compositionSlack) {
			t.ps.errorIs(ErrOutOfRange, t.sheet, lr.rowCell(mc.balance), "composition adds up to %s wt%%, more than 100: %s, the balance of %s, is set on this row too, so it does not give way",
				total, mc.balance, material)
		}
		return
	}
	re := decimal.Zero
	for _, e := range mc.elems {
		if exposure.IsRareEarth(e.sym) {
			re = re.Add(e.pct)
		}
	}
	if re.GreaterThan(maxComposition) {
		t.ps.errorIs(ErrOutOfRange, t.sheet, lr.rowCell(""), "the rare earths alone add up to %s wt%%, more than 100", re)
		return
	}
	left := mc.elems[b].pct.Sub(over)
	if left.Sign() < 0 {
		if over.GreaterThan(compositionSlack) {
			t.ps.errorIs(ErrOutOfRange, t.sheet, lr.rowCell(""), "composition adds up to %s wt%%: %s, the balance of %s, would have to give way by %s from %s wt%% and go below 0",
				total, mc.balance, material, over, mc.elems[b].pct)
		}
		return
	}
	mc.elems[b].pct = left
}

// rowCell names the cell of the row's wt% column for sym, or with sym ""
// the row's first filled wt% cell (a problem of its composition as a
// whole), or the row when there is none.
func (lr *lineReader) rowCell(sym string) string {
	first := -1
	for _, ec := range lr.cols.pct {
		if sym != "" && ec.sym == sym {
			return lr.t.ref(ec.col)
		}
		if sym == "" && (first < 0 || ec.col < first) && strings.TrimSpace(lr.t.cellAt(ec.col).Text) != "" {
			first = ec.col
		}
	}
	if first < 0 {
		return fmt.Sprint(lr.t.row.Num)
	}
	return lr.t.ref(first)
}

// overridden returns the material's composition with the row's wt% cells
// in place of the material's figures; set is false when no cell was good.
// Both lists are in symbol order, so they merge in one pass.
func (lr *lineReader) overridden(base materialComposition, material string) (mc materialComposition, set bool) {
	t := lr.t
	over := lr.overrides[:0]
	for _, ec := range lr.cols.pct {
		if pct, ok := t.percentAt(ec.col); ok {
			if v, ok := millionths(pct); pct.Sign() < 0 || !ok && pct.GreaterThan(hundred) || v > 100e6 {
				t.cellErr(ec.col, fmt.Errorf("%w: wt%% must be between 0 and 100", ErrOutOfRange))
				continue
			}
			over = append(over, elementPct{sym: ec.sym, pct: pct, counted: lr.r.counts(ec.sym), row: true})
		}
	}
	lr.overrides = over
	merged := lr.merged[:0]
	b := base.elems
	for len(b) > 0 || len(over) > 0 {
		switch {
		case len(over) == 0 || len(b) > 0 && b[0].sym < over[0].sym:
			merged, b = append(merged, b[0]), b[1:]
		case len(b) > 0 && b[0].sym == over[0].sym:
			lr.warnFraction(over[0], b[0], material)
			merged, b, over = append(merged, over[0]), b[1:], over[1:]
		default:
			merged, over = append(merged, over[0]), over[1:]
		}
	}
	lr.merged = merged
	return materialComposition{elems: merged, balance: base.balance}, len(lr.overrides) > 0
}

// warnFraction warns about a wt% cell that looks like the material's own
// figure written as a fraction (0.235 for NdFeB's 23.5 wt%: a hundredth of
// it, give or take a factor of three), which would cut the element's mass
// a hundredfold. A smaller or larger figure is taken as meant.
func (lr *lineReader) warnFraction(cell, material elementPct, code string) {
	v, ok := millionths(cell.pct)
	w, wok := millionths(material.pct)
	if !ok || !wok || v <= 0 || w < 1e6 || v*100*3 < w || v*100 > w*3 {
		return
	}
	for _, ec := range lr.cols.pct {
		if ec.sym == cell.sym {
			lr.t.ps.warnf(lr.t.sheet, lr.t.ref(ec.col), "%s %s wt%% is about a hundredth of %s's %s wt%%: wt%% columns are in percent (%s means %s%%); if %s is a fraction, write %s",
				cell.sym, cell.pct, code, material.pct, material.pct, material.pct, cell.pct, cell.pct.Shift(2))
		}
	}
}

// slab hands out short slices carved from large blocks: one allocation
// per block instead of one per line, which the garbage collector feels on
// a million-line BOM. A slice taken has its capacity cut to its length,
// so appending to it copies rather than writing into a neighbour's.
type slab[T any] struct{ block []T }

func (s *slab[T]) take(n int) []T {
	if len(s.block) < n {
		s.block = make([]T, max(n, 4096))
	}
	out := s.block[:n:n]
	s.block = s.block[n:]
	return out
}

// counts reports whether an element matters to the cost model: a rare
// earth, an element with a price, or one a Controls row names.
func (r *reader) counts(sym string) bool {
	if exposure.IsRareEarth(sym) || r.named[sym] {
		return true
	}
	_, ok := r.prices[sym]
	return ok
}

// resolveParents links lines to their parents by part number within the
// product. A parent equal to the product id or empty means top level.
//
// It is the reader's hottest index on a million-line BOM. Most part
// numbers are on one line only, so they are indexed by part number alone;
// the few on several lines (in one product or across products) are
// indexed by product and part too. Exports list an assembly's parts right
// below it, so a parent is first looked for along the path from the line
// above, which needs no index at all.
func (r *reader) resolveParents(pend []pendingLine) {
	lines := r.bom.Lines
	firstOf := make(map[string]int32, len(lines)) // part number → its first line, in any product
	first := make([]int32, len(lines))            // line → the first line with its part number
	repeated := make([]bool, len(lines))          // by first line: its part number is on other lines too
	for i := range lines {
		pn := lines[i].PartNumber
		if j, ok := firstOf[pn]; ok {
			first[i], repeated[j] = j, true
		} else {
			firstOf[pn], first[i] = int32(i), int32(i)
		}
	}
	type key struct{ product, part string }
	byKey, dups := map[key]int{}, map[key]int{}
	for i := range lines {
		if !repeated[first[i]] {
			continue
		}
		k := key{lines[i].Product, lines[i].PartNumber}
		if _, ok := byKey[k]; ok {
			dups[k] = i
		} else {
			byKey[k] = i
		}
	}
	for i := range lines {
		l := &lines[i]
		par := pend[i].parent
		if par == "" || par == l.Product {
			continue
		}
		j := onPath(lines, i-1, l.Product, par)
		if j >= 0 && !repeated[first[j]] {
			l.Parent = j
			continue
		}
		f, known := firstOf[par]
		if known && !repeated[f] && lines[f].Product == l.Product {
			l.Parent = int(f)
			continue
		}
		k := key{l.Product, par}
		j, ok := byKey[k]
		switch {
		case !known:
			r.ps.errorIs(ErrNotTree, r.bomSheet, pend[i].parentAt(), "parent %q is not a part number of product %q", par, l.Product)
		case !ok:
			r.ps.errorIs(ErrNotTree, r.bomSheet, pend[i].parentAt(), "parent %q is in product %q (%s), not in %q", par, lines[f].Product, lines[f].Ref, l.Product)
		default:
			if d, dup := dups[k]; dup {
				r.ps.errorIs(ErrNotTree, r.bomSheet, pend[i].parentAt(), "parent %q is ambiguous: it appears at %s and %s", par, lines[j].Ref, lines[d].Ref)
				continue
			}
			l.Parent = j
		}
	}
}

// onPath looks for part in product among line from and its ancestors
// resolved so far, a few steps up at most (a cycle stops there too); -1
// when it is not there.
func onPath(lines []exposure.Line, from int, product, part string) int {
	for a, steps := from, 0; a >= 0 && steps < 8; a, steps = lines[a].Parent, steps+1 {
		if lines[a].PartNumber == part && lines[a].Product == product {
			return a
		}
	}
	return -1
}

// resolveLevels links lines by SAP-style levels: a row's parent is the
// nearest row above it one level up, within the same product.
func (r *reader) resolveLevels(pend []pendingLine) {
	var stack []int // line indexes, stack[k] at level top+k
	top, product := 0, ""
	for i := range r.bom.Lines {
		l := &r.bom.Lines[i]
		lv := int(pend[i].level)
		if i == 0 || l.Product != product {
			product, top, stack = l.Product, lv, stack[:0]
		}
		depth := lv - top
		switch {
		case depth < 0:
			r.ps.errorIs(ErrNotTree, r.bomSheet, pend[i].parentAt(), "level %d is above the product's top level %d", lv, top)
			continue
		case depth > len(stack):
			r.ps.errorIs(ErrNotTree, r.bomSheet, pend[i].parentAt(), "level %d has no row at level %d above it", lv, lv-1)
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
			// The place names the row; the message, the parent's.
			r.ps.errorIs(ErrNotTree, r.bomSheet, pend[j].parentAt(), "the BOM is not a tree: part %q is its own ancestor (its parent %q is at %s)",
				lines[j].PartNumber, lines[p].PartNumber, r.bom.Lines[p].Ref)
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
