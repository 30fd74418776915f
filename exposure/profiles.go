package exposure

import (
	"fmt"
	"math"
	"runtime"
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

// addSum adds the sum o.
func (s *sum128) addSum(o *sum128, dc *dec128.Converter) {
	if o.big {
		s.addDecimal(o.d, dc)
		return
	}
	s.add(o.x, dc)
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
	m     *model
	cn    *canonicaliser
	byKey map[string]*profile
	memo  map[profileMemo]*profile
	kb    strings.Builder
	elems []int
	aggs  []*aggregate // in the order lines first use them
}

// profileMemo is what decides a source's profile, as the line and the
// source give it: the profile is a function of it.
type profileMemo struct {
	countries   [NumStages]Country
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

// profileSums are the sums of some of the lines: the annual rare-earth kg
// by stage and country, and each aggregate's sums. Every sum is exact, so
// sums of parts of the lines add up to the sums of all of them, digit for
// digit and with the same exponent (decimal's Add keeps the smaller), in
// whatever parts the lines were cut.
type profileSums struct {
	m     *model
	dc    dec128.Converter
	stage [NumStages]map[string]*sum128 // annual rare-earth kg by stage and country
	aggs  map[*aggregate]*aggregateSums
	// One line's figures in dec128.
	kg, qx, share []dec128.Decimal
}

func newProfileSums(m *model) *profileSums {
	ps := &profileSums{m: m, aggs: map[*aggregate]*aggregateSums{}}
	for g := range ps.stage {
		ps.stage[g] = map[string]*sum128{}
	}
	return ps
}

// buildProfiles gives every source its profile and adds the line to the
// profile's per-product aggregate. Profiles are numbered, and listed per
// product, in the order the lines first use them, so that pass is made in
// line order; the sums, most of the work on a large BOM, are then made on
// the CPUs over parts of the lines and added up.
func (m *model) buildProfiles() error {
	lines := m.in.BOM.Lines
	b := &profileBuilder{m: m, cn: m.canonicaliser(), byKey: map[string]*profile{}, memo: map[profileMemo]*profile{}}
	m.srcStart = make([]int32, len(lines)+1)
	total := 0
	for i := range lines {
		if total += len(lines[i].Sources); total > math.MaxInt32 {
			return fmt.Errorf("%w: the BOM's lines have more than %d sources", ErrTooLarge, math.MaxInt32)
		}
		m.srcStart[i+1] = int32(total)
	}
	m.srcBlock = make([]*profile, total)
	m.risk = make([]riskSet, len(m.in.BOM.Products))
	for i := range lines {
		if i%4096 == 0 && m.stopped() {
			return m.ctxErr()
		}
		if err := b.line(i); err != nil {
			return err
		}
	}
	if err := m.fillProfiles(); err != nil {
		return err
	}
	parts := m.sumLines()
	if err := m.ctxErr(); err != nil {
		return err
	}
	b.finish(parts)
	return nil
}

// fillProfiles computes every profile's factors, the scenarios side by
// side (each scenario's tables are its own). The error is the one
// filling the profiles in order, scenario after scenario, meets first.
func (m *model) fillProfiles() error {
	type failure struct {
		profile int
		err     error
	}
	failed := make([]failure, len(m.scen))
	eachOnCPUs(len(m.scen), func(s int) {
		failed[s].profile = len(m.profiles)
		for i, p := range m.profiles {
			if i%1024 == 0 && m.stopped() {
				return
			}
			if err := m.fillScenario(p, s); err != nil {
				failed[s] = failure{i, err}
				return
			}
		}
	})
	if err := m.ctxErr(); err != nil {
		return err
	}
	first := failure{profile: len(m.profiles)}
	for _, f := range failed { // in scenario order: the lowest scenario wins a tie
		if f.err != nil && f.profile < first.profile {
			first = f
		}
	}
	return first.err
}

// profileSumLines is the least number of lines worth a goroutine of their
// own in sumLines.
var profileSumLines = 16384

// sumLines sums the lines on the CPUs, each goroutine a run of them, and
// returns the runs' sums in line order.
func (m *model) sumLines() []*profileSums {
	n := len(m.in.BOM.Lines)
	parts := make([]*profileSums, max(1, min(runtime.GOMAXPROCS(0), n/profileSumLines)))
	eachOnCPUs(len(parts), func(w int) {
		parts[w] = newProfileSums(m)
		parts[w].lines(n*w/len(parts), n*(w+1)/len(parts))
	})
	return parts
}

// lines adds lines lo..hi-1.
func (ps *profileSums) lines(lo, hi int) {
	m := ps.m
	for i := lo; i < hi; i++ {
		if (i-lo)%4096 == 0 && m.stopped() {
			return // buildProfiles returns the context's error
		}
		l := &m.in.BOM.Lines[i]
		reKg := sum128{} // rare-earth kg per unit of the part
		for _, c := range l.Content {
			if c.Kg.Sign() > 0 && rareEarths[c.Element] {
				reKg.addDecimal(c.Kg, &ps.dc)
			}
		}
		pi := m.prodIdx[l.Product]
		if !ps.add128(i, pi, reKg) {
			ps.addDecimal(i, pi, reKg.decimal(&ps.dc))
		}
	}
}

// line gives line i's sources their profiles, marks the aggregates it
// adds to as used and adds it to its product's risk set.
func (b *profileBuilder) line(i int) error {
	m := b.m
	l := &m.in.BOM.Lines[i]
	b.elems = b.elems[:0]
	var mask uint64
	memoOK := len(m.elements) <= 64
	holdsRE := false
	for _, c := range l.Content {
		if c.Kg.Sign() > 0 {
			e := m.elemIdx[c.Element]
			b.elems = append(b.elems, e)
			if e < 64 {
				mask |= 1 << e
			}
			holdsRE = holdsRE || rareEarths[c.Element]
		}
	}
	sort.Ints(b.elems)
	pi := m.prodIdx[l.Product]
	profs := m.sourceProfiles(i)
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
		profs[j] = p
		b.use(p, pi)
	}
	if holdsRE { // its rare-earth kg, a sum of positive masses, is not zero
		m.risk[pi].add(profs, l.Sources)
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
		countries[g] = cn.country(c.String())
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
	m.newProfileFactors(p) // filled by fillProfiles
	b.byKey[key] = p
	p.id = len(m.profiles)
	m.profiles = append(m.profiles, p)
	return p, nil
}

// use marks profile p's aggregate for product pi used, listing p under
// the product the first time.
func (b *profileBuilder) use(p *profile, pi int) {
	m := b.m
	if p.agg == nil {
		p.agg = make([]aggregate, len(m.in.BOM.Products))
	}
	a := &p.agg[pi]
	if !a.used {
		a.used = true
		m.byProduct[pi] = append(m.byProduct[pi], p)
		a.mass = make([]decimal.Decimal, len(m.elements))
		b.aggs = append(b.aggs, a)
	}
}

// sumsOf returns these lines' sums of aggregate a, made the first time.
func (ps *profileSums) sumsOf(a *aggregate) *aggregateSums {
	s := ps.aggs[a]
	if s == nil {
		s = &aggregateSums{mass: make([]sum128, len(ps.m.elements))}
		ps.aggs[a] = s
	}
	return s
}

// add128 adds line i's figures in dec128: its annual rare-earth kg by
// stage and country, and for each source Q·x·m_e, Q·x·B and (cost-bearing
// lines) Q·x·c to its profile's aggregate. False, with nothing added,
// when a figure does not fit.
func (ps *profileSums) add128(i, pi int, reKg sum128) bool {
	m := ps.m
	l := &m.in.BOM.Lines[i]
	value, ok := m.materialValue128(l)
	qty := dec128.Of(m.qty[i])
	annualRE := reKg.x.Mul(qty).Mul(dec128.Of(m.in.BOM.Products[pi].AnnualVolume))
	if reKg.big || !ok || qty.Over() || annualRE.Over() || noDec128 {
		return false
	}
	ps.kg = ps.kg[:0]
	for _, c := range l.Content {
		x := dec128.Decimal{}
		if c.Kg.Sign() > 0 {
			if x = dec128.Of(c.Kg); x.Over() {
				return false
			}
		}
		ps.kg = append(ps.kg, x)
	}
	ps.share, ps.qx = ps.share[:0], ps.qx[:0]
	for j := range l.Sources {
		sh := dec128.Of(l.Sources[j].Share)
		qx := qty.Mul(sh)
		if qx.Over() || annualRE.Mul(sh).Over() || dec128.Of(l.Sources[j].UnitCost).Mul(qx).Over() || value.Mul(qx).Over() {
			return false
		}
		for ci := range ps.kg {
			if qx.Mul(ps.kg[ci]).Over() {
				return false
			}
		}
		ps.share, ps.qx = append(ps.share, sh), append(ps.qx, qx)
	}
	for j := range l.Sources {
		src := &l.Sources[j]
		if !annualRE.IsZero() {
			kg := annualRE.Mul(ps.share[j])
			for g, c := range src.Countries {
				ps.stageSum(Stage(g), c.String()).add(kg, &ps.dc)
			}
		}
		s := ps.sumsOf(&m.sourceProfiles(i)[j].agg[pi])
		qx := ps.qx[j]
		for ci, c := range l.Content {
			if c.Kg.Sign() > 0 {
				s.mass[m.elemIdx[c.Element]].add(qx.Mul(ps.kg[ci]), &ps.dc)
			}
		}
		if !value.IsZero() {
			s.value.add(qx.Mul(value), &ps.dc)
		}
		if m.costBearing[i] {
			s.cost.add(qx.Mul(dec128.Of(src.UnitCost)), &ps.dc)
		}
	}
	return true
}

// addDecimal is add128 in decimals, for a line whose figures do not fit
// in dec128: what buildProfiles did before dec128.
func (ps *profileSums) addDecimal(i, pi int, reKg decimal.Decimal) {
	m := ps.m
	l := &m.in.BOM.Lines[i]
	annualRE := reKg.Mul(m.qty[i]).Mul(m.in.BOM.Products[pi].AnnualVolume)
	value := m.materialValue(l)
	for j := range l.Sources {
		src := &l.Sources[j]
		if !annualRE.IsZero() {
			kg := annualRE.Mul(src.Share)
			for g, c := range src.Countries {
				ps.stageSum(Stage(g), c.String()).addDecimal(kg, &ps.dc)
			}
		}
		s := ps.sumsOf(&m.sourceProfiles(i)[j].agg[pi])
		qx := m.qty[i].Mul(src.Share)
		for _, c := range l.Content {
			if c.Kg.Sign() > 0 {
				s.mass[m.elemIdx[c.Element]].addDecimal(qx.Mul(c.Kg), &ps.dc)
			}
		}
		if !value.IsZero() {
			s.value.addDecimal(qx.Mul(value), &ps.dc)
		}
		if m.costBearing[i] {
			s.cost.addDecimal(qx.Mul(src.UnitCost), &ps.dc)
		}
	}
}

// stageSum returns the sum of stage g and country c.
func (ps *profileSums) stageSum(g Stage, c string) *sum128 {
	s := ps.stage[g][c]
	if s == nil {
		s = &sum128{}
		ps.stage[g][c] = s
	}
	return s
}

// finish adds up the runs' sums into the model's decimals.
func (b *profileBuilder) finish(parts []*profileSums) {
	m := b.m
	var dc dec128.Converter
	for g := range m.stageKg {
		total := map[string]*sum128{}
		for _, ps := range parts {
			for c, s := range ps.stage[g] {
				if total[c] == nil {
					total[c] = &sum128{}
				}
				total[c].addSum(s, &dc)
			}
		}
		m.stageKg[g] = make(map[string]decimal.Decimal, len(total))
		for c, s := range total {
			m.stageKg[g][c] = s.decimal(&dc)
		}
	}
	var mass []sum128
	for _, a := range b.aggs {
		if cap(mass) < len(a.mass) {
			mass = make([]sum128, len(a.mass))
		}
		mass = mass[:len(a.mass)]
		clear(mass)
		var value, cost sum128
		for _, ps := range parts {
			s := ps.aggs[a]
			if s == nil {
				continue
			}
			for e := range s.mass {
				mass[e].addSum(&s.mass[e], &dc)
			}
			value.addSum(&s.value, &dc)
			cost.addSum(&s.cost, &dc)
		}
		for e := range a.mass {
			a.mass[e] = mass[e].decimal(&dc)
		}
		a.value, a.cost = value.decimal(&dc), cost.decimal(&dc)
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
