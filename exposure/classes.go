package exposure

import (
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// classProbabilities returns P(direct), P(upstream), P(free), for light
// and for heavy elements, of a source with the given stage countries and
// heavy-rare-earth separation country, for controlling country c (SPEC
// section 3). Heavy elements take hreSep, and the world share of heavy
// separation, in place of the separation stage.
func (m *model) classProbabilities(countries [NumStages]string, hreSep, family, c string) classProbs {
	var out classProbs
	out[light] = m.classProbs(countries, StageSeparation, family, c)
	countries[StageSeparation] = hreSep
	out[heavy] = m.classProbs(countries, StageHRESeparation, family, c)
	return out
}

// classProbs is classProbabilities for one kind of element, whose
// separation stage's world shares are those of sepStage.
func (m *model) classProbs(countries [NumStages]string, sepStage Stage, family, c string) [NumClasses]decimal.Decimal {
	var pd decimal.Decimal
	switch comp := countries[StageComponent]; {
	case comp == c:
		pd = one
	case comp != "":
		pd = zero
	default:
		pd = m.unknownIn(StageComponent, family, c)
	}
	// P(any upstream stage in C): 1 when a known one is, else one minus
	// the chance that no unknown one is.
	notAny := one
	for g := StageMine; g < StageComponent; g++ {
		share := g
		if g == StageSeparation {
			share = sepStage
		}
		switch countries[g] {
		case c:
			notAny = zero
		case "":
			notAny = notAny.Mul(one.Sub(m.unknownIn(share, family, c)))
		}
	}
	pu := one.Sub(pd).Mul(one.Sub(notAny))
	return [NumClasses]decimal.Decimal{pd, pu, one.Sub(pd).Sub(pu)}
}

// unknownIn is the chance that a stage g whose country is unknown is in
// c, under the unknown-origin policy.
func (m *model) unknownIn(g Stage, family, c string) decimal.Decimal {
	switch m.in.Settings.UnknownOrigin {
	case UnknownControlling:
		return one
	case UnknownFree:
		return zero
	}
	return m.worldShare(g, family, c)
}

// worldShare returns country c's share of world output at stage g, from
// the family's rows when there are any, else from the general rows.
func (m *model) worldShare(g Stage, family, c string) decimal.Decimal {
	found := false
	share := zero
	for _, s := range m.in.StageShares {
		if s.Stage == g && s.Family == family && family != "" {
			found = true
			if s.Country == c {
				share = s.Share
			}
		}
	}
	if found {
		return share
	}
	for _, s := range m.in.StageShares {
		if s.Stage == g && s.Family == "" {
			found = true
			if s.Country == c {
				return s.Share
			}
		}
	}
	if !found && g == StageHRESeparation {
		return m.worldShare(StageSeparation, family, c) // no heavy-separation rows: as separation
	}
	return zero
}

func (m *model) familyOf(material string) string {
	if mat, ok := m.in.Materials[material]; ok {
		return mat.Family
	}
	return ""
}

// origin returns the source's origin country, defaulted as the reader
// does (SPEC section 2): an empty origin takes the component country.
func (src *Source) origin() string {
	if src.Origin != NoCountry {
		return src.Origin.String()
	}
	return src.Countries[StageComponent].String()
}

// hreSeparation returns where the source's heavy rare earths are
// separated: an empty heavy-separation country takes the separation one.
func (src *Source) hreSeparation() string {
	if src.HRESeparation != NoCountry {
		return src.HRESeparation.String()
	}
	return src.Countries[StageSeparation].String()
}

// materialValue returns B of SPEC section 3 for one unit of the line: the
// material's mass times its price per kg where both are known, else the
// content's value at China-origin prices over every priced element (a
// SmCo magnet's cobalt too); 0 without rare-earth content.
func (m *model) materialValue(l *Line) decimal.Decimal {
	if !hasRareEarth(l) {
		return zero
	}
	if l.MaterialKg.Sign() > 0 {
		if mat, ok := m.in.Materials[l.Material]; ok && mat.PricePerKg.Sign() > 0 {
			return l.MaterialKg.Mul(mat.PricePerKg)
		}
	}
	var v decimal.Decimal
	for _, c := range l.Content {
		if p, ok := m.in.Prices[c.Element]; ok && c.Kg.Sign() > 0 {
			v = v.Add(c.Kg.Mul(p.China))
		}
	}
	return v
}

// hasRareEarth reports whether the line holds any of the 17 rare earths.
func hasRareEarth(l *Line) bool {
	for _, c := range l.Content {
		if c.Kg.Sign() > 0 && rareEarths[c.Element] {
			return true
		}
	}
	return false
}

// classKey returns a key for the class probabilities of a source under
// every controlling country the model uses: sources whose stage countries
// differ but whose probabilities agree (CN/CN/JP/JP and CN/JP/CN/JP are
// both upstream) share a profile.
func (m *model) classKey(countries [NumStages]string, hreSep, family string) string {
	memo := strings.Join(countries[:], "|") + "|" + hreSep + "|" + family
	if k, ok := m.classKeys[memo]; ok {
		return k
	}
	var b strings.Builder
	for _, c := range m.controllers {
		for _, kind := range m.classProbabilities(countries, hreSep, family, c) {
			for _, p := range kind {
				b.WriteString(p.String())
				b.WriteByte(',')
			}
		}
	}
	if m.classKeys == nil {
		m.classKeys = map[string]string{}
	}
	m.classKeys[memo] = b.String()
	return b.String()
}

// canonicaliser maps a source's attributes to what the scenarios can tell
// apart, so that sources the cost model treats alike share one profile: a
// country no scenario, tariff, product or setting names becomes "*"
// (elsewhere), an HS code its longest prefix named by a Controls or
// Tariffs row, a material "" unless a tariff row names it. A BOM of a
// million lines then has hundreds of profiles, not hundreds of thousands.
type canonicaliser struct {
	countries map[string]bool
	prefixes  []string
	materials map[string]bool
}

// noPrefix is the canonical HS code of a line whose code no rule's prefix
// matches: only rules without a prefix reach it.
const noPrefix = "-"

func (m *model) canonicaliser() *canonicaliser {
	cn := &canonicaliser{countries: map[string]bool{"": true, m.in.Settings.ControllingCountry: true, m.in.Settings.ImportCountry: true}, materials: map[string]bool{}}
	for _, c := range m.importOf {
		cn.countries[c] = true
	}
	m.controllers = []string{m.in.Settings.ControllingCountry}
	for _, st := range m.scen {
		if !slices.Contains(m.controllers, st.sc.Country) {
			m.controllers = append(m.controllers, st.sc.Country)
		}
		cn.countries[st.sc.Country] = true
		for _, rt := range st.tariffs {
			cn.countries[rt.t.Origin] = true
			cn.prefixes = append(cn.prefixes, rt.hsDigits)
			if rt.t.Material != "" {
				cn.materials[strings.ToUpper(rt.t.Material)] = true
			}
		}
		for i := range st.sc.Controls {
			if d := digitsOnly(st.sc.Controls[i].HSPrefix); d != "" {
				cn.prefixes = append(cn.prefixes, d)
			}
		}
	}
	return cn
}

func (cn *canonicaliser) country(c string) string {
	if cn.countries[c] {
		return c
	}
	return "*"
}

func (cn *canonicaliser) hs(digits string) string {
	best := ""
	for _, p := range cn.prefixes {
		if len(p) > len(best) && strings.HasPrefix(digits, p) {
			best = p
		}
	}
	if best == "" && digits != "" {
		return noPrefix // some code, matched by no prefix: only rows without one apply
	}
	return best
}

func (cn *canonicaliser) material(code string) string {
	if cn.materials[strings.ToUpper(code)] {
		return code
	}
	return ""
}
