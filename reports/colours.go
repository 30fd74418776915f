package reports

import "sort"

// Every chart of the workbook that shows countries (Countries,
// Recommendations) draws each country in the same colour, so that a
// reader who learnt "China is red" on one chart reads the next one
// right. China is always red; the countries that hold most of the
// rare-earth chain have fixed colours of their own; any other country
// takes the first palette colour no country of the workbook uses, in
// code order, so its colour is the same in every chart of one workbook.
const (
	colChina   = "C00000"
	colUnknown = "BFBFBF"
	colOther   = "7F7F7F"
)

// fixedCountryColours are the colours of the countries that matter most
// in rare-earth supply chains; none of them is red or grey.
var fixedCountryColours = map[string]string{
	"CN": colChina,
	"US": "4472C4", // blue
	"JP": "7030A0", // purple
	"AU": "FFC000", // gold
	"MY": "2E9C9C", // teal
	"EE": "264478", // navy
	"DE": "9E480E", // brown
	"VN": "70AD47", // green
	"MM": "997300", // dark gold
	"KR": "00B0F0", // cyan
	"MX": "43682B", // dark green
	"IN": "ED7D31", // orange
	"FR": "A5A5FF", // lavender
	"GB": "255E91", // steel blue
	"CA": "A9D18E", // pale green
	"BR": "FFD966", // pale gold
	"TH": "8FAADC", // pale blue
	"PH": "C55A11", // rust
}

// spareCountryColours are handed out, in order, to the other countries.
var spareCountryColours = []string{
	"636EFA", "00CC96", "AB63FA", "FFA15A", "19D3F3", "B6E880", "FF97FF", "FECB52",
	"1F77B4", "2CA02C", "9467BD", "8C564B", "17BECF", "BCBD22", "E377C2", "D4A017",
}

// countryColours assigns every country a chart of the report can show its
// colour, once per workbook.
func (rep *report) countryColours() map[string]string {
	if rep.colours != nil {
		return rep.colours
	}
	seen := map[string]bool{}
	for _, s := range rep.r.Stages {
		seen[s.Country] = true
	}
	if p := rep.r.Plan; p != nil {
		for _, sp := range p.Spend {
			seen[sp.Country] = true
		}
	}
	rep.colours = assignColours(seen)
	return rep.colours
}

// assignColours gives each country of set its fixed colour, else the
// next spare colour no fixed country of the set uses, in code order;
// beyond the spares, colours repeat.
func assignColours(set map[string]bool) map[string]string {
	out := map[string]string{"": colUnknown}
	used := map[string]bool{}
	var rest []string
	for c := range set {
		if c == "" {
			continue
		}
		if col, ok := fixedCountryColours[c]; ok {
			out[c] = col
			used[col] = true
			continue
		}
		rest = append(rest, c)
	}
	sort.Strings(rest)
	var free []string
	for _, col := range spareCountryColours {
		if !used[col] {
			free = append(free, col)
		}
	}
	for i, c := range rest {
		out[c] = free[i%len(free)]
	}
	return out
}

// countryColour is the colour of country code in the report's charts:
// grey for an unknown country.
func (rep *report) countryColour(code string) string {
	if c, ok := rep.countryColours()[code]; ok {
		return c
	}
	if c, ok := fixedCountryColours[code]; ok {
		return c
	}
	return colOther
}
