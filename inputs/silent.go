package inputs

// This file holds the warnings of SPEC section 11, "nothing is ignored
// silently": a column the reader does not understand, a BOM without
// rare-earth content or without a single known country, HS-code rows that
// cannot reach lines without codes, costs read in an assumed currency,
// the template's example rows, stale data (section 4, "Data age") and
// scenarios whose outcome is already known (decided_on). A report that
// says "no change" must say so because nothing changes, not because the
// input was misread. The warnings that bear on the figures are marked
// Problem.Figures, and the Summary repeats them on its first screen.
//
// This file keeps their state; the warnings are in unknowncolumns.go
// (with nearheaders.go, the header similarity), costwatch.go (costs in
// an assumed currency), examples.go (the template's example rows),
// figurewarnings.go (what the figures rest on, once the input is read)
// and dataage.go (stale data and decided scenarios).

// silentState is what the reader keeps for these warnings.
type silentState struct {
	// currencyGiven: a --currency flag or a Settings row named the report
	// currency, so that amounts without a currency are in it by the user's
	// word, not by default.
	currencyGiven bool
	// bomContentCols: the BOM sheet has a material, re_mass or element
	// column, so a BOM without content has them empty rather than absent.
	bomContentCols bool
	bomHSCol       string              // the header cell of the BOM's hs_code column, "" when none
	unknown        map[string][]string // sheet → its unrecognised headers, quoted
}

// staleDays is the age in days past which the scenario library's check
// date and a price's as_of are stale (SPEC section 4, "Data age");
// staleSignalDays is the same for a signal's newest reading, which then
// moves no probability.
const (
	staleDays       = 90
	staleSignalDays = 92
)
