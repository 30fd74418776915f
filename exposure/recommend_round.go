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
	scale := math.Pow(10, float64(places))
	gridUnit := decimal.New(1, -places)
	units := make([][]int64, len(chunk))
	rems := make([][]float64, len(chunk))
	used := map[int]decimal.Decimal{} // capacity used, at the grid values so far
	binding := func(c *recClass, j int) int {
		if ri := c.res[j]; ri >= 0 && rc.res[ri].binding {
			return ri
		}
		return -1
	}
	for k, ci := range chunk {
		c := rc.classes[ci]
		units[k] = make([]int64, len(c.cands))
		rems[k] = make([]float64, len(c.cands))
		for j, v := range sol.x[k] {
			s := math.Max(v, 0) * scale
			u := math.Floor(s)
			if r := math.Round(s); math.Abs(s-r) < 1e-6 {
				u = r
			}
			units[k][j] = int64(u)
			rems[k][j] = s - u
			if ri := binding(c, j); ri >= 0 {
				used[ri] = used[ri].Add(c.q.Mul(c.resCoef[j]).Mul(decimal.New(units[k][j], -places)))
			}
		}
	}
	target := int64(scale)
	for k, ci := range chunk {
		c := rc.classes[ci]
		u, rem := units[k], rems[k]
		rows := sol.rows[k]
		limit := make([]decimal.Decimal, len(rows)) // each row's limit in grid units
		for r := range rows {
			limit[r] = limits[k][r].Mul(decimal.New(1, places))
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
			ri := binding(c, j)
			return ri < 0 || used[ri].Add(c.q.Mul(c.resCoef[j]).Mul(gridUnit)).LessThanOrEqual(capLeft(ri))
		}
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
				return nil
			}
			u[best]++
			rem[best]--
			total++
			if ri := binding(c, best); ri >= 0 {
				used[ri] = used[ri].Add(c.q.Mul(c.resCoef[best]).Mul(gridUnit))
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
			if ri := binding(c, best); ri >= 0 {
				used[ri] = used[ri].Sub(c.q.Mul(c.resCoef[best]).Mul(gridUnit))
			}
		}
		// Rounding to the nearest point may still break a row.
		for r, row := range rows {
			if decimal.NewFromInt(rowSum(row)).GreaterThan(limit[r]) {
				return nil
			}
		}
	}
	for ri, v := range used {
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
