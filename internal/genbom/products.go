package genbom

import (
	"strconv"
	"strings"
)

// ProductsCSV returns the Products sheet of the BOM that WriteCSV and
// WriteXLSX write for the same lines and seed, as CSV text, so that a
// folder of CSV files makes a complete input.
func ProductsCSV(lines int, seed int64) string {
	g := newGen(lines, seed)
	var b strings.Builder
	b.WriteString("product,annual_volume,name\n")
	for i, p := range g.products {
		b.WriteString(g.v.strs[g.v.productID+i])
		b.WriteByte(',')
		b.WriteString(strconv.Itoa(p.volume))
		b.WriteByte(',')
		b.WriteString(g.v.strs[g.v.productName+i])
		b.WriteByte('\n')
	}
	return b.String()
}
