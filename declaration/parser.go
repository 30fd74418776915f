package declaration

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"rexpo/schema"
)

// nodeKind is what a declaration element stands for.
type nodeKind uint8

const (
	kindOther     nodeKind = iota
	kindProduct            // Product
	kindPart               // ProductPart, a nested Product, ...
	kindMaterial           // HomogeneousMaterial (IPC-1752A), Material (IEC 62474)
	kindSubstance          // Substance
)

// roots are the root elements accepted: IPC-1752A's MainDeclaration
// and IEC 62474's Main (DeclarationContent is read as IEC 62474 too).
var roots = map[string]string{"MainDeclaration": "IPC-1752A", "Main": "IEC 62474", "DeclarationContent": "IEC 62474"}

// containers are the elements that hold materials or substances and
// may state their own mass.
var containers = map[string]nodeKind{
	"Product": kindProduct, "ProductPart": kindPart, "SubProduct": kindPart, "SubPart": kindPart,
	"MaterialGroup": kindPart, "HomogeneousMaterial": kindMaterial, "Material": kindMaterial,
	"Substance": kindSubstance,
}

// indexed are the elements whose path segments carry a 1-based index
// among their siblings, so a message points at one of many.
var indexed = map[string]bool{
	"Product": true, "ProductPart": true, "SubProduct": true, "SubPart": true, "MaterialGroup": true,
	"HomogeneousMaterial": true, "Material": true, "Substance": true, "SubstanceCategory": true,
}

// quantities are the elements that state a mass or a share, and the
// unit each implies when it names none.
var quantities = map[string]string{
	"Amount": "", "Mass": "", "MassValue": "", "Weight": "",
	"MassPercent": "%", "Concentration": "%", "PPM": "ppm",
}

// amount is a mass or a share as declared.
type amount struct {
	grams    decimal.Decimal // absolute, when !relative
	fraction decimal.Decimal // of the container's mass, when relative
	relative bool
	text     string // as written: "30.0 g", "12 %"
}

// node is a product, part, material or substance of one product.
type node struct {
	kind     nodeKind
	name     string
	path     string
	line     int
	parent   *node
	children []*node
	abs, rel *amount // the first absolute and relative quantities stated
	cas      string
	bad      bool // a quantity of this node is broken
}

// describe names a node for a message: `substance "Neodymium oxide" (CAS 1313-97-9)`.
func (n *node) describe() string {
	kind := map[nodeKind]string{kindProduct: "product", kindPart: "part", kindMaterial: "material", kindSubstance: "substance"}[n.kind]
	s := kind
	if n.name != "" {
		s += fmt.Sprintf(" %q", n.name)
	}
	if n.cas != "" {
		s += " (CAS " + n.cas + ")"
	}
	return s
}

// frame is one open element.
type frame struct {
	local  string
	seg    string
	counts map[string]int // children seen, for indexed names
	node   *node          // the node this element opened
	text   *strings.Builder
	textOf string // what the text is: "cas", "part" or "qty"
	// qtyOwner and qtyUnit are the node and unit of a quantity whose
	// value is the element's text.
	qtyOwner *node
	qtyUnit  string
}

// parser reads one declaration.
type parser struct {
	out       *File
	partField string // NormalizeKey of the --map field, "" for the default
	fieldName string // the --map field as written
	species   map[string]reSpecies
	dec       *xml.Decoder
	stack     []frame
	product   *node
	ids       productIDs
}

// productIDs are the identifiers met inside the current product.
type productIDs struct {
	item, identifier, mapped, name, unit string
	mappedSeen                           bool
}

func (p *parser) run(r io.Reader) {
	src, err := decodeSource(&limitedReader{r: r, n: maxFileBytes + 1})
	if err != nil {
		p.fail(err)
		return
	}
	p.dec = xml.NewDecoder(src)
	p.dec.Strict = true
	p.dec.CharsetReader = charsetReader
	for {
		tok, err := p.dec.Token()
		if err == io.EOF {
			if p.out.Format == "" {
				p.out.problem("", 0, "not an XML declaration: the file is empty or holds no XML element")
			}
			return
		}
		if err != nil {
			p.fail(err)
			return
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !p.start(t) {
				return
			}
		case xml.EndElement:
			p.end()
			if len(p.stack) == 0 {
				p.finish()
				return // the root is closed: what follows is not read
			}
		case xml.CharData:
			if n := len(p.stack); n > 0 && p.stack[n-1].text != nil {
				p.stack[n-1].text.Write(t)
			} else if n == 0 && len(bytes.TrimSpace(t)) > 0 {
				p.out.problem("", p.line(), "not an XML file: it starts with text, not an element (expected an IPC-1752A or IEC 62474 declaration)")
				return
			}
		case xml.Directive:
			p.out.problem(p.path(), p.line(), "the file holds a DTD or entity declaration (<!%s…>): declarations with DTDs are refused, since entities can expand into an XML bomb or read other files", firstWord(t))
			p.out.Products = nil
			return
		}
	}
}

// fail records why the file could not be read on.
func (p *parser) fail(err error) {
	var se *xml.SyntaxError
	switch {
	case errors.Is(err, errTooLarge):
		p.out.problem("", 0, "the file is larger than %d MiB: not read", maxFileBytes>>20)
	case errors.As(err, &se) && p.out.Format == "" && len(p.stack) == 0:
		p.out.problem("", se.Line, "not an XML file (%s): expected an IPC-1752A or IEC 62474 declaration", se.Msg)
	case errors.As(err, &se):
		p.out.problem(p.path(), se.Line, "the XML is broken (%s): the declaration is not used", se.Msg)
	default:
		p.out.problem(p.path(), p.line(), "%v: the declaration is not used", err)
	}
	p.out.Products = nil // a broken file supplies nothing
}

func firstWord(d xml.Directive) string {
	s := strings.TrimSpace(string(d))
	if i := strings.IndexAny(s, " \t\r\n["); i > 0 {
		s = s[:i]
	}
	if len(s) > 20 {
		s = s[:20]
	}
	return s
}

// line returns the current line of the file.
func (p *parser) line() int {
	l, _ := p.dec.InputPos()
	return l
}

// path returns the element path of the open elements.
func (p *parser) path() string {
	var b strings.Builder
	n := 0
	for _, f := range p.stack {
		n += 1 + len(f.seg)
	}
	b.Grow(n)
	for _, f := range p.stack {
		b.WriteByte('/')
		b.WriteString(f.seg)
	}
	return b.String()
}

// start handles an element's start; false stops reading.
func (p *parser) start(t xml.StartElement) bool {
	local := t.Name.Local
	f := frame{local: local, seg: local}
	if n := len(p.stack); n > 0 && indexed[local] {
		parent := &p.stack[n-1]
		if parent.counts == nil {
			parent.counts = map[string]int{}
		}
		parent.counts[local]++
		f.seg = local + "[" + strconv.Itoa(parent.counts[local]) + "]"
	}
	if len(p.stack) == 0 {
		format, ok := roots[local]
		if !ok {
			p.out.problem("/"+local, p.line(), "the root element is <%s>, not an IPC-1752A <MainDeclaration> or an IEC 62474 <Main>: not a material declaration", local)
			return false
		}
		p.out.Format = format
	}
	if len(p.stack) >= maxDepth {
		p.out.problem(p.path(), p.line(), "elements nested deeper than %d: the file is not read on", maxDepth)
		p.out.Products = nil
		return false
	}
	p.stack = append(p.stack, f)
	top := &p.stack[len(p.stack)-1]
	if p.product == nil {
		if local == "Product" {
			p.product = p.open(top, kindProduct, t)
			p.ids = productIDs{}
			p.productAttrs(t, local)
		}
		return true
	}
	// Inside a product.
	if p.partField != "" && schema.NormalizeKey(local) == p.partField && !p.ids.mappedSeen {
		top.text, top.textOf = &strings.Builder{}, "part"
	}
	p.productAttrs(t, local)
	if kind, ok := containers[local]; ok {
		if kind == kindProduct {
			kind = kindPart // a product inside a product is one of its parts
		}
		n := p.open(top, kind, t)
		if kind == kindSubstance {
			n.cas = casOf(attr(t, "casNumber", "cas", "CASNumber"))
		}
		return true
	}
	if unit, ok := quantities[local]; ok {
		if n := p.quantityOwner(); n != nil {
			p.quantity(n, t, unit)
		}
		return true
	}
	if sub := p.innermost(); sub != nil && sub.kind == kindSubstance && isSubstanceID(local) {
		auth := strings.ToUpper(strings.TrimSpace(attr(t, "authority")))
		if auth != "" && auth != "CAS" {
			return true
		}
		if id := attr(t, "identity", "value", "id", "number"); id != "" {
			if sub.cas == "" {
				sub.cas = casOf(id)
			}
		} else {
			top.text, top.textOf = &strings.Builder{}, "cas"
		}
	}
	return true
}

// isSubstanceID reports whether an element inside a substance names its
// identity: SubstanceID, UniqueID (IPC-1752A), CASNumber.
func isSubstanceID(local string) bool {
	switch local {
	case "SubstanceID", "UniqueID", "CASNumber", "CAS", "CasNumber":
		return true
	}
	return false
}

// productAttrs collects identifiers from ProductID (and Product) attributes,
// and the --map field from any element of the product.
func (p *parser) productAttrs(t xml.StartElement, local string) {
	if p.partField != "" && !p.ids.mappedSeen {
		for _, a := range t.Attr {
			if schema.NormalizeKey(a.Name.Local) == p.partField && strings.TrimSpace(a.Value) != "" {
				p.ids.mapped, p.ids.mappedSeen = strings.TrimSpace(a.Value), true
				break
			}
		}
	}
	if local != "ProductID" && local != "Product" {
		return
	}
	if p.ids.item == "" {
		p.ids.item = attr(t, "itemNumber")
	}
	if p.ids.identifier == "" {
		p.ids.identifier = attr(t, "identifier")
	}
	if p.ids.name == "" {
		p.ids.name = attr(t, "itemName", "name")
	}
	if p.ids.unit == "" {
		p.ids.unit = attr(t, "unitType")
	}
}

// attr returns the first non-empty attribute among names (local names,
// matched exactly, then ignoring case).
func attr(t xml.StartElement, names ...string) string {
	for _, n := range names {
		for _, a := range t.Attr {
			if a.Name.Local == n && a.Name.Space != "xmlns" {
				if v := strings.TrimSpace(a.Value); v != "" {
					return v
				}
			}
		}
	}
	for _, n := range names {
		for _, a := range t.Attr {
			if strings.EqualFold(a.Name.Local, n) && a.Name.Space != "xmlns" {
				if v := strings.TrimSpace(a.Value); v != "" {
					return v
				}
			}
		}
	}
	return ""
}

// casOf normalises a CAS number as written ("1313-97-9", " 1313‐97‐9 ").
func casOf(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' || s[i] >= utf8.RuneSelf {
			return casDashes.Replace(s)
		}
	}
	return s
}

// casDashes turns the dashes word processors put into CAS numbers into
// hyphens, and drops spaces.
var casDashes = strings.NewReplacer("‐", "-", "‑", "-", "–", "-", " ", "")

// open starts a node for the element of frame f.
func (p *parser) open(f *frame, kind nodeKind, t xml.StartElement) *node {
	n := &node{kind: kind, path: p.path(), line: p.line(), name: attr(t, "name", "itemName")}
	n.parent = p.innermost()
	if n.parent != nil {
		n.parent.children = append(n.parent.children, n)
	}
	f.node = n
	// A share or a mass may be stated as an attribute of the element.
	if v := attr(t, "massPercent", "percent", "weightPercent"); v != "" {
		p.setQty(n, v, "%")
	} else if v := attr(t, "mass", "weight"); v != "" && kind != kindProduct {
		p.setQty(n, v, attr(t, "unitOfMeasure", "UOM", "unit", "uom"))
	}
	return n
}

// innermost returns the innermost open node, or nil.
func (p *parser) innermost() *node {
	for i := len(p.stack) - 1; i >= 0; i-- {
		if n := p.stack[i].node; n != nil {
			return n
		}
	}
	return nil
}

// quantityOwner returns the node a quantity element states the mass of:
// the node of its parent element, or of its grandparent when the parent
// is an identity wrapper such as ProductID. Other quantities (thresholds
// of a Class C category, say) belong to no node.
func (p *parser) quantityOwner() *node {
	for i := len(p.stack) - 2; i >= 0; i-- {
		f := &p.stack[i]
		if f.node != nil {
			return f.node
		}
		if !strings.HasSuffix(f.local, "ID") {
			return nil
		}
	}
	return nil
}

// quantity reads a quantity element: value and unit from its attributes
// (IPC-1752A Amount value/UOM, IEC 62474 Mass mass/unitOfMeasure), or
// the value from its text (<Mass unit="g">12.5</Mass>), read at its end.
func (p *parser) quantity(n *node, t xml.StartElement, unit string) {
	if u := attr(t, "UOM", "unitOfMeasure", "unit", "uom"); u != "" {
		unit = u
	}
	v := attr(t, "value", "mass", "massPercent", "percent", "ppm", "amount")
	if v == "" {
		top := &p.stack[len(p.stack)-1]
		top.text, top.textOf, top.qtyOwner, top.qtyUnit = &strings.Builder{}, "qty", n, unit
		return
	}
	p.setQty(n, v, unit)
}

// units convert a unit to grams (absolute) or to a fraction
// (relative), by NormalizeKey of the unit.
var units = map[string]struct {
	factor   decimal.Decimal
	relative bool
}{
	"g": {decimal.NewFromInt(1), false}, "gram": {decimal.NewFromInt(1), false}, "grams": {decimal.NewFromInt(1), false},
	"mg": {decimal.New(1, -3), false}, "milligram": {decimal.New(1, -3), false}, "milligrams": {decimal.New(1, -3), false},
	"µg": {decimal.New(1, -6), false}, "μg": {decimal.New(1, -6), false}, "ug": {decimal.New(1, -6), false}, "mcg": {decimal.New(1, -6), false},
	"kg": {decimal.NewFromInt(1000), false}, "kilogram": {decimal.NewFromInt(1000), false}, "kilograms": {decimal.NewFromInt(1000), false},
	"": {decimal.New(1, -2), true}, "masspercent": {decimal.New(1, -2), true}, "percent": {decimal.New(1, -2), true},
	"wt": {decimal.New(1, -2), true}, "mass": {decimal.New(1, -2), true}, "weightpercent": {decimal.New(1, -2), true},
	"pct": {decimal.New(1, -2), true},
	"ppm": {decimal.New(1, -6), true}, "mg/kg": {decimal.New(1, -6), true},
}

// setQty parses a declared value in unit and stores it on n.
func (p *parser) setQty(n *node, v, unit string) {
	v = strings.TrimSpace(v)
	if strings.HasSuffix(v, "%") && strings.TrimSpace(unit) == "" {
		v, unit = strings.TrimSpace(strings.TrimSuffix(v, "%")), "%"
	}
	text := strings.TrimSpace(v + " " + unit)
	if strings.TrimSpace(unit) == "" {
		p.out.problem(p.path(), p.line(), "%s: %q states no unit (expected mg, g, kg, ppm or a mass percent)", n.describe(), v)
		n.bad = true
		return
	}
	conv, ok := units[schema.NormalizeKey(unit)] // "%", "wt%", "mass %" normalise to "", "wt", "mass"
	if !ok {
		p.out.problem(p.path(), p.line(), "%s: unknown unit %q (expected mg, g, kg, ppm or a mass percent)", n.describe(), unit)
		n.bad = true
		return
	}
	d, err := parseNumber(v)
	if err != nil {
		p.out.problem(p.path(), p.line(), "%s: %q is not a number", n.describe(), v)
		n.bad = true
		return
	}
	switch {
	case d.Sign() < 0:
		p.out.problem(p.path(), p.line(), "%s: negative mass %s", n.describe(), text)
		n.bad = true
		return
	case conv.relative && d.Mul(conv.factor).GreaterThan(decimal.NewFromInt(1)):
		p.out.problem(p.path(), p.line(), "%s: %s is more than 100%% of its material", n.describe(), text)
		n.bad = true
		return
	}
	q := &amount{text: text, relative: conv.relative}
	if conv.relative {
		q.fraction = d.Mul(conv.factor)
		if n.rel == nil {
			n.rel = q
		}
	} else {
		q.grams = d.Mul(conv.factor)
		if n.abs == nil {
			n.abs = q
		}
	}
}

// parseNumber parses an XML decimal ("30.0", "-1", "1.5E-3"). The
// exponent is kept small, so that "1e999999999" cannot make later
// arithmetic allocate without end.
func parseNumber(s string) (decimal.Decimal, error) {
	if s == "" || len(s) > 40 {
		return decimal.Zero, errors.New("not a number")
	}
	mant, exp := s, ""
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp = s[:i], s[i+1:]
		e := strings.TrimLeft(exp, "+-")
		if e == "" || len(e) > 2 || !allDigits(e) {
			return decimal.Zero, errors.New("not a number")
		}
	}
	m := strings.TrimLeft(mant, "+-")
	if len(mant)-len(m) > 1 {
		return decimal.Zero, errors.New("not a number")
	}
	intPart, frac, _ := strings.Cut(m, ".")
	if intPart == "" && frac == "" || intPart != "" && !allDigits(intPart) || frac != "" && !allDigits(frac) {
		return decimal.Zero, errors.New("not a number")
	}
	return decimal.NewFromString(s)
}

// end handles an element's end.
func (p *parser) end() {
	n := len(p.stack)
	if n == 0 {
		return
	}
	f := &p.stack[n-1]
	if f.text != nil {
		v := strings.TrimSpace(f.text.String())
		switch f.textOf {
		case "cas":
			if sub := p.innermost(); sub != nil && sub.kind == kindSubstance && sub.cas == "" {
				sub.cas = casOf(v)
			}
		case "part":
			if v != "" && !p.ids.mappedSeen {
				p.ids.mapped, p.ids.mappedSeen = v, true
			}
		case "qty":
			if v == "" {
				p.out.problem(p.path(), p.line(), "<%s> of %s states no value", f.local, f.qtyOwner.describe())
				f.qtyOwner.bad = true
			} else {
				p.setQty(f.qtyOwner, v, f.qtyUnit)
			}
		}
	}
	node := f.node
	p.stack = p.stack[:n-1]
	if node != nil && node.kind == kindProduct {
		p.out.Products = append(p.out.Products, p.resolve(node))
		p.product = nil
	}
}

// finish checks the file as a whole once its root is closed.
func (p *parser) finish() {
	if len(p.out.Products) == 0 {
		p.out.problem("", 0, "the %s declaration lists no <Product>: it supplies nothing", p.out.Format)
	}
}

// resolve turns a product's tree into its rare-earth grams, with a
// problem for each figure that cannot be used.
// allDigits reports whether s is non-empty ASCII digits only.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
