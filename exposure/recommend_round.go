package exposure

import (
	"math"

	"github.com/shopspring/decimal"
)

// roundChunk puts a program's shares on a grid of 10^-places: floors (or
// the nearest point when within 1e-6 of it), then the units each class
// still misses to make exactly 1 go to its largest remainders whose caps
// and capacities have room. nil when some class finds no room.
func (rc *recContext) roundChunk(chunk []int, sol lpResult, limits [][]decimal.Decimal, places int32, capLeft func(int) decimal.Decimal) [][]decimal.Decimal {
	g := &gridRounding{rc: rc, places: places, scale: math.Pow(10, float64(places)), gridUnit: decimal.New(1, -places),
		used: map[int]decimal.Decimal{}, capLeft: capLeft}
	units, rems := g.floor(chunk, sol)
	for k, ci := range chunk {
		if !g.complete(rc.classes[ci], units[k], rems[k], sol.rows[k], limits[k]) {
			return nil
		}
	}
	for ri, v := range g.used {
		if v.GreaterThan(capLeft(ri)) {
			return nil
		}
	}
	out := make([][]decimal.Decimal, len(chunk))
	for k := range chunk {
		out[k] = make([]decimal.Decimal, len(units[k]))
		for j, v := range units[k] {
			out[k][j] = decimal.New(v, -places)
		}
	}
	return out
}

// gridRounding is one roundChunk: its grid, and the capacity the shares
// use so far, so that the units added to one class leave room for the
// others drawing on the same capacity.
type gridRounding struct {
	rc       *recContext
	places   int32
	scale    float64         // 10^places
	gridUnit decimal.Decimal // 10^-places
	used     map[int]decimal.Decimal
	capLeft  func(int) decimal.Decimal
}

// binding is the binding capacity candidate j of c draws on, -1 if none:
// only those limit the rounding.
func (rc *recContext) binding(c *recClass, j int) int {
	if ri := c.res[j]; ri >= 0 && rc.res[ri].binding {
		return ri
	}
	return -1
}

// floor puts every share of the chunk on the grid, rounding down (or to
// the nearest point within 1e-6, so that 0.29999999 is 0.3), and returns
// the grid units and what each lost.
func (g *gridRounding) floor(chunk []int, sol lpResult) (units [][]int64, rems [][]float64) {
	units = make([][]int64, len(chunk))
	rems = make([][]float64, len(chunk))
	for k, ci := range chunk {
		c := g.rc.classes[ci]
		units[k] = make([]int64, len(c.cands))
		rems[k] = make([]float64, len(c.cands))
		for j, v := range sol.x[k] {
			s := math.Max(v, 0) * g.scale
			u := math.Floor(s)
			if r := math.Round(s); math.Abs(s-r) < 1e-6 {
				u = r
			}
			units[k][j] = int64(u)
			rems[k][j] = s - u
			if ri := g.rc.binding(c, j); ri >= 0 {
				g.used[ri] = g.used[ri].Add(c.q.Mul(c.resCoef[j]).Mul(decimal.New(units[k][j], -g.places)))
			}
		}
	}
	return units, rems
}

// complete brings class c's grid units u to exactly one whole: the
// missing units go to the largest remainders rem with room under the cap
// rows' limits and the capacities, the surplus comes off the smallest.
// false when no candidate has room or a row ends above its limit.
func (g *gridRounding) complete(c *recClass, u []int64, rem []float64, rows []capRow, limits []decimal.Decimal) bool {
	limit := make([]decimal.Decimal, len(rows)) // each row's limit in grid units
	for r := range rows {
		limit[r] = limits[r].Mul(decimal.New(1, g.places))
	}
	rowSum := func(r capRow) int64 {
		var s int64
		for _, j := range r.members {
			s += u[j]
		}
		return s
	}
	room := func(j int) bool {
		for r, row := range rows {
			if containsInt(row.members, j) && decimal.NewFromInt(rowSum(row)+1).GreaterThan(limit[r]) {
				return false
			}
		}
		ri := g.rc.binding(c, j)
		return ri < 0 || g.used[ri].Add(c.q.Mul(c.resCoef[j]).Mul(g.gridUnit)).LessThanOrEqual(g.capLeft(ri))
	}
	target := int64(g.scale)
	var total int64
	for _, v := range u {
		total += v
	}
	for total < target {
		best := -1
		for j := range u {
			if room(j) && (best < 0 || rem[j] > rem[best]) {
				best = j
			}
		}
		if best < 0 {
			return false
		}
		u[best]++
		rem[best]--
		total++
		if ri := g.rc.binding(c, best); ri >= 0 {
			g.used[ri] = g.used[ri].Add(c.q.Mul(c.resCoef[best]).Mul(g.gridUnit))
		}
	}
	for total > target {
		best := -1
		for j := range u {
			if u[j] > 0 && (best < 0 || rem[j] < rem[best]) {
				best = j
			}
		}
		u[best]--
		rem[best]++
		total--
		if ri := g.rc.binding(c, best); ri >= 0 {
			g.used[ri] = g.used[ri].Sub(c.q.Mul(c.resCoef[best]).Mul(g.gridUnit))
		}
	}
	// Rounding to the nearest point may still break a row.
	for r, row := range rows {
		if decimal.NewFromInt(rowSum(row)).GreaterThan(limit[r]) {
			return false
		}
	}
	return true
}
