package genbom

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Columns are the BOM sheet's headers, in order.
var Columns = []string{
	"product", "part_number", "description", "parent", "qty_per", "uom",
	"unit_cost", "currency", "supplier", "material", "re_mass_kg",
	"Nd", "Dy", "Tb", "mine_country", "refine_country", "metal_country",
	"component_country", "hs_code", "notes",
}

// Column positions.
const (
	colProduct = iota
	colPart
	colDescription
	colParent
	colQty
	colUOM
	colCost
	colCurrency
	colSupplier
	colMaterial
	colREMass
	colNd
	colDy
	colTb
	colMine
	colRefine
	colMetal
	colComponent
	colHS
	colNotes
	numCols
)

// ProductColumns are the Products sheet's headers.
var ProductColumns = []string{"product", "annual_volume", "name"}

// Materials are the material codes lines may carry.
var Materials = []string{"NDFEB_N42", "NDFEB_38UH_BULK", "NDFEB_WIND_DD", "SMCO5", "Y2O3", "CEO2", "ALSC_TGT_30"}

// Countries are the stage countries used ("" is unknown).
var Countries = []string{"CN", "JP", "DE", "US", "VN", "MY", "EE", ""}

const maxProducts = 10

var (
	productNames = []string{"Traction motor", "Wind generator", "Servo drive", "E-bike hub motor",
		"HVAC compressor", "Industrial robot arm", "Speaker module", "Polishing line",
		"MRI gradient coil", "RF filter"}
	assemblyNames = []string{"Motor assembly", "Rotor assembly", "Stator assembly", "Housing assembly",
		"Control board", "Gearbox", "Cooling module", "Sensor module", "Cable set", "Frame"}
	leafNames = []string{"Bearing 6204", "Screw M4x10", "Washer M4", "Copper winding", "Steel lamination stack",
		"Shaft", "O-ring", "Connector 12-pin", "Capacitor 100uF", "Encoder disc", "Label", "Aluminium casting",
		"Thermal pad", "Gasket", "Bracket"}
	magnetNames = map[string]string{
		"NDFEB_N42":       "NdFeB magnet N42",
		"NDFEB_38UH_BULK": "NdFeB magnet 38UH",
		"NDFEB_WIND_DD":   "NdFeB segment, direct drive",
		"SMCO5":           "SmCo5 magnet",
		"Y2O3":            "Yttria coating",
		"CEO2":            "Ceria polishing slurry",
		"ALSC_TGT_30":     "AlSc sputtering target",
	}
	uoms       = []string{"EA", "KG", "M", "PC"}
	currencies = []string{"USD", "EUR", "CNY", "JPY", ""}
	// FXRates are the generated workbook's FX sheet: USD per unit.
	FXRates      = [][2]string{{"EUR", "1.08"}, {"CNY", "0.14"}, {"JPY", "0.0067"}}
	hsCodes      = []string{"8501.52", "8505.11", "7318.15", "8544.42", "8534.00", "3926.90", "8503.00", "2846.90", "2805.30", "8481.80"}
	notes        = []string{"second source in qualification", "long lead time", "single source", "price under review", "drawing rev C"}
	numSuppliers = 60
)

// vocab is the fixed part of the shared-string table; part numbers follow.
type vocab struct {
	strs []string
	// first indices of each group
	header, productHeader, productID, productName, assembly, leaf, magnet, uom,
	currency, supplier, material, country, hs, note int
}

func newVocab() *vocab {
	v := &vocab{}
	add := func(ss ...string) int {
		at := len(v.strs)
		v.strs = append(v.strs, ss...)
		return at
	}
	v.header = add(Columns...)
	v.productHeader = add(ProductColumns...)
	ids := make([]string, maxProducts)
	for i := range ids {
		ids[i] = "P" + strconv.Itoa(i+1)
	}
	v.productID = add(ids...)
	v.productName = add(productNames...)
	v.assembly = add(assemblyNames...)
	v.leaf = add(leafNames...)
	v.magnet = len(v.strs)
	for _, m := range Materials {
		add(magnetNames[m])
	}
	v.uom = add(uoms...)
	v.currency = add(currencies[:len(currencies)-1]...)
	sup := make([]string, numSuppliers)
	for i := range sup {
		sup[i] = fmt.Sprintf("Supplier %02d", i+1)
	}
	v.supplier = add(sup...)
	v.material = add(Materials...)
	v.country = add(Countries[:len(Countries)-1]...)
	v.hs = add(hsCodes...)
	v.note = add(notes...)
	return v
}

// Value kinds of a generated cell.
const (
	valEmpty   = iota
	valString  // sst index in s
	valNumber  // text in num
	valPercent // a wt% value: num is the fraction (stored as a percent-formatted cell), alt the percent (CSV)
	valMoney   // a number with a thousands/2-decimal format
)

type value struct {
	kind uint8
	s    int
	num  string
	alt  string
}

type product struct {
	volume      int
	first, size int // lines of the product: [first, first+size)
}

// gen produces the lines of one BOM, one at a time.
type gen struct {
	rng      *rand.Rand
	v        *vocab
	lines    int
	products []product

	// state of the current product's tree
	p       int   // current product
	k       int   // index of the next line within the product
	path    []int // global indices from the top line to the previous line
	nextRel int   // how the next line hangs from the previous
	line    int   // global index of the next line
	row     [numCols]value
}

// Relations of a line to the one before it.
const (
	relTop = iota
	relChild
	relSibling
	relUp
)

const maxDepth = 6

func newGen(lines int, seed int64) *gen {
	g := &gen{rng: rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15)), v: newVocab(), lines: lines}
	n := 3 + g.rng.IntN(8)
	if lines < n {
		n = max(lines, 1)
	}
	weights := make([]float64, n)
	sum := 0.0
	for i := range weights {
		weights[i] = 0.5 + g.rng.Float64()
		sum += weights[i]
	}
	volumes := []int{500, 1000, 2500, 5000, 12000, 40000, 150000}
	spare := max(lines-n, 0) // lines beyond one per product, shared by weight
	first := 0
	for i := range n {
		size := 0
		if lines > 0 {
			size = 1 + int(float64(spare)*weights[i]/sum)
		}
		if i == n-1 {
			size = lines - first
		}
		g.products = append(g.products, product{volume: volumes[g.rng.IntN(len(volumes))], first: first, size: size})
		first += size
	}
	return g
}

// partNumber is the text of line l's part number: unique in the BOM, and
// so in its product.
func (g *gen) partNumber(l int) string {
	p := g.productOf(l)
	return fmt.Sprintf("P%d-%06d", p+1, 100000+l-g.products[p].first)
}

func (g *gen) productOf(l int) int {
	for i, p := range g.products {
		if l < p.first+p.size {
			return i
		}
	}
	return len(g.products) - 1
}

// numStrings is the size of the shared-string table.
func (g *gen) numStrings() int { return len(g.v.strs) + g.lines }

// str returns shared string i.
func (g *gen) str(i int) string {
	if i < len(g.v.strs) {
		return g.v.strs[i]
	}
	return g.partNumber(i - len(g.v.strs))
}

// decide draws how the line after one at depth d hangs from it.
func (g *gen) decide(d int) int {
	x := g.rng.Float64()
	switch {
	case d < maxDepth-1 && x < 0.4:
		return relChild
	case d <= 1 || x < 0.8:
		return relSibling
	}
	return relUp
}

// next fills g.row with the next line; false after the last.
func (g *gen) next() bool {
	if g.line >= g.lines {
		return false
	}
	for g.k >= g.products[g.p].size {
		g.p++
		g.k = 0
	}
	prod := g.products[g.p]
	l := g.line
	rel := g.nextRel
	if g.k == 0 {
		rel = relTop
	}
	switch rel {
	case relTop:
		g.path = append(g.path[:0], l)
	case relChild:
		g.path = append(g.path, l)
	case relUp:
		up := 1 + g.rng.IntN(len(g.path)-1)
		g.path = g.path[:len(g.path)-up]
		g.path[len(g.path)-1] = l
	case relSibling:
		g.path[len(g.path)-1] = l
	}
	depth := len(g.path) - 1
	parent := -1
	if depth > 0 {
		parent = g.path[depth-1]
	}
	g.k++
	g.line++
	last := g.k >= prod.size
	if g.k == 1 && !last {
		g.nextRel = relChild // the top assembly has parts
	} else if !last {
		g.nextRel = g.decide(depth)
	}
	leaf := last || g.nextRel != relChild
	g.fill(l, parent, leaf)
	return true
}

func (g *gen) pick(n int) int { return g.rng.IntN(n) }

func str(i int) value      { return value{kind: valString, s: i} }
func num(s string) value   { return value{kind: valNumber, num: s} }
func money(s string) value { return value{kind: valMoney, num: s} }
func (g *gen) country() value {
	i := g.pick(len(Countries))
	if Countries[i] == "" {
		return value{}
	}
	return str(g.v.country + i)
}

func (g *gen) fill(l, parent int, leaf bool) {
	v, r := g.v, &g.row
	*r = [numCols]value{}
	r[colProduct] = str(v.productID + g.p)
	r[colPart] = str(len(v.strs) + l)
	if parent >= 0 {
		r[colParent] = str(len(v.strs) + parent)
	}
	material := -1
	if leaf && g.rng.Float64() < 0.3 {
		material = g.pick(len(Materials))
	}
	switch {
	case !leaf:
		r[colDescription] = str(v.assembly + g.pick(len(assemblyNames)))
	case material >= 0:
		r[colDescription] = str(v.magnet + material)
	default:
		r[colDescription] = str(v.leaf + g.pick(len(leafNames)))
	}
	uom := 0
	if leaf && g.rng.Float64() < 0.15 {
		uom = 1 + g.pick(len(uoms)-1)
	}
	r[colUOM] = str(v.uom + uom)
	if uom == 1 || uom == 2 { // KG, M: fractional quantities
		r[colQty] = num(decimal(int64(1+g.pick(400)), 2))
	} else {
		r[colQty] = num(strconv.Itoa(1 + g.rng.IntN(4)*g.rng.IntN(3)))
	}
	cents := int64(math.Exp(g.rng.Float64()*math.Log(200000))) + 5
	if !leaf {
		cents *= 20
	}
	r[colCost] = money(decimal(cents, 2))
	cur := 0
	switch x := g.rng.Float64(); {
	case x < 0.6:
		cur = 0
	case x < 0.8:
		cur = 1
	case x < 0.9:
		cur = 2
	case x < 0.95:
		cur = 3
	default:
		cur = 4
	}
	if currencies[cur] != "" {
		r[colCurrency] = str(v.currency + cur)
	}
	if leaf || g.rng.Float64() < 0.3 {
		r[colSupplier] = str(v.supplier + g.pick(numSuppliers))
	}
	if material >= 0 {
		r[colMaterial] = str(v.material + material)
		r[colREMass] = num(g.mass(Materials[material]))
		if strings.HasPrefix(Materials[material], "NDFEB") && g.rng.Float64() < 0.6 {
			// Overrides stay within every NdFeB grade's Nd+Dy+Tb (at
			// least 23.5 wt%), so no composition exceeds 100.
			r[colNd] = g.wt(150 + int64(g.pick(31)))
			r[colDy] = g.wt(int64(g.pick(41)))
			if g.rng.Float64() < 0.5 {
				r[colTb] = g.wt(int64(g.pick(11)))
			}
		}
		r[colMine] = g.country()
		r[colRefine] = g.country()
		r[colMetal] = g.country()
		r[colHS] = str(v.hs + 1)
	} else if leaf && g.rng.Float64() < 0.5 {
		r[colHS] = str(v.hs + g.pick(len(hsCodes)))
	}
	r[colComponent] = g.country()
	if g.rng.Float64() < 0.05 {
		r[colNotes] = str(v.note + g.pick(len(notes)))
	}
}

// wt is an element share given in tenths of a percent; half the cells are
// stored as a fraction in a percent-formatted cell, as users type "29.5%".
func (g *gen) wt(tenths int64) value {
	if g.rng.Float64() < 0.5 {
		return num(decimal(tenths, 1))
	}
	return value{kind: valPercent, num: decimal(tenths, 3), alt: decimal(tenths, 1)}
}

// mass draws a plausible rare-earth-bearing mass in kg for one unit.
func (g *gen) mass(material string) string {
	lo, hi := 0.001, 0.5 // kg
	switch material {
	case "NDFEB_WIND_DD":
		lo, hi = 1, 25
	case "SMCO5":
		lo, hi = 0.001, 0.1
	case "Y2O3", "CEO2":
		lo, hi = 0.0001, 0.01
	case "ALSC_TGT_30":
		lo, hi = 0.5, 5
	}
	x := lo * math.Exp(g.rng.Float64()*math.Log(hi/lo))
	return decimal(int64(math.Round(x*1e5)), 5) // 0.01 g resolution
}

// decimal formats v / 10^places with no trailing zeros, as Excel stores
// numbers ("12.5", "3", "0.00125").
func decimal(v int64, places int) string {
	s := strconv.FormatInt(v, 10)
	neg := v < 0
	if neg {
		s = s[1:]
	}
	for len(s) <= places {
		s = "0" + s
	}
	intPart, frac := s[:len(s)-places], s[len(s)-places:]
	for len(frac) > 0 && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	out := intPart
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}
