package declaration

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/reference"
	"rexpo/schema"
)

// resolve turns a product's tree of parts, materials and substances
// into the grams of each rare earth in one unit of it. A figure that
// cannot be trusted (broken, listed twice, without a CAS number or a
// mass to take a share of) makes the whole product unusable rather than
// short: a declaration that undercounts would look like a clean one.
func (p *parser) resolve(prod *node) Product {
	dp := p.identify(prod)
	massOf := map[*node]decimal.Decimal{}
	hasMaterials := containerMasses(massOf, prod, nil)
	anyMass := hasMaterials              // a material or a substance states a quantity
	var reNamed []string                 // the rare earths named, for judge's message
	seen := map[*node]map[string]*node{} // container → substance key → first
	for _, s := range appendSubstances(nil, prod) {
		sp, isRE := p.species[s.cas]
		if s.abs != nil || s.rel != nil {
			anyMass = true
		}
		if p.listedTwice(s, seen) {
			if isRE {
				dp.Usable = false
			}
			continue
		}
		if !isRE {
			p.checkUnnumbered(&dp, s)
			continue
		}
		reNamed = append(reNamed, sp.element)
		if s.bad || brokenAbove(s) {
			dp.Usable = false // the problem is already listed
			continue
		}
		if grams, ok := p.substanceGrams(&dp, prod, s, massOf, hasMaterials); ok {
			dp.Grams[sp.element] = dp.Grams[sp.element].Add(grams.Mul(sp.factor))
		}
	}
	dp.Masses = anyMass
	p.checkTotals(prod, massOf)
	p.judge(&dp, prod, reNamed)
	return dp
}

// identify starts the product with its names and unit and its part
// number: the --map field when the product has it, else the IPC-1752A
// itemNumber, else the IEC 62474 identifier.
func (p *parser) identify(prod *node) Product {
	ids := p.ids
	dp := Product{Name: ids.name, Unit: ids.unit, Path: prod.path, Usable: true, Grams: map[string]decimal.Decimal{}}
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
	return dp
}

// containerMasses records in massOf the grams of n and of each container
// under it (product, part, material) that states a mass, or a share of
// its parent's (parentG, nil when the parent's is unknown), and reports
// whether any of them is a homogeneous material.
func containerMasses(massOf map[*node]decimal.Decimal, n *node, parentG *decimal.Decimal) (hasMaterials bool) {
	if n.kind == kindSubstance {
		return false
	}
	hasMaterials = n.kind == kindMaterial
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
		if containerMasses(massOf, c, mine) {
			hasMaterials = true
		}
	}
	return hasMaterials
}

// appendSubstances appends the substances under n to out, in document
// order.
func appendSubstances(out []*node, n *node) []*node {
	for _, c := range n.children {
		if c.kind == kindSubstance {
			out = append(out, c)
		}
		out = appendSubstances(out, c)
	}
	return out
}

// checkUnnumbered records a substance without a CAS number whose name
// is a rare earth's: its mass cannot be counted by CAS number, so the
// product is unusable rather than short of it.
func (p *parser) checkUnnumbered(dp *Product, s *node) {
	if s.cas != "" {
		return
	}
	if sym, err := reference.LookupElement(s.name); err == nil && exposure.IsRareEarth(sym) {
		p.out.problem(s.path, s.line, "%s has no CAS number: its %s is not counted", s.describe(), reference.ElementName(sym))
		dp.Usable = false
	}
}

// listedTwice reports (and records) a substance listed a second time in
// the same container, by CAS number or, without one, by name.
func (p *parser) listedTwice(s *node, seen map[*node]map[string]*node) bool {
	key := s.cas
	if key == "" {
		key = "name:" + strings.ToLower(s.name)
	}
	if seen[s.parent] == nil {
		seen[s.parent] = map[string]*node{}
	}
	if first, dup := seen[s.parent][key]; dup && key != "name:" {
		p.out.problem(s.path, s.line, "%s is listed twice in %s (first at line %d)", s.describe(), containerName(s.parent), first.line)
		return true
	}
	seen[s.parent][key] = s
	return false
}

// substanceGrams is a rare-earth substance's grams: its own mass, or its
// share of the mass it is a share of (baseOf). Without either, a product
// with masses elsewhere gets a problem and is unusable; one without any
// (a compliance-only declaration) is judged as a whole by judge.
func (p *parser) substanceGrams(dp *Product, prod, s *node, massOf map[*node]decimal.Decimal, hasMaterials bool) (decimal.Decimal, bool) {
	switch {
	case s.abs != nil:
		return s.abs.grams, true
	case s.rel != nil:
		base, ok := p.baseOf(s, massOf)
		if !ok {
			if hasMaterials || prod.abs != nil {
				p.out.problem(s.path, s.line, "%s is given as %s, but %s states no mass: its grams are unknown", s.describe(), s.rel.text, containerName(s.parent))
				dp.Usable = false
			}
			return decimal.Decimal{}, false
		}
		return base.Mul(s.rel.fraction), true
	}
	if hasMaterials {
		p.out.problem(s.path, s.line, "%s states no mass", s.describe())
		dp.Usable = false
	}
	return decimal.Decimal{}, false
}

// judge says, once for the product, why it supplies no content: it gives
// no masses at all, or one of its rare-earth figures is broken.
func (p *parser) judge(dp *Product, prod *node, reNamed []string) {
	who := fmt.Sprintf("part %q", dp.PartNumber)
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
}

// baseOf returns the grams a share of substance s is taken of: its
// homogeneous material's, or where it sits in no material, the nearest
// part's or product's that states a mass.
func (p *parser) baseOf(s *node, massOf map[*node]decimal.Decimal) (decimal.Decimal, bool) {
	for a := s.parent; a != nil; a = a.parent {
		if a.kind == kindMaterial {
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
func brokenAbove(n *node) bool {
	for a := n.parent; a != nil; a = a.parent {
		if a.bad {
			return true
		}
		if a.kind == kindMaterial {
			return false // only the material's own mass counts for its substances
		}
	}
	return false
}

// checkTotals warns about a material whose substances weigh more than it
// (by more than 1%): a unit slip the supplier should fix.
func (p *parser) checkTotals(n *node, massOf map[*node]decimal.Decimal) {
	if n.kind == kindMaterial {
		if g, ok := massOf[n]; ok && g.Sign() > 0 {
			sum := decimal.Zero
			for _, c := range n.children {
				if c.kind != kindSubstance || c.bad {
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

// containerName names a substance's container for a message.
func containerName(n *node) string {
	if n == nil {
		return "its container"
	}
	return n.describe()
}

// uniqueSorted sorts in and drops repeats, in place.
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

// decodeSource prepares a file's bytes for the XML decoder: a UTF-16 file
