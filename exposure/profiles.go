package exposure

import (
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"rexpo/internal/dec128"
)

// sum128 is a running sum of decimals, exactly decimal's (zero at
// exponent 0, then Add after Add), kept in dec128 while it fits and in a
// decimal.Decimal from then on.
type sum128 struct {
	x   dec128.Decimal
	d   decimal.Decimal
	big bool
}

// add adds v, which must not be Over.
func (s *sum128) add(v dec128.Decimal, dc *dec128.Converter) {
	if !s.big {
		if y := s.x.Add(v); !y.Over() {
			s.x = y
			return
		}
		s.d, s.big = dc.Decimal(s.x), true
	}
	s.d = s.d.Add(dc.Decimal(v))
}

// addDecimal adds v.
func (s *sum128) addDecimal(v decimal.Decimal, dc *dec128.Converter) {
	if noDec128 && !s.big {
		s.d, s.big = dc.Decimal(s.x), true
	}
	if !s.big {
		if y := s.x.Add(dec128.Of(v)); !y.Over() {
			s.x = y
			return
		}
		s.d, s.big = dc.Decimal(s.x), true
	}
	s.d = s.d.Add(v)
}

// decimal returns the sum.
func (s *sum128) decimal(dc *dec128.Converter) decimal.Decimal {
	if s.big {
		return s.d
	}
	return dc.Decimal(s.x)
}

// profileBuilder gives the lines' sources their profiles and sums the
// profiles' aggregates (buildProfiles). Sources alike in everything a
// profile is made of find theirs in memo without building its key.
type profileBuilder struct {
	m      *model
	cn     *canonicaliser
	byKey  map[string]*profile
	memo   map[profileMemo]*profile
	kb     strings.Builder
	dc     dec128.Converter
	elems  []int
	stage  [NumStages]map[string]*sum128 // annual rare-earth kg by stage and country
	sums   map[*aggregate]*aggregateSums
	srcBuf []*profile // srcProfile's slices are cut from it
	// One line's figures in dec128.
	kg, qx, share []dec128.Decimal
}

// profileMemo is what decides a source's profile, as the line and the
// source give it: the profile is a function of it.
type profileMemo struct {
	countries   [NumStages]string
	hre, origin string
	product     int
	material    string
	hs          string
	elems       uint64 // bit e: element index e has mass
}

// aggregateSums are an aggregate's sums while the lines are read.
type aggregateSums struct {
	mass        []sum128
	value, cost sum128
}

// buildProfiles gives every source its profile and adds the line to the
// profile's per-product aggregate.
func (m *model) buildProfiles() error {
	lines := m.in.BOM.Lines
	b := &profileBuilder{m: m, cn: m.canonicaliser(), byKey: map[string]*profile{}, memo: map[profileMemo]*profile{}, sums: map[*aggregate]*aggregateSums{}}
	m.srcProfile = make([][]*profile, len(lines))
	m.risk = make([]riskSet, len(m.in.BOM.Products))
	for g := range b.stage {
		b.stage[g] = map[string]*sum128{}
	}
	for i := range lines {
		if i%4096 == 0 && m.stopped() {
			return m.ctxErr()
		}
		if err := b.line(i); err != nil {
			return err
		}
	}
	b.finish()
	return nil
}

// line gives line i's sources their profiles and adds its figures.
func (b *profileBuilder) line(i int) error {
	m := b.m
	l := &m.in.BOM.Lines[i]
	b.elems = b.elems[:0]
	var mask uint64
	memoOK := len(m.elements) <= 64
	reKg := sum128{} // rare-earth kg per unit of the part
	for _, c := range l.Content {
		if c.Kg.Sign() > 0 {
			e := m.elemIdx[c.Element]
			b.elems = append(b.elems, e)
			if e < 64 {
				mask |= 1 << e
			}
			if rareEarths[c.Element] {
				reKg.addDecimal(c.Kg, &b.dc)
			}
		}
	}
	sort.Ints(b.elems)
	pi := m.prodIdx[l.Product]
	if len(b.srcBuf) < len(l.Sources) {
		b.srcBuf = make([]*profile, max(len(l.Sources), 4096))
	}
	m.srcProfile[i], b.srcBuf = b.srcBuf[:len(l.Sources):len(l.Sources)], b.srcBuf[len(l.Sources):]
	for j := range l.Sources {
		src := &l.Sources[j]
		key := profileMemo{countries: src.Countries, hre: src.hreSeparation(), origin: src.origin(), product: pi, material: l.Material, hs: l.HSCode, elems: mask}
		p := b.memo[key]
		if p == nil || !memoOK {
			var err error
			if p, err = b.profile(l, src, pi); err != nil {
				return err
			}
			if memoOK {
				b.memo[key] = p
			}
		}
		m.srcProfile[i][j] = p
	}
	reKgD := reKg.decimal(&b.dc)
	if !b.add128(i, pi, reKg) {
		b.addDecimal(i, pi, reKgD)
	}
	if !reKgD.IsZero() {
		m.risk[pi].add(m.srcProfile[i], l.Sources)
	}
	return nil
}

// profile returns the profile of a source of line l, made and filled the
// first time its key is seen.
func (b *profileBuilder) profile(l *Line, src *Source, pi int) (*profile, error) {
	m, cn := b.m, b.cn
	family := m.familyOf(l.Material)
	hs, material := cn.hs(digitsOnly(l.HSCode)), cn.material(l.Material)
	importer := m.importOf[pi]
	var countries [NumStages]string
	for g, c := range src.Countries {
		countries[g] = cn.country(c)
	}
	hreSep, origin := cn.country(src.hreSeparation()), cn.country(src.origin())
	kb := &b.kb
	kb.Reset()
	kb.WriteString(m.classKey(countries, hreSep, family))
	for _, part := range []string{origin, importer, material, hs} {
		kb.WriteByte('|')
		kb.WriteString(part)
	}
	for _, e := range b.elems {
		kb.WriteByte('|')
		kb.WriteString(strconv.Itoa(e))
	}
	key := kb.String()
	if p := b.byKey[key]; p != nil {
		return p, nil
	}
	p := &profile{key: key, countries: countries, hreSep: hreSep, origin: origin, importer: importer,
		family: family, material: material, hs: hs, elems: append([]int(nil), b.elems...)}
	if err := m.fillProfile(p); err != nil {
		return nil, err
	}
	b.byKey[key] = p
	p.id = len(m.profiles)
	m.profiles = append(m.profiles, p)
	return p, nil
}

// aggregateOf returns profile p's aggregate for product pi and its sums,
// marking it used.
func (b *profileBuilder) aggregateOf(p *profile, pi int) *aggregateSums {
	m := b.m
	if p.agg == nil {
		p.agg = make([]aggregate, len(m.in.BOM.Products))
	}
	a := &p.agg[pi]
	if !a.used {
		a.used = true
		m.byProduct[pi] = append(m.byProduct[pi], p)
		a.mass = make([]decimal.Decimal, len(m.elements))
		b.sums[a] = &aggregateSums{mass: make([]sum128, len(m.elements))}
	}
	return b.sums[a]
}

// add128 adds line i's figures in dec128: its annual rare-earth kg by
// stage and country, and for each source Q·x·m_e, Q·x·B and (cost-bearing
// lines) Q·x·c to its profile's aggregate. False, with nothing added,
// when a figure does not fit.
func (b *profileBuilder) add128(i, pi int, reKg sum128) bool {
	m := b.m
	l := &m.in.BOM.Lines[i]
	value, ok := m.materialValue128(l)
	qty := dec128.Of(m.qty[i])
	annualRE := reKg.x.Mul(qty).Mul(dec128.Of(m.in.BOM.Products[pi].AnnualVolume))
	if reKg.big || !ok || qty.Over() || annualRE.Over() || noDec128 {
		return false
	}
	b.kg = b.kg[:0]
	for _, c := range l.Content {
		x := dec128.Decimal{}
		if c.Kg.Sign() > 0 {
			if x = dec128.Of(c.Kg); x.Over() {
				return false
			}
		}
		b.kg = append(b.kg, x)
	}
	b.share, b.qx = b.share[:0], b.qx[:0]
	for j := range l.Sources {
		sh := dec128.Of(l.Sources[j].Share)
		qx := qty.Mul(sh)
		if qx.Over() || annualRE.Mul(sh).Over() || dec128.Of(l.Sources[j].UnitCost).Mul(qx).Over() || value.Mul(qx).Over() {
			return false
		}
		for ci := range b.kg {
			if qx.Mul(b.kg[ci]).Over() {
				return false
			}
		}
		b.share, b.qx = append(b.share, sh), append(b.qx, qx)
	}
	for j := range l.Sources {
		src := &l.Sources[j]
		if !annualRE.IsZero() {
			kg := annualRE.Mul(b.share[j])
			for g, c := range src.Countries {
				b.stageSum(Stage(g), c).add(kg, &b.dc)
			}
		}
		s := b.aggregateOf(m.srcProfile[i][j], pi)
		qx := b.qx[j]
		for ci, c := range l.Content {
			if c.Kg.Sign() > 0 {
				s.mass[m.elemIdx[c.Element]].add(qx.Mul(b.kg[ci]), &b.dc)
			}
		}
		if !value.IsZero() {
			s.value.add(qx.Mul(value), &b.dc)
		}
		if m.costBearing[i] {
			s.cost.add(qx.Mul(dec128.Of(src.UnitCost)), &b.dc)
		}
	}
	return true
}

// addDecimal is add128 in decimals, for a line whose figures do not fit
// in dec128: what buildProfiles did before dec128.
func (b *profileBuilder) addDecimal(i, pi int, reKg decimal.Decimal) {
	m := b.m
	l := &m.in.BOM.Lines[i]
	annualRE := reKg.Mul(m.qty[i]).Mul(m.in.BOM.Products[pi].AnnualVolume)
	value := m.materialValue(l)
	for j := range l.Sources {
		src := &l.Sources[j]
		if !annualRE.IsZero() {
			kg := annualRE.Mul(src.Share)
			for g, c := range src.Countries {
				b.stageSum(Stage(g), c).addDecimal(kg, &b.dc)
			}
		}
		s := b.aggregateOf(m.srcProfile[i][j], pi)
		qx := m.qty[i].Mul(src.Share)
		for _, c := range l.Content {
			if c.Kg.Sign() > 0 {
				s.mass[m.elemIdx[c.Element]].addDecimal(qx.Mul(c.Kg), &b.dc)
			}
		}
		if !value.IsZero() {
			s.value.addDecimal(qx.Mul(value), &b.dc)
		}
		if m.costBearing[i] {
			s.cost.addDecimal(qx.Mul(src.UnitCost), &b.dc)
		}
	}
}

// stageSum returns the sum of stage g and country c.
func (b *profileBuilder) stageSum(g Stage, c string) *sum128 {
	s := b.stage[g][c]
	if s == nil {
		s = &sum128{}
		b.stage[g][c] = s
	}
	return s
}

// finish turns the sums into the model's decimals.
func (b *profileBuilder) finish() {
	m := b.m
	for g := range m.stageKg {
		m.stageKg[g] = make(map[string]decimal.Decimal, len(b.stage[g]))
		for c, s := range b.stage[g] {
			m.stageKg[g][c] = s.decimal(&b.dc)
		}
	}
	for a, s := range b.sums {
		for e := range s.mass {
			a.mass[e] = s.mass[e].decimal(&b.dc)
		}
		a.value, a.cost = s.value.decimal(&b.dc), s.cost.decimal(&b.dc)
	}
}

// materialValue128 is materialValue in dec128; false when it does not fit.
func (m *model) materialValue128(l *Line) (dec128.Decimal, bool) {
	if !hasRareEarth(l) {
		return dec128.Of(zero), true
	}
	if l.MaterialKg.Sign() > 0 {
		if mat, ok := m.in.Materials[l.Material]; ok && mat.PricePerKg.Sign() > 0 {
			v := dec128.Of(l.MaterialKg).Mul(dec128.Of(mat.PricePerKg))
			return v, !v.Over()
		}
	}
	var v dec128.Decimal
	for _, c := range l.Content {
		if p, ok := m.in.Prices[c.Element]; ok && c.Kg.Sign() > 0 {
			v = v.Add(dec128.Of(c.Kg).Mul(dec128.Of(p.China)))
		}
	}
	return v, !v.Over()
}
