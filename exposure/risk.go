package exposure

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"rexpo/internal/dec128"
)

// riskSet holds, for one product, what its lines with content need for
// output at risk (SPEC section 5): r(s,t) = 1 − min over those lines of
// Σ_j x_j a_j(s,t). Lines bought from one source need only their profile;
// lines with several sources are kept as distinct mixes of profiles and
// shares. A BOM of a million lines has few of either.
type riskSet struct {
	single map[*profile]bool
	mixes  map[string]riskMix
}

type riskMix struct {
	profs  []*profile
	shares []decimal.Decimal
}

// add records one line's sources and their profiles.
func (r *riskSet) add(profs []*profile, srcs []Source) {
	if len(profs) == 0 {
		return
	}
	if len(profs) == 1 {
		if r.single == nil {
			r.single = map[*profile]bool{}
		}
		r.single[profs[0]] = true
		return
	}
	var b strings.Builder
	for j, p := range profs {
		b.WriteString(strconv.Itoa(p.id))
		b.WriteByte(':')
		b.WriteString(srcs[j].Share.String())
		b.WriteByte(';')
	}
	key := b.String()
	if _, ok := r.mixes[key]; ok {
		return
	}
	if r.mixes == nil {
		r.mixes = map[string]riskMix{}
	}
	mix := riskMix{profs: append([]*profile(nil), profs...)}
	for j := range srcs {
		mix.shares = append(mix.shares, srcs[j].Share)
	}
	r.mixes[key] = mix
}

// unitsAtRisk returns V/12 · Σ_{t≤12} r(s,t) for scenario s.
func (r *riskSet) unitsAtRisk(s int, volume decimal.Decimal) decimal.Decimal {
	if v, ok := r.unitsAtRisk128(s, volume); ok {
		return v
	}
	var sum decimal.Decimal
	for t := 1; t <= 12; t++ {
		minA := one
		for p := range r.single {
			if a := p.perScen[s].avail[t]; a.LessThan(minA) {
				minA = a
			}
		}
		for _, mix := range r.mixes {
			var a decimal.Decimal
			for j, p := range mix.profs {
				a = a.Add(mix.shares[j].Mul(p.perScen[s].avail[t]))
			}
			if a.LessThan(minA) {
				minA = a
			}
		}
		sum = sum.Add(one.Sub(minA))
	}
	if sum.IsZero() {
		return zero
	}
	return perMonth(sum, volume)
}

// unitsAtRisk128 is unitsAtRisk in dec128, the same operations, so the
// same coefficient and exponent without a decimal for each mix and
// month; false when a figure does not fit (or under noDec128).
func (r *riskSet) unitsAtRisk128(s int, volume decimal.Decimal) (decimal.Decimal, bool) {
	if noDec128 {
		return zero, false
	}
	var sum dec128.Decimal
	for t := 1; t <= 12; t++ {
		minA := one128
		for p := range r.single {
			a := dec128.Of(p.perScen[s].avail[t])
			d := a.Sub(minA)
			if d.Over() {
				return zero, false
			}
			if d.Sign() < 0 {
				minA = a
			}
		}
		for _, mix := range r.mixes {
			var a dec128.Decimal
			for j, p := range mix.profs {
				a = a.Add(dec128.Of(mix.shares[j]).Mul(dec128.Of(p.perScen[s].avail[t])))
			}
			d := a.Sub(minA)
			if d.Over() {
				return zero, false
			}
			if d.Sign() < 0 {
				minA = a
			}
		}
		sum = sum.Add(one128.Sub(minA))
	}
	if sum.Over() {
		return zero, false
	}
	if sum.IsZero() {
		return zero, true
	}
	v := sum.Mul(dec128.Of(volume)).DivRound(twelve128, divPlaces)
	if v.Over() {
		return zero, false
	}
	var dc dec128.Converter
	return dc.Decimal(v), true
}
