package inputs

import (
	"fmt"
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
	lr := &lineReader{r: r, t: t, cols: cols, products: map[string]bool{}, countries: map[string]exposure.Country{}, materials: map[string]string{},
		keep: newTextKeeper(r.book)}
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
	lr.amounts, lr.measures = newAmountCache(hint), &measures{amounts: newAmountCache(hint)}
	r.bom.Lines = make([]exposure.Line, 0, hint)
	pend := make([]pendingLine, 0, hint)
	// Every line has a source: they are carved from one block for the
	// rows hinted, like the lines. Allocated beside the lines, before
	// the collection that their size sets off has taken the measure of
	// the heap, they also raise the heap that the next collection waits
	// for, by the size they will reach anyway.
	lr.sources.block = make([]exposure.Source, hint)
	for t.next() {
		if r.ps.hopeless() {
			r.ps.truncated = true // hopeless: stop reading, say so
			break
		}
		r.bom.Lines = nextLine(r.bom.Lines)
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
	r.bom.Sheet = r.bomSheet
	if cols.byLevel {
		r.resolveLevels(pend)
	} else {
		r.resolveParents(pend)
	}
	r.checkCycles(pend)
	r.checkExploded(pend, cols.qtyPer)
	r.warnNestedContent()
}

// nextLine makes room for one more line at the end of lines, for
// lineReader.read to fill (which sets the whole line): within the
// capacity the rows hint gave, the line is not cleared first as well.
func nextLine(lines []exposure.Line) []exposure.Line {
	if n := len(lines); n < cap(lines) {
		return lines[:n+1]
	}
	return append(lines, exposure.Line{})
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
	countries map[string]exposure.Country
	materials map[string]string // cell text → material code, for known materials
	compOf    map[string]materialComposition
	sources   slab[exposure.Source]
	content   slab[exposure.ElementMass]
	scratch   []exposure.ElementMass
	overrides []elementPct // a row's wt% cells, reused from row to row
	merged    []elementPct
	keep      *textKeeper // linememory.go
	amounts   *amountCache
	measures  *measures // quantities, masses and contents (measures.go)
	// currencies numbers the cost currencies for amounts (linememory.go).
	currencies costCurrencies
	// lastCountry is each country column's last text with a code
	// (country); lastProduct the last product known.
	lastCountry [numCountries]keptCode
	lastProduct string
	// lastMaterial is the last material text with a code and its code
	// (material).
	lastMaterial keptMaterial
}

// read reads the current BOM row into l; ok is false when the row cannot
// become a line (the problem is recorded).
func (lr *lineReader) read(l *exposure.Line) (pendingLine, bool) {
	r, t, c := lr.r, lr.t, &lr.cols
	*l = exposure.Line{Parent: -1, Row: int32(t.row.Num)}
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
	if l.Product != lr.lastProduct && !lr.products[l.Product] {
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
	lr.lastProduct = l.Product
	l.PartNumber = lr.keep.unique(t.textAt(c.partNumber))
	if l.PartNumber == "" {
		t.bad("part_number", ErrMissingValue, "part number is empty")
		return p, false
	}
	l.Description = lr.keep.repeated(keptDescription, t.textAt(c.description)) // cut to what a cell holds by t.next
	l.UOM = lr.keep.repeated(keptUOM, t.textAt(c.uom))
	l.HSCode = lr.keep.onceRepeated(keptHSCode, t.textAt(c.hsCode))
	if q, ok := lr.measure(c.qtyPer); ok {
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
		src.Countries[g] = lr.country(g, col)
	}
	src.HRESeparation, src.Origin = lr.country(hreKept, c.hreSeparation), lr.country(originKept, c.origin)
	defaultCountries(&src.Countries, &src.HRESeparation, &src.Origin)
	l.Sources = srcs
	l.Material = lr.material()
	l.Content, l.MaterialKg = lr.lineContent(l.Material)
	return p, true
}

// defaultCountries fills a source's empty (zero: "" or
// exposure.NoCountry) countries from the others of the same row (SPEC
// section 2): the origin from the component country and the other way
// round, the heavy rare earths' separation from the separation country.
// The other stages stay as given. Sources hold exposure.Country values,
// alternatives strings.
func defaultCountries[C string | exposure.Country](countries *[exposure.NumStages]C, hreSeparation, origin *C) {
	var unknown C
	switch {
	case *origin == unknown:
		*origin = countries[exposure.StageComponent]
	case countries[exposure.StageComponent] == unknown:
		countries[exposure.StageComponent] = *origin
	}
	if *hreSeparation == unknown {
		*hreSeparation = countries[exposure.StageSeparation]
	}
}

// country parses the country cell of column col, kept as the k-th of
// the row's countries (a stage, hreKept or originKept). The code of the
// text above in the same column is taken again without a look-up, as
// rows of one assembly often repeat their countries; other texts already
// seen are looked up in a map.
func (lr *lineReader) country(k, col int) exposure.Country {
	text := lr.t.cellAt(col).Text
	if text == "" {
		return exposure.NoCountry
	}
	if last := &lr.lastCountry[k]; last.code != exposure.NoCountry && last.text == text {
		return last.code
	}
	code, ok := lr.countries[text]
	if !ok {
		if code = exposure.CountryOf(lr.t.countryAt(col)); code != exposure.NoCountry {
			lr.countries[text] = code
		}
	}
	if code != exposure.NoCountry {
		lr.lastCountry[k] = keptCode{text, code}
	}
	return code
}

// The places of the separation and origin countries among a row's
// countries, after the stages.
const (
	hreKept = exposure.NumStages + iota
	originKept
	numCountries
)

// keptMaterial is a material cell's text and its code.
type keptMaterial struct{ text, code string }

// keptCode is a country cell's text and its country.
type keptCode struct {
	text string
	code exposure.Country
}

// stageColumnNames are the stage-country columns in exposure.Stage order.
var stageColumnNames = [exposure.NumStages]string{"mine_country", "refine_country", "metal_country", "component_country"}

// material returns the row's material code, remembering the codes of
// texts already seen; that of the text above, without a look-up.
func (lr *lineReader) material() string {
	code := lr.t.textAt(lr.cols.material)
	if code == "" {
		return ""
	}
	if code == lr.lastMaterial.text {
		return lr.lastMaterial.code
	}
	m, ok := lr.materials[code]
	if !ok {
		if m = lr.r.material(lr.t); m != "" {
			lr.materials[code] = m
		}
	}
	if m != "" {
		lr.lastMaterial = keptMaterial{code, m}
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
