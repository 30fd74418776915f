package inputs

// Suppliers' material declarations: IPC-1752A (Class C and Class D, any
// namespace version) and IEC 62474 XML files list, for each product, its
// homogeneous materials and the substances in them with CAS numbers and
// masses. Their rare-earth content fills BOM lines that give none.
//
// The files are read by local element name (prefixes and namespaces are
// ignored), streaming, with a decoder that refuses DTDs and entities: a
// declaration can neither expand into an XML bomb nor make rexpo open
// another file or URL.

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/internal/cp1252"
	"rexpo/reference"
	"rexpo/schema"
)

// maxDeclarationBytes caps one declaration file: a full declaration of a
// large assembly runs to a few MiB. Tests lower it.
var maxDeclarationBytes int64 = 32 << 20

const (
	// maxDeclarationDepth caps element nesting, far above any schema's.
	maxDeclarationDepth = 64
	// declarationSlack is how far a declared figure may differ from the
	// BOM's before a warning names both: 5%.
	declarationSlack = "0.05"
)

// Declaration is what one declaration file says about rare earths.
type Declaration struct {
	File     string // the file's name as messages give it
	Format   string // "IPC-1752A" or "IEC 62474"; "" when not recognised
	Products []DeclaredProduct
	// Problems are warnings about the file: Sheet is File, Cell the
	// element path (/MainDeclaration/Product[1]/...).
	Problems []Problem
}

// DeclaredProduct is one product of a declaration.
type DeclaredProduct struct {
	PartNumber string // the item number (or the --map field) matched to BOM part numbers
	Name       string
	Unit       string // unitType as declared ("Each"), "" when not stated
	Path       string // element path of the Product, for messages
	// Masses is false when the product declares no material masses (an
	// IPC-1752A Class C or a compliance-only IEC 62474 declaration): it
	// cannot supply content.
	Masses bool
	// Usable is false when a rare-earth figure is broken (missing,
	// negative, duplicated, a percent over 100): the declaration's
	// problems say why, and the product supplies no content.
	Usable bool
	// Grams is the mass of each rare earth in one unit of the product,
	// summed over its materials, oxides and compounds converted to the
	// element: symbol → grams.
	Grams map[string]decimal.Decimal
}

// errDeclTooLarge stops a file that exceeds maxDeclarationBytes.
var errDeclTooLarge = errors.New("too large")

// reSpecies is what a CAS number of a rare-earth substance counts as.
type reSpecies struct {
	element string
	factor  decimal.Decimal // grams of the element per gram of the substance
	formula string          // "Nd2O3"; the symbol for the element itself
}

// reOxides are the rare-earth compounds counted by their own CAS numbers
// (reference section 10; Tm2O3 and Yb2O3 added, check digits verified by
// a test). The element's mass is the compound's × n·A(El) / M(compound).
var reOxides = []struct{ cas, formula string }{
	{"12060-08-1", "Sc2O3"}, {"1314-36-9", "Y2O3"}, {"1312-81-8", "La2O3"}, {"1306-38-3", "CeO2"},
	{"12037-29-5", "Pr6O11"}, {"1313-97-9", "Nd2O3"}, {"12060-58-1", "Sm2O3"}, {"1308-96-9", "Eu2O3"},
	{"12064-62-9", "Gd2O3"}, {"12037-01-3", "Tb4O7"}, {"1308-87-8", "Dy2O3"}, {"12055-62-8", "Ho2O3"},
	{"12061-16-4", "Er2O3"}, {"12036-44-1", "Tm2O3"}, {"1314-37-0", "Yb2O3"}, {"12032-20-1", "Lu2O3"},
}

// atomicWeights are IUPAC standard atomic weights (abridged, 2021 values)
// of the elements the compounds hold; Pm has no stable isotope and no
// compound here.
var atomicWeights = map[string]string{
	"O": "15.999", "Sc": "44.955907", "Y": "88.905838", "La": "138.90547", "Ce": "140.116",
	"Pr": "140.90766", "Nd": "144.242", "Sm": "150.36", "Eu": "151.964", "Gd": "157.249",
	"Tb": "158.925354", "Dy": "162.500", "Ho": "164.930329", "Er": "167.259", "Tm": "168.934219",
	"Yb": "173.045", "Lu": "174.96669",
}

var (
	reSpeciesOnce  sync.Once
	reSpeciesByCAS map[string]reSpecies
	reSpeciesErr   error
)

// rareEarthSpecies returns the rare-earth substances by CAS number: the 17
// elements (data/elements.csv) and reOxides.
func rareEarthSpecies() (map[string]reSpecies, error) {
	reSpeciesOnce.Do(func() {
		m := map[string]reSpecies{}
		for _, sym := range exposure.RareEarths() {
			m[reference.CASNumber(sym)] = reSpecies{element: sym, factor: decimal.NewFromInt(1), formula: sym}
		}
		for _, o := range reOxides {
			el, f, err := elementFraction(o.formula)
			if err != nil {
				reSpeciesErr = err
				return
			}
			m[o.cas] = reSpecies{element: el, factor: f, formula: o.formula}
		}
		if len(m) != 17+len(reOxides) {
			reSpeciesErr = fmt.Errorf("rare-earth substances: %d CAS numbers, want %d", len(m), 17+len(reOxides))
			return
		}
		reSpeciesByCAS = m
	})
	return reSpeciesByCAS, reSpeciesErr
}

// elementFraction parses a formula such as Pr6O11 and returns its rare
// earth and the mass fraction of it, to 12 places.
func elementFraction(formula string) (string, decimal.Decimal, error) {
	var el string
	var part, total decimal.Decimal
	for i := 0; i < len(formula); {
		j := i + 1
		for j < len(formula) && formula[j] >= 'a' && formula[j] <= 'z' {
			j++
		}
		sym := formula[i:j]
		k := j
		for k < len(formula) && formula[k] >= '0' && formula[k] <= '9' {
			k++
		}
		n := int64(1)
		if k > j {
			fmt.Sscan(formula[j:k], &n)
		}
		w, ok := atomicWeights[sym]
		if !ok {
			return "", decimal.Zero, fmt.Errorf("formula %s: no atomic weight for %q", formula, sym)
		}
		m := decimal.RequireFromString(w).Mul(decimal.NewFromInt(n))
		total = total.Add(m)
		if sym != "O" {
			el, part = sym, part.Add(m)
		}
		i = k
	}
	if el == "" || total.IsZero() {
		return "", decimal.Zero, fmt.Errorf("formula %s holds no rare earth", formula)
	}
	return el, part.DivRound(total, 12), nil
}

// declKind is what a declaration element stands for.
type declKind uint8

const (
	declOther     declKind = iota
	declProduct            // Product
	declPart               // ProductPart, a nested Product, ...
	declMaterial           // HomogeneousMaterial (IPC-1752A), Material (IEC 62474)
	declSubstance          // Substance
)

// declRoots are the root elements accepted: IPC-1752A's MainDeclaration
// and IEC 62474's Main (DeclarationContent is read as IEC 62474 too).
var declRoots = map[string]string{"MainDeclaration": "IPC-1752A", "Main": "IEC 62474", "DeclarationContent": "IEC 62474"}

// declContainers are the elements that hold materials or substances and
// may state their own mass.
var declContainers = map[string]declKind{
	"Product": declProduct, "ProductPart": declPart, "SubProduct": declPart, "SubPart": declPart,
	"MaterialGroup": declPart, "HomogeneousMaterial": declMaterial, "Material": declMaterial,
	"Substance": declSubstance,
}

// declIndexed are the elements whose path segments carry a 1-based index
// among their siblings, so a message points at one of many.
var declIndexed = map[string]bool{
	"Product": true, "ProductPart": true, "SubProduct": true, "SubPart": true, "MaterialGroup": true,
	"HomogeneousMaterial": true, "Material": true, "Substance": true, "SubstanceCategory": true,
}

// declQuantities are the elements that state a mass or a share, and the
// unit each implies when it names none.
var declQuantities = map[string]string{
	"Amount": "", "Mass": "", "MassValue": "", "Weight": "",
	"MassPercent": "%", "Concentration": "%", "PPM": "ppm",
}

// declQty is a mass or a share as declared.
type declQty struct {
	grams    decimal.Decimal // absolute, when !relative
	fraction decimal.Decimal // of the container's mass, when relative
	relative bool
	text     string // as written: "30.0 g", "12 %"
}

// declNode is a product, part, material or substance of one product.
type declNode struct {
	kind     declKind
	name     string
	path     string
	line     int
	parent   *declNode
	children []*declNode
	abs, rel *declQty // the first absolute and relative quantities stated
	cas      string
	bad      bool // a quantity of this node is broken
}

// describe names a node for a message: `substance "Neodymium oxide" (CAS 1313-97-9)`.
func (n *declNode) describe() string {
	kind := map[declKind]string{declProduct: "product", declPart: "part", declMaterial: "material", declSubstance: "substance"}[n.kind]
	s := kind
	if n.name != "" {
		s += fmt.Sprintf(" %q", n.name)
	}
	if n.cas != "" {
		s += " (CAS " + n.cas + ")"
	}
	return s
}

// declFrame is one open element.
type declFrame struct {
	local  string
	seg    string
	counts map[string]int // children seen, for indexed names
	node   *declNode      // the node this element opened
	text   *strings.Builder
	textOf string // what the text is: "cas", "part" or "qty"
	// qtyOwner and qtyUnit are the node and unit of a quantity whose
	// value is the element's text.
	qtyOwner *declNode
	qtyUnit  string
}

// declParser reads one declaration.
type declParser struct {
	out       *Declaration
	partField string // NormalizeKey of the --map field, "" for the default
	fieldName string // the --map field as written
	species   map[string]reSpecies
	dec       *xml.Decoder
	stack     []declFrame
	product   *declNode
	ids       productIDs
}

// productIDs are the identifiers met inside the current product.
type productIDs struct {
	item, identifier, mapped, name, unit string
	mappedSeen                           bool
}

// ParseDeclaration reads one declaration from r. name is the file name
// that messages give; partField, when not empty, names the attribute or
// element whose value is matched to BOM part numbers (--map
// declaration_part_number). A broken file yields problems, never an error
// or a panic.
func ParseDeclaration(r io.Reader, name, partField string) Declaration {
	d := Declaration{File: name}
	species, err := rareEarthSpecies()
	if err != nil {
		d.problem("", 0, "cannot read declarations: %v", err)
		return d
	}
	p := &declParser{out: &d, partField: schema.NormalizeKey(partField), fieldName: partField, species: species}
	p.run(r)
	return d
}

// problem records a warning about the file.
func (d *Declaration) problem(path string, line int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if line > 0 {
		msg = fmt.Sprintf("line %d: %s", line, msg)
	}
	d.Problems = append(d.Problems, Problem{Sheet: d.File, Cell: path, Message: msg})
}

// limitedReader returns errDeclTooLarge once more than n bytes are read.
// io.LimitReader would end a large file with a quiet EOF, which the
// decoder reports as broken XML; this error says what happened.
type limitedReader struct {
	r io.Reader
	n int64
}

func (l *limitedReader) Read(b []byte) (int, error) {
	if l.n <= 0 {
		return 0, errDeclTooLarge
	}
	if int64(len(b)) > l.n {
		b = b[:l.n]
	}
	n, err := l.r.Read(b)
	l.n -= int64(n)
	return n, err
}

func (p *declParser) run(r io.Reader) {
	src, err := declSource(&limitedReader{r: r, n: maxDeclarationBytes + 1})
	if err != nil {
		p.fail(err)
		return
	}
	p.dec = xml.NewDecoder(src)
	p.dec.Strict = true
	p.dec.CharsetReader = declCharset
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
func (p *declParser) fail(err error) {
	var se *xml.SyntaxError
	switch {
	case errors.Is(err, errDeclTooLarge):
		p.out.problem("", 0, "the file is larger than %d MiB: not read", maxDeclarationBytes>>20)
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
func (p *declParser) line() int {
	l, _ := p.dec.InputPos()
	return l
}

// path returns the element path of the open elements.
func (p *declParser) path() string {
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
func (p *declParser) start(t xml.StartElement) bool {
	local := t.Name.Local
	f := declFrame{local: local, seg: local}
	if n := len(p.stack); n > 0 && declIndexed[local] {
		parent := &p.stack[n-1]
		if parent.counts == nil {
			parent.counts = map[string]int{}
		}
		parent.counts[local]++
		f.seg = local + "[" + strconv.Itoa(parent.counts[local]) + "]"
	}
	if len(p.stack) == 0 {
		format, ok := declRoots[local]
		if !ok {
			p.out.problem("/"+local, p.line(), "the root element is <%s>, not an IPC-1752A <MainDeclaration> or an IEC 62474 <Main>: not a material declaration", local)
			return false
		}
		p.out.Format = format
	}
	if len(p.stack) >= maxDeclarationDepth {
		p.out.problem(p.path(), p.line(), "elements nested deeper than %d: the file is not read on", maxDeclarationDepth)
		p.out.Products = nil
		return false
	}
	p.stack = append(p.stack, f)
	top := &p.stack[len(p.stack)-1]
	if p.product == nil {
		if local == "Product" {
			p.product = p.open(top, declProduct, t)
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
	if kind, ok := declContainers[local]; ok {
		if kind == declProduct {
			kind = declPart // a product inside a product is one of its parts
		}
		n := p.open(top, kind, t)
		if kind == declSubstance {
			n.cas = casOf(attr(t, "casNumber", "cas", "CASNumber"))
		}
		return true
	}
	if unit, ok := declQuantities[local]; ok {
		if n := p.quantityOwner(); n != nil {
			p.quantity(n, t, unit)
		}
		return true
	}
	if sub := p.innermost(); sub != nil && sub.kind == declSubstance && isSubstanceID(local) {
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
func (p *declParser) productAttrs(t xml.StartElement, local string) {
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
func (p *declParser) open(f *declFrame, kind declKind, t xml.StartElement) *declNode {
	n := &declNode{kind: kind, path: p.path(), line: p.line(), name: attr(t, "name", "itemName")}
	n.parent = p.innermost()
	if n.parent != nil {
		n.parent.children = append(n.parent.children, n)
	}
	f.node = n
	// A share or a mass may be stated as an attribute of the element.
	if v := attr(t, "massPercent", "percent", "weightPercent"); v != "" {
		p.setQty(n, v, "%")
	} else if v := attr(t, "mass", "weight"); v != "" && kind != declProduct {
		p.setQty(n, v, attr(t, "unitOfMeasure", "UOM", "unit", "uom"))
	}
	return n
}

// innermost returns the innermost open node, or nil.
func (p *declParser) innermost() *declNode {
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
func (p *declParser) quantityOwner() *declNode {
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
func (p *declParser) quantity(n *declNode, t xml.StartElement, unit string) {
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

// declUnits convert a unit to grams (absolute) or to a fraction
// (relative), by NormalizeKey of the unit.
var declUnits = map[string]struct {
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
func (p *declParser) setQty(n *declNode, v, unit string) {
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
	conv, ok := declUnits[schema.NormalizeKey(unit)] // "%", "wt%", "mass %" normalise to "", "wt", "mass"
	if !ok {
		p.out.problem(p.path(), p.line(), "%s: unknown unit %q (expected mg, g, kg, ppm or a mass percent)", n.describe(), unit)
		n.bad = true
		return
	}
	d, err := parseDeclNumber(v)
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
	q := &declQty{text: text, relative: conv.relative}
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

// parseDeclNumber parses an XML decimal ("30.0", "-1", "1.5E-3"). The
// exponent is kept small, so that "1e999999999" cannot make later
// arithmetic allocate without end.
func parseDeclNumber(s string) (decimal.Decimal, error) {
	if s == "" || len(s) > 40 {
		return decimal.Zero, errors.New("not a number")
	}
	mant, exp := s, ""
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp = s[:i], s[i+1:]
		e := strings.TrimLeft(exp, "+-")
		if e == "" || len(e) > 2 || !valAllDigits(e) {
			return decimal.Zero, errors.New("not a number")
		}
	}
	m := strings.TrimLeft(mant, "+-")
	if len(mant)-len(m) > 1 {
		return decimal.Zero, errors.New("not a number")
	}
	intPart, frac, _ := strings.Cut(m, ".")
	if intPart == "" && frac == "" || intPart != "" && !valAllDigits(intPart) || frac != "" && !valAllDigits(frac) {
		return decimal.Zero, errors.New("not a number")
	}
	return decimal.NewFromString(s)
}

// end handles an element's end.
func (p *declParser) end() {
	n := len(p.stack)
	if n == 0 {
		return
	}
	f := &p.stack[n-1]
	if f.text != nil {
		v := strings.TrimSpace(f.text.String())
		switch f.textOf {
		case "cas":
			if sub := p.innermost(); sub != nil && sub.kind == declSubstance && sub.cas == "" {
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
	if node != nil && node.kind == declProduct {
		p.out.Products = append(p.out.Products, p.resolve(node))
		p.product = nil
	}
}

// finish checks the file as a whole once its root is closed.
func (p *declParser) finish() {
	if len(p.out.Products) == 0 {
		p.out.problem("", 0, "the %s declaration lists no <Product>: it supplies nothing", p.out.Format)
	}
}

// resolve turns a product's tree into its rare-earth grams, with a
// problem for each figure that cannot be used.
func (p *declParser) resolve(prod *declNode) DeclaredProduct {
	ids := p.ids
	dp := DeclaredProduct{Name: ids.name, Unit: ids.unit, Path: prod.path, Usable: true, Grams: map[string]decimal.Decimal{}}
	switch {
	case p.partField != "" && ids.mappedSeen:
		dp.PartNumber = ids.mapped
	case ids.item != "":
		dp.PartNumber = ids.item
	default:
		dp.PartNumber = ids.identifier
	}
	if p.partField != "" && !ids.mappedSeen {
		p.out.problem(prod.path, prod.line, "no attribute or element %q (--map %s) in this product: matched by its item number %q instead", p.fieldName, schema.DeclarationPartKey, dp.PartNumber)
	}
	if dp.PartNumber == "" {
		p.out.problem(prod.path, prod.line, "the product has no itemNumber (IPC-1752A) or identifier (IEC 62474) in its ProductID: it cannot be matched to a BOM line")
		dp.Usable = false
	}
	who := fmt.Sprintf("part %q", dp.PartNumber)

	// Grams of each container, from its own mass or a share of its parent's.
	massOf := map[*declNode]decimal.Decimal{}
	var walk func(n *declNode, parentG *decimal.Decimal)
	hasMaterials := false
	walk = func(n *declNode, parentG *decimal.Decimal) {
		if n.kind == declSubstance {
			return
		}
		if n.kind == declMaterial {
			hasMaterials = true
		}
		var mine *decimal.Decimal
		switch {
		case n.abs != nil:
			g := n.abs.grams
			mine = &g
		case n.rel != nil && parentG != nil:
			g := parentG.Mul(n.rel.fraction)
			mine = &g
		}
		if mine != nil {
			massOf[n] = *mine
		}
		for _, c := range n.children {
			walk(c, mine)
		}
	}
	walk(prod, nil)

	var substances []*declNode
	var collect func(n *declNode)
	collect = func(n *declNode) {
		for _, c := range n.children {
			if c.kind == declSubstance {
				substances = append(substances, c)
			}
			collect(c)
		}
	}
	collect(prod)

	anyMass := hasMaterials
	var reNamed []string
	seen := map[*declNode]map[string]*declNode{} // container → substance key → first
	for _, s := range substances {
		sp, isRE := p.species[s.cas]
		if s.abs != nil || s.rel != nil {
			anyMass = true
		}
		// Duplicates within one container.
		key := s.cas
		if key == "" {
			key = "name:" + strings.ToLower(s.name)
		}
		if seen[s.parent] == nil {
			seen[s.parent] = map[string]*declNode{}
		}
		if first, dup := seen[s.parent][key]; dup && key != "name:" {
			p.out.problem(s.path, s.line, "%s is listed twice in %s (first at line %d)", s.describe(), containerName(s.parent), first.line)
			if isRE {
				dp.Usable = false
			}
			continue
		}
		seen[s.parent][key] = s
		if !isRE {
			if s.cas == "" {
				if sym, err := reference.LookupElement(s.name); err == nil && exposure.IsRareEarth(sym) {
					p.out.problem(s.path, s.line, "%s has no CAS number: its %s is not counted", s.describe(), reference.ElementName(sym))
					dp.Usable = false
				}
			}
			continue
		}
		reNamed = append(reNamed, sp.element)
		if s.bad || brokenAbove(s) {
			dp.Usable = false // the problem is already listed
			continue
		}
		var grams decimal.Decimal
		switch {
		case s.abs != nil:
			grams = s.abs.grams
		case s.rel != nil:
			base, ok := p.baseOf(s, massOf)
			if !ok {
				if hasMaterials || prod.abs != nil {
					p.out.problem(s.path, s.line, "%s is given as %s, but %s states no mass: its grams are unknown", s.describe(), s.rel.text, containerName(s.parent))
					dp.Usable = false
				}
				continue
			}
			grams = base.Mul(s.rel.fraction)
		default:
			if hasMaterials {
				p.out.problem(s.path, s.line, "%s states no mass", s.describe())
				dp.Usable = false
			}
			continue
		}
		dp.Grams[sp.element] = dp.Grams[sp.element].Add(grams.Mul(sp.factor))
	}
	dp.Masses = anyMass
	p.checkTotals(prod, massOf)
	switch {
	case !dp.Masses:
		named := ""
		if len(reNamed) > 0 {
			named = fmt.Sprintf(" (it names %s, without masses)", strings.Join(uniqueSorted(reNamed), ", "))
		}
		p.out.problem(prod.path, prod.line, "%s: the declaration gives no material masses (an IPC-1752A Class C or compliance-only declaration): it cannot supply rare-earth content%s", who, named)
		dp.Usable = false
	case !dp.Usable && dp.PartNumber != "":
		p.out.problem(prod.path, prod.line, "%s: a rare-earth figure of this declaration is broken (see the problems above): it supplies no content", who)
	}
	return dp
}

// baseOf returns the grams a share of substance s is taken of: its
// homogeneous material's, or where it sits in no material, the nearest
// part's or product's that states a mass.
func (p *declParser) baseOf(s *declNode, massOf map[*declNode]decimal.Decimal) (decimal.Decimal, bool) {
	for a := s.parent; a != nil; a = a.parent {
		if a.kind == declMaterial {
			g, ok := massOf[a]
			return g, ok
		}
	}
	for a := s.parent; a != nil; a = a.parent {
		if g, ok := massOf[a]; ok {
			return g, true
		}
	}
	return decimal.Zero, false
}

// brokenAbove reports whether a container holding n has a broken mass.
func brokenAbove(n *declNode) bool {
	for a := n.parent; a != nil; a = a.parent {
		if a.bad {
			return true
		}
		if a.kind == declMaterial {
			return false // only the material's own mass counts for its substances
		}
	}
	return false
}

// checkTotals warns about a material whose substances weigh more than it
// (by more than 1%): a unit slip the supplier should fix.
func (p *declParser) checkTotals(n *declNode, massOf map[*declNode]decimal.Decimal) {
	if n.kind == declMaterial {
		if g, ok := massOf[n]; ok && g.Sign() > 0 {
			sum := decimal.Zero
			for _, c := range n.children {
				if c.kind != declSubstance || c.bad {
					continue
				}
				switch {
				case c.abs != nil:
					sum = sum.Add(c.abs.grams)
				case c.rel != nil:
					sum = sum.Add(g.Mul(c.rel.fraction))
				}
			}
			if sum.GreaterThan(g.Mul(decimal.RequireFromString("1.01"))) {
				p.out.problem(n.path, n.line, "the substances of %s add up to %s g, more than its %s g", n.describe(), sum.Round(6), g.Round(6))
			}
		}
	}
	for _, c := range n.children {
		p.checkTotals(c, massOf)
	}
}

func containerName(n *declNode) string {
	if n == nil {
		return "its container"
	}
	return n.describe()
}

func uniqueSorted(in []string) []string {
	sort.Strings(in)
	out := in[:0]
	for i, s := range in {
		if i == 0 || s != in[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// declSource prepares a file's bytes for the XML decoder: a UTF-16 file
// (by its byte-order mark) is turned into UTF-8, and a UTF-8 BOM dropped.
func declSource(r io.Reader) (io.Reader, error) {
	var head [2]byte
	n, err := io.ReadFull(r, head[:])
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	start := io.MultiReader(bytes.NewReader(head[:n]), r)
	if n == 2 && (head == [2]byte{0xFE, 0xFF} || head == [2]byte{0xFF, 0xFE}) {
		data, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		big := head[0] == 0xFE
		u := make([]uint16, 0, len(data)/2)
		for i := 0; i+1 < len(data); i += 2 {
			if big {
				u = append(u, uint16(data[i])<<8|uint16(data[i+1]))
			} else {
				u = append(u, uint16(data[i+1])<<8|uint16(data[i]))
			}
		}
		var b bytes.Buffer
		for _, c := range utf16.Decode(u) {
			b.WriteRune(c)
		}
		return &b, nil
	}
	br := &bomSkipper{r: start}
	return br, nil
}

// bomSkipper drops a UTF-8 byte-order mark at the start.
type bomSkipper struct {
	r       io.Reader
	started bool
	pending []byte
}

func (s *bomSkipper) Read(b []byte) (int, error) {
	if !s.started {
		s.started = true
		var head [3]byte
		n, err := io.ReadFull(s.r, head[:])
		if n == 3 && head == [3]byte{0xEF, 0xBB, 0xBF} {
			n = 0
		}
		s.pending = append(s.pending, head[:n]...)
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return 0, err
		}
	}
	if len(s.pending) > 0 {
		n := copy(b, s.pending)
		s.pending = s.pending[n:]
		return n, nil
	}
	return s.r.Read(b)
}

// declCharset lets the decoder read the encodings declarations are saved
// in besides UTF-8: Latin-1 and Windows-1252, and UTF-16 (already turned
// into UTF-8 by declSource).
func declCharset(charset string, in io.Reader) (io.Reader, error) {
	switch schema.NormalizeKey(charset) {
	case "utf8", "usascii", "ascii", "utf16", "utf16le", "utf16be":
		return in, nil
	case "iso88591", "latin1", "l1", "windows1252", "cp1252", "iso885915":
		return &latin1Reader{r: in}, nil
	}
	return nil, fmt.Errorf("the file is encoded as %q: save it as UTF-8", charset)
}

// latin1Reader turns Windows-1252 (a superset of Latin-1's printable
// characters) into UTF-8.
type latin1Reader struct {
	r   io.Reader
	out []byte
	buf [2048]byte
}

func (l *latin1Reader) Read(b []byte) (int, error) {
	for len(l.out) == 0 {
		n, err := l.r.Read(l.buf[:])
		for _, c := range l.buf[:n] {
			l.out = cp1252.AppendRune(l.out, c)
		}
		if err != nil {
			if len(l.out) > 0 {
				break
			}
			return 0, err
		}
	}
	n := copy(b, l.out)
	l.out = l.out[n:]
	return n, nil
}

// ReadDeclarations reads the declaration file name of fsys, or every
// .xml file under it when it is a folder (in name order, read in
// parallel). display is the name messages give the file or folder. An
// error means name cannot be read at all; broken files yield problems.
func ReadDeclarations(fsys fs.FS, name, display, partField string) ([]Declaration, error) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	type file struct {
		name, display string
		special       bool // not a regular file: a pipe would block the read for ever
	}
	var files []file
	if !st.IsDir() {
		if !st.Mode().IsRegular() {
			return nil, fmt.Errorf("%s: not a regular file (%s)", display, st.Mode().Type())
		}
		files = append(files, file{name: name, display: display})
	} else {
		err := fs.WalkDir(fsys, name, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if p != name && strings.HasPrefix(e.Name(), ".") {
				if e.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if !e.IsDir() && strings.EqualFold(path.Ext(e.Name()), ".xml") {
				rel := strings.TrimPrefix(strings.TrimPrefix(p, name), "/")
				if name == "." {
					rel = p
				}
				regular := e.Type().IsRegular()
				if e.Type()&fs.ModeSymlink != 0 {
					st, err := fs.Stat(fsys, p) // where the link leads, if fsys lets it
					regular = err == nil && st.Mode().IsRegular()
				}
				files = append(files, file{name: p, display: path.Join(strings.TrimSuffix(display, "/"), rel), special: !regular})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	}
	out := make([]Declaration, len(files))
	work := make(chan int)
	var wg sync.WaitGroup
	var crash sync.Once
	var crashed any // a worker's panic, raised again in the caller's goroutine
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(files)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					crash.Do(func() { crashed = p })
					for range work { // the others' share, so that the sender ends
					}
				}
			}()
			for i := range work {
				if files[i].special {
					out[i] = Declaration{File: files[i].display}
					out[i].problem("", 0, "skipped: not a regular file (a pipe, a device, or a link that leads out of the folder or nowhere)")
					continue
				}
				f, err := fsys.Open(files[i].name)
				if err != nil {
					out[i] = Declaration{File: files[i].display}
					out[i].problem("", 0, "cannot open: %v", err)
					continue
				}
				out[i] = ParseDeclaration(f, files[i].display, partField)
				f.Close()
			}
		}()
	}
	for i := range files {
		work <- i
	}
	close(work)
	wg.Wait()
	if crashed != nil {
		panic(crashed)
	}
	return out, nil
}
