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

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"rexpo/exposure"
	"rexpo/reference"
	"rexpo/schema"
)

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

// findExampleColumn finds the template's example-marker column.
func (t *table) findExampleColumn() {
	known := map[int]bool{}
	for _, i := range t.col {
		known[i] = true
	}
	for i, h := range t.headers {
		if !known[i] && schema.NormalizeKey(h) == schema.ExampleColumn {
			t.exampleCol = i + 1
			return
		}
	}
}

// isExampleMark reports whether a marker cell says the row is an example:
// its text starts with "example", in any case.
func isExampleMark(text string) bool {
	return strings.HasPrefix(schema.NormalizeKey(text), schema.ExampleColumn)
}

// skipExample reports whether the current row is one of the template's
// example rows, and warns that it is skipped.
func (t *table) skipExample() bool {
	if t.exampleCol == 0 {
		return false
	}
	mark := t.exampleCol - 1
	if !isExampleMark(t.cellAt(mark).Text) {
		return false
	}
	var gist []string
	for i, c := range t.row.Cells {
		if i != mark && strings.TrimSpace(c.Text) != "" && len(gist) < 2 {
			gist = append(gist, schema.Quote(strings.TrimSpace(c.Text)))
		}
	}
	what := ""
	if len(gist) > 0 {
		what = " (" + strings.Join(gist, ", ") + ", …)"
	}
	if t.ps.examples == nil {
		t.ps.examples = map[string]int{}
	}
	t.ps.examples[t.sheet]++
	t.ps.warnf(t.sheet, strconv.Itoa(t.row.Num), "example row of the template%s skipped, never run: replace it with your own data and clear its example cell %s, or delete the row",
		what, cellName(mark, t.row.Num))
	return true
}

// examplesOnly reports whether the input has at least one of the named
// sheets and they hold no row but the template's examples. It then reads
// them once more for their warnings (the example rows skipped, unknown
// columns) and says that they are set aside.
func (r *reader) examplesOnly(names ...string) bool {
	var present []string
	for _, name := range names {
		sheet := r.find(name)
		if sheet == "" {
			continue
		}
		present = append(present, sheet)
		l, _ := schema.LayoutOf(name)
		var scratch problems
		t, err := openTable(r.book, sheet, l, r.opts.Mapping, false, &scratch)
		if err != nil || t == nil {
			return false // the reading proper reports it
		}
		own := t.next()
		t.close()
		if own {
			return false
		}
	}
	if len(present) == 0 {
		return false
	}
	for _, name := range names {
		if t := r.open(name, false); t != nil {
			for t.next() {
			}
			r.readErr(t)
			t.close()
		}
	}
	what := "the " + present[0] + " sheet holds no row of its own"
	if len(present) > 1 {
		what = "the " + andList(present) + " sheets hold no row of their own"
	}
	r.ps.warnf(present[0], "", "%s, only the template's examples: the built-in scenario library runs instead", what)
	return true
}

// checkColumns warns about the headers of a sheet of the user's input
// that the reader does not use, naming the nearest known header, and sets
// up the unit-cost currency watch. The reader keeps such columns and
// ignores them; the warning makes sure that is never silent.
func (r *reader) checkColumns(t *table, l *schema.SheetLayout) {
	used := map[int]bool{}
	for _, i := range t.col {
		used[i] = true
	}
	for _, i := range t.elemPct {
		used[i] = true
	}
	for _, i := range t.elemGrams {
		used[i] = true
	}
	if t.exampleCol > 0 {
		used[t.exampleCol-1] = true
	}
	if l.Name == "BOM" {
		r.silent.bomContentCols = len(t.elemPct)+len(t.elemGrams) > 0
		for _, c := range []string{"material", "re_mass_kg", "re_mass_g"} {
			if _, ok := t.col[c]; ok {
				r.silent.bomContentCols = true
			}
		}
		if i, ok := t.col["hs_code"]; ok {
			r.silent.bomHSCol = cellName(i, t.headerRow)
		}
	}
	keys := columnKeys(l, r.opts.Mapping)
	var cands []headerCandidate
	for i, h := range t.headers {
		h = strings.TrimSpace(h)
		if h == "" || used[i] {
			continue
		}
		if _, ok := keys[schema.NormalizeKey(h)]; ok || t.elemPct != nil && isElementColumn(h) {
			continue // a second header of a used column: warnDuplicateHeaders or findElementColumns said so
		}
		if cands == nil {
			cands = headerCandidates(l, t.col)
		}
		if r.silent.unknown == nil {
			r.silent.unknown = map[string][]string{}
		}
		r.silent.unknown[t.sheet] = append(r.silent.unknown[t.sheet], schema.Quote(h))
		r.warnUnknownColumn(t, i, h, cands, t.elemPct != nil)
	}
	r.watchCosts(t, l)
}

// warnUnknownColumn warns about one unrecognised header. A header near
// one of ours (a typo, an abbreviation, other words for it) bears on the
// figures: its data is most likely lost. One near none of ours (Notes,
// Plant, Find Num) is listed all the same, as an ordinary warning.
func (r *reader) warnUnknownColumn(t *table, i int, h string, cands []headerCandidate, withElements bool) {
	cell := cellName(i, t.headerRow)
	q := schema.Quote(h)
	near := nearestHeaders(h, cands)
	if len(near) == 0 && withElements {
		if sym, ok := elementHeader(h); ok {
			t.ps.figuref(t.sheet, cell, "column %s is not recognised, so its cells are ignored: an element column is headed by the element alone, %s for wt%% of the material or %s_g for grams per unit of the part; rename the header",
				q, sym, sym)
			return
		}
	}
	if len(near) == 0 {
		t.ps.warnf(t.sheet, cell, "column %s is not recognised, so its cells are ignored (no known header of the %s sheet is near it); if it holds one of rexpo's columns, rename the header or map it with --map FILE, a file of lines `our_column: Their header`",
			q, t.sheet)
		return
	}
	var names []string
	for _, c := range near {
		if c.text != c.column {
			names = append(names, fmt.Sprintf("%s (read as %s)", c.text, c.column))
		} else {
			names = append(names, c.column)
		}
	}
	nearest := "the nearest known header is " + names[0]
	if len(names) > 1 {
		nearest = "the nearest known headers are " + orList(names)
	}
	note := ""
	if code := headerCurrency(h); code != "" && code != r.settings.Currency && near[0].column == "unit_cost" {
		note = fmt.Sprintf(" (its header names %s: say so in a currency column, with an FX row for %s)", code, code)
	}
	t.ps.figuref(t.sheet, cell, "column %s is not recognised, so its cells are ignored; %s. If it holds %s, rename the header to %s or map it with --map FILE, a file with the line `%s: %s`%s",
		q, nearest, map[bool]string{true: "that column", false: "one of them"}[len(near) == 1], near[0].column, near[0].column, strings.TrimSpace(h), note)
}

// headerCandidate is one header a sheet's layout accepts.
type headerCandidate struct {
	text   string // as the layout spells it: the column's name or an alias
	column string // the canonical column
	key    string // NormalizeKey(text)
	words  headerPhrase
}

// headerCandidates lists the names and aliases of the layout's columns
// (and the ERP headers of the BOM sheet) that the sheet does not have yet.
func headerCandidates(l *schema.SheetLayout, have map[string]int) []headerCandidate {
	var out []headerCandidate
	add := func(text, column string) {
		if _, ok := have[column]; !ok {
			out = append(out, headerCandidate{text: text, column: column, key: schema.NormalizeKey(text), words: phraseOf(text)})
		}
	}
	for _, c := range l.Columns {
		add(c.Name, c.Name)
		for _, a := range c.Aliases {
			add(a, c.Name)
		}
	}
	if l.Name == "BOM" {
		for _, name := range sortedKeys(erpAliases) {
			for _, a := range erpAliases[name] {
				add(a, name)
			}
		}
	}
	return out
}

// minHeaderScore is the similarity below which no header is suggested.
const minHeaderScore = 0.55

// nearestHeaders returns the candidates most like header h, at most three
// and one per column, or none when nothing is near. Similarity compares
// words (a header's last word, its head, counts double: "Supplier Country"
// is a country), where a word matches another exactly, as an abbreviation
// ("Crcy", "Qty"), with one typo, or as a related word (a supplier's
// country is the origin); or, for a typo in a header of one word, the
// whole normalised header.
func nearestHeaders(h string, cands []headerCandidate) []headerCandidate {
	hw, hk := phraseOf(h), schema.NormalizeKey(h)
	best := 0.0
	var out []headerCandidate
	seen := map[string]bool{}
	for _, c := range cands {
		s := headerScoreOf(hw, hk, c)
		switch {
		case s < minHeaderScore || s < best-1e-9:
		case s > best+1e-9:
			best, out, seen = s, []headerCandidate{c}, map[string]bool{c.column: true}
		case !seen[c.column] && len(out) < 3:
			seen[c.column] = true
			out = append(out, c)
		}
	}
	return out
}

// headerScore is how like candidate c header h is, 0..1; below
// minHeaderScore it is not near.
func headerScore(h string, c headerCandidate) float64 {
	s := headerScoreOf(phraseOf(h), schema.NormalizeKey(h), c)
	if s < minHeaderScore {
		return 0
	}
	return s
}

func headerScoreOf(hw headerPhrase, hk string, c headerCandidate) float64 {
	s := hw.similarity(c.words)
	if len(c.key) >= 4 {
		if d := editDistance(hk, c.key); d <= max(1, len(c.key)/5) {
			s = max(s, 0.9-0.1*float64(d))
		}
	}
	return s
}

// headerPhrase is a header split into lower-case words, with the index
// of its head word.
type headerPhrase struct {
	words []string
	head  int
}

// headerUnits are words that qualify a header rather than name it: a
// header's head is its last word that is not one of them.
var headerUnits = map[string]bool{"kg": true, "g": true, "pct": true, "per": true, "usd": true, "cun": true, "days": true, "months": true, "t": true, "mt": true}

// headerSynonyms spell out abbreviations and other words for ours, in
// headers of several words ("No" alone is a row number).
var headerSynonyms = map[string]string{
	"no": "number", "nr": "number", "num": "number", "nbr": "number", "weight": "mass", "wt": "mass",
	"kgs": "kg", "gram": "g", "grams": "g", "percent": "pct",
}

// relatedWords pairs words that are not each other's spelling but point
// to the same column: a supplier's country is where the part comes from.
var relatedWords = map[string]string{"supplier": "origin", "vendor": "origin", "source": "origin"}

// phraseOf splits a header into words: at spaces, punctuation, '_' and
// a change from lower to upper case (PartNumber); "%" reads as pct, "#"
// as number; "of" marks its head before it (country_of_origin).
func phraseOf(s string) headerPhrase {
	var words []string
	var cur []rune
	prevLower := false
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if unicode.IsUpper(r) && prevLower {
				flush()
			}
			cur = append(cur, unicode.ToLower(r))
			prevLower = unicode.IsLower(r)
		case r == '%':
			flush()
			words = append(words, "pct")
			prevLower = false
		case r == '#':
			flush()
			words = append(words, "number")
			prevLower = false
		default:
			flush()
			prevLower = false
		}
	}
	flush()
	p := headerPhrase{head: -1}
	for _, w := range words {
		if len(words) > 1 {
			if s, ok := headerSynonyms[w]; ok {
				w = s
			}
		}
		switch w {
		case "of":
			if p.head < 0 {
				p.head = len(p.words) - 1
			}
			continue
		case "the", "in":
			continue
		}
		p.words = append(p.words, w)
	}
	if p.head < 0 {
		for i := len(p.words) - 1; i >= 0; i-- {
			if !headerUnits[p.words[i]] {
				p.head = i
				break
			}
		}
	}
	return p
}

func (p headerPhrase) weight(i int) float64 {
	if i == p.head {
		return 2
	}
	return 1
}

// similarity is 0..1: the weighted share of each phrase's words that the
// other matches (a Dice coefficient over words).
func (p headerPhrase) similarity(q headerPhrase) float64 {
	num, den := 0.0, 0.0
	side := func(a, b headerPhrase) {
		for i, w := range a.words {
			best := 0.0
			for _, v := range b.words {
				best = max(best, wordMatch(w, v))
			}
			num += a.weight(i) * best
			den += a.weight(i)
		}
	}
	side(p, q)
	side(q, p)
	if den == 0 {
		return 0
	}
	return num / den
}

// wordMatch is 1 for the same word, 0.8 for an abbreviation (the shorter
// word's letters in order in the longer, from its first letter; three
// letters at least) or a typo (one edit in words of four letters or
// more), 0.5 for related words, else 0.
func wordMatch(a, b string) float64 {
	switch {
	case a == b:
		return 1
	case relatedWords[a] == b || relatedWords[b] == a:
		return 0.5
	}
	short, long := a, b
	if len(short) > len(long) {
		short, long = long, short
	}
	if len(short) >= 3 && short[0] == long[0] && subsequence(short, long) {
		return 0.8
	}
	if len(short) >= 4 && editDistance(a, b) <= 1 {
		return 0.8
	}
	return 0
}

// subsequence reports whether the bytes of a appear in b in order.
func subsequence(a, b string) bool {
	i := 0
	for j := 0; j < len(b) && i < len(a); j++ {
		if a[i] == b[j] {
			i++
		}
	}
	return i == len(a)
}

// isElementColumn reports whether findElementColumns reads header h as an
// element's wt% or grams.
func isElementColumn(h string) bool {
	if m := gramsHeader.FindStringSubmatch(h); m != nil {
		if _, err := reference.LookupElement(m[1]); err == nil {
			return true
		}
	}
	m := pctHeader.FindStringSubmatch(h)
	if m == nil || m[0] == m[1] && bareHeaderWords[strings.ToLower(h)] {
		return false
	}
	_, err := reference.LookupElement(m[1])
	return err == nil
}

// elementHeader returns the element a header starts with ("Nd content",
// "Dysprosium grams"), for a word of two letters or more that is not a
// common header word ("No", "In").
func elementHeader(h string) (string, bool) {
	fields := strings.FieldsFunc(h, func(r rune) bool { return !unicode.IsLetter(r) })
	if len(fields) == 0 || len(fields[0]) < 2 || bareHeaderWords[strings.ToLower(fields[0])] {
		return "", false
	}
	sym, err := reference.LookupElement(fields[0])
	return sym, err == nil
}

// headerCurrency returns the ISO currency code a header names ("Unit cost
// (EUR)"), or "".
func headerCurrency(h string) string {
	for _, w := range phraseOf(h).words {
		if u := strings.ToUpper(w); len(w) == 3 && currencyCodes[u] {
			return u
		}
	}
	return ""
}

// costWatch follows a unit_cost column read without a currency column:
// its amounts are taken to be in the report currency (SPEC section 2), so
// it counts the cells, and those whose text names another currency
// ("€12.50", "12.50 EUR"), whose sign the number parser drops.
type costWatch struct {
	col      int
	currency string // the report currency
	given    bool   // the user named the report currency
	filled   int
	foreign  int
	first    string // the first foreign cell and its text
	text     string
}

// watchCosts starts a costWatch on a sheet whose layout pairs unit_cost
// with a currency column when the sheet has the first and not the second.
func (r *reader) watchCosts(t *table, l *schema.SheetLayout) {
	var cost, cur bool
	for _, c := range l.Columns {
		cost = cost || c.Name == "unit_cost"
		cur = cur || c.Name == "currency"
	}
	i, has := t.col["unit_cost"]
	if _, hasCur := t.col["currency"]; !cost || !cur || !has || hasCur {
		return
	}
	t.costs = &costWatch{col: i, currency: r.settings.Currency, given: r.silent.currencyGiven}
}

// see looks at the current row's cost cell.
func (w *costWatch) see(t *table) {
	if w == nil {
		return
	}
	text := strings.TrimSpace(t.cellAt(w.col).Text)
	if text == "" {
		return
	}
	w.filled++
	if c := text[len(text)-1]; (text[0] >= '0' && text[0] <= '9') && (c >= '0' && c <= '9') {
		return // the usual case, no currency sign: no need to look further
	}
	if code, ok := textCurrency(text); ok && !sameCurrency(code, w.currency) {
		w.foreign++
		if w.first == "" {
			w.first, w.text = t.ref(w.col), text
		}
	}
}

// finish warns when the sheet is done.
func (w *costWatch) finish(t *table) {
	if w == nil {
		return
	}
	head := "unit_cost"
	if h := strings.TrimSpace(t.headers[w.col]); schema.NormalizeKey(h) != schema.NormalizeKey(head) {
		head += " (header " + schema.Quote(h) + ")"
	}
	switch {
	case w.foreign > 0:
		t.ps.figuref(t.sheet, w.first, "%d %s cell(s) name a currency other than the report's %s (%s, for one) but the sheet has no currency column, so they were read as %s with the sign dropped: add a currency column (with an FX row for each currency), or set --currency",
			w.foreign, head, w.currency, schema.Quote(w.text), w.currency)
	case w.filled > 0 && !w.given:
		t.ps.figuref(t.sheet, cellName(w.col, t.headerRow), "%s has no currency column beside it, so its %d amount(s) were taken to be in %s, the report currency by default (no --currency flag or Settings currency row names one); if they are in another currency, add a currency column (with an FX row for it) or set --currency",
			head, w.filled, w.currency)
	}
}

// textCurrency returns the currency an amount's text carries, as an ISO
// code or the sign itself ("$", "€"), as ParseAmount accepts it.
func textCurrency(text string) (string, bool) {
	s := strings.Trim(schema.Trim(text), "()+-\u2212 ")
	var dec string
	if n := currencyPrefix(s); n > 0 {
		dec = s[:n]
	} else if n := currencySuffix(s); n > 0 {
		dec = s[len(s)-n:]
	}
	dec = strings.ToUpper(strings.TrimSpace(dec))
	switch {
	case dec == "":
		return "", false
	case dec == "RMB":
		return "CNY", true
	case currencyCodes[dec]:
		return dec, true
	}
	if code, ok := currencySigns[dec]; ok {
		return code, true
	}
	return dec, dec != ""
}

// currencySigns maps currency signs to ISO codes; "$" and "¥" are left as
// they are, since several currencies write them.
var currencySigns = map[string]string{
	"US$": "USD", "C$": "CAD", "CA$": "CAD", "A$": "AUD", "AU$": "AUD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD",
	"NT$": "TWD", "R$": "BRL", "MX$": "MXN", "CN¥": "CNY", "RMB¥": "CNY", "JP¥": "JPY",
	"€": "EUR", "£": "GBP", "₹": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY", "₫": "VND", "฿": "THB", "₪": "ILS",
	"₱": "PHP", "₴": "UAH", "₦": "NGN", "₸": "KZT",
}

// sameCurrency reports whether an amount's currency may be the report's:
// "$" for any dollar or peso, "¥" for the yen or the yuan, and the yuan
// under any of its codes.
func sameCurrency(code, report string) bool {
	switch code {
	case "$", "＄":
		return strings.HasSuffix(report, "D") || report == "MXN"
	case "¥", "￥":
		return report == "JPY" || report == "CNY" || report == "CNH"
	case "CNY", "CNH":
		return report == "CNY" || report == "CNH"
	}
	if !currencyCodes[code] {
		return true // a sign of unknown currency: no grounds to warn
	}
	return code == report
}

// warnFigures adds, once the whole input is read, the warnings about what
// the report's figures rest on.
func (r *reader) warnFigures() {
	if n := r.ps.examples[r.bomName()]; n > 0 && len(r.bom.Lines) == 0 && r.ps.errs == 0 {
		r.ps.errorIs(ErrMissingValue, r.bomName(), "", "the BOM has no lines of its own: its %d row(s) are the template's examples, which are skipped; add your parts (and products) below them or in their place, clearing their example cells", n)
	}
	if r.ps.errs == 0 && len(r.bom.Lines) > 0 {
		// With errors no report is made, and lines may be missing: the
		// warnings about the BOM as a whole wait for a clean read.
		r.warnNoContent()
		r.warnNoCountries()
		r.warnHSCodes()
	}
	asOf := day(r.settings.AsOf)
	if asOf.IsZero() {
		return
	}
	r.warnScenarioAge(asOf)
	r.warnPriceAge(asOf)
	r.warnSignalAge(asOf)
	r.warnDecided(asOf)
	r.warnPastTariffs()
	if r.ps.errs == 0 && len(r.bom.Lines) > 0 {
		r.warnUnknownOrigin()
	}
}

// warnPastTariffs: a Tariffs row is a change against the duties a part
// pays today (SPEC section 4). A row dated before the projection starts
// is charged from its first month; if that duty came, today's unit costs
// already carry it and the row counts it twice.
func (r *reader) warnPastTariffs() {
	start := r.settings.Start
	if start.IsZero() {
		return
	}
	for _, sc := range r.scenarios {
		var refs []string
		first := ""
		for _, t := range sc.Tariffs {
			if t.From.Relative > 0 || t.From.Year == 0 || t.From.Index(start) >= 1 {
				continue
			}
			refs = append(refs, t.Ref)
			if m := fmt.Sprintf("%04d-%02d", t.From.Year, int(t.From.Month)); first == "" || m < first {
				first = m
			}
		}
		if len(refs) == 0 {
			continue
		}
		r.ps.figuref(r.scenarioSheet(), "", "scenario %s: %d Tariffs row(s) (%s) took effect from %s, before the projection starts (%04d-%02d), and are charged from its first month as changes against today's duties; if those changes are in force today your unit costs already carry them and the rows count them twice, so give the scenario probability 0 or current rows on a Tariffs sheet",
			sc.ID, len(refs), capList(refs, 4), first, start.Year, int(start.Month))
	}
}

// warnUnknownOrigin: cost-bearing lines whose origin (and so component
// country) is unknown pay the tariffs of a part made in the controlling
// country in the proportion the unknown-origin policy gives, which for a
// part without rare earths rests on world magnet or component shares.
func (r *reader) warnUnknownOrigin() {
	if r.settings.UnknownOrigin == exposure.UnknownFree {
		return
	}
	named := false
	for _, sc := range r.scenarios {
		for _, t := range sc.Tariffs {
			named = named || t.Origin != "*"
		}
	}
	if !named {
		return
	}
	lines := r.bom.Lines
	parent := make([]bool, len(lines))
	for i := range lines {
		if p := lines[i].Parent; p >= 0 && p < len(lines) {
			parent[p] = true
		}
	}
	var refs []string
	n := 0
	for i := range lines {
		if r.settings.Rollup != exposure.RollupAll && parent[i] {
			continue
		}
		for _, s := range lines[i].Sources {
			if s.Origin == "" && s.Countries[exposure.StageComponent] == "" {
				n++
				refs = append(refs, lines[i].Ref)
				break
			}
		}
	}
	if n == 0 {
		return
	}
	how := "are costed in part as made in the controlling country, in proportion to its share of world output at the component stage (reference data)"
	if r.settings.UnknownOrigin == exposure.UnknownControlling {
		how = "are costed as made in the controlling country (--unknown-origin controlling)"
	}
	r.ps.figuref(r.bomName(), "", "%d cost-bearing line(s) (%s) name neither an origin nor a component country, so under the scenarios' tariff rows they %s; give their origin_country",
		n, capList(refs, 6), how)
}

func (r *reader) bomName() string {
	if r.bomSheet != "" {
		return r.bomSheet
	}
	return "BOM"
}

// warnNoContent: no line carries rare-earth content, so no scenario can
// move a price, a shortage or a delay.
func (r *reader) warnNoContent() {
	for i := range r.bom.Lines {
		if len(r.bom.Lines[i].Content) > 0 {
			return
		}
	}
	why := "its material, re_mass_kg/re_mass_g and element cells are empty or incomplete (a material needs a mass)"
	if !r.silent.bomContentCols {
		why = "the sheet has no material, re_mass_kg, re_mass_g or element column (Nd, Dy, ... in wt%; Nd_g, Dy_g, ... in grams per unit)"
	}
	if u := r.silent.unknown[r.bomName()]; len(u) > 0 {
		why += fmt.Sprintf("; its columns %s were not recognised (see their warnings)", strings.Join(u, ", "))
	}
	r.ps.figuref(r.bomName(), "", "no BOM line carries rare-earth content: %s. The report's price, shortage and carrying figures are zero for want of content, not because nothing changes; only tariffs can move them",
		why)
}

// warnNoCountries: no line names a single country, so every class comes
// from the --unknown-origin assumption.
func (r *reader) warnNoCountries() {
	for i := range r.bom.Lines {
		for _, s := range r.bom.Lines[i].Sources {
			if s.Origin != "" || s.HRESeparation != "" {
				return
			}
			for _, c := range s.Countries {
				if c != "" {
					return
				}
			}
		}
	}
	cc := r.settings.ControllingCountry
	how := map[exposure.UnknownPolicy]string{
		exposure.UnknownWorld:       fmt.Sprintf("split by %s's share of world output at each stage (reference data)", reference.CountryName(cc)),
		exposure.UnknownControlling: fmt.Sprintf("taken to be in %s, the controlling country, at every stage: the worst case", reference.CountryName(cc)),
		exposure.UnknownFree:        fmt.Sprintf("taken to be outside %s, the controlling country, at every stage: no control reaches them", reference.CountryName(cc)),
	}[r.settings.UnknownOrigin]
	r.ps.figuref(r.bomName(), "", "no BOM line names a stage or origin country (mine, separation, metal, component, origin): under --unknown-origin %s every line's supply chain is %s, so the figures rest on that assumption, not on your suppliers; fill in the countries you know",
		r.settings.UnknownOrigin, how)
}

// warnHSCodes: lines without an HS code that rows selecting by HS code
// would concern.
func (r *reader) warnHSCodes() {
	imports := map[string]bool{r.settings.ImportCountry: true}
	for _, p := range r.bom.Products {
		if p.ImportCountry != "" {
			imports[p.ImportCountry] = true
		}
	}
	fromSheet := !strings.HasPrefix(r.scenarioSrc, "built-in")
	var controls, tariffs hsRows
	for _, sc := range r.scenarios {
		for _, c := range sc.Controls {
			if c.HSPrefix != "" {
				controls.add(sc.ID, c.HSPrefix, c.Ref)
			}
		}
		for _, t := range sc.Tariffs {
			if t.HSPrefix != "" && imports[t.ImportCountry] {
				tariffs.add(sc.ID, t.HSPrefix, t.Ref)
			}
		}
	}
	if controls.n+tariffs.n == 0 {
		return
	}
	lines := r.bom.Lines
	parent := make([]bool, len(lines))
	for i := range lines {
		if p := lines[i].Parent; p >= 0 && p < len(lines) {
			parent[p] = true
		}
	}
	reach, missing := 0, 0
	var examples []string
	for i := range lines {
		l := &lines[i]
		costs := r.settings.Rollup == exposure.RollupAll || !parent[i]
		if !(controls.n > 0 && len(l.Content) > 0 || tariffs.n > 0 && costs) {
			continue
		}
		reach++
		if strings.TrimSpace(l.HSCode) == "" {
			missing++
			if len(examples) < 3 {
				examples = append(examples, l.Ref)
			}
		}
	}
	if missing == 0 {
		return
	}
	var rows []string
	if controls.n > 0 {
		rows = append(rows, controls.text("Controls", fromSheet))
	}
	if tariffs.n > 0 {
		rows = append(rows, tariffs.text("Tariffs", fromSheet))
	}
	what := "lines"
	if controls.n > 0 && tariffs.n == 0 {
		what = "lines with rare-earth content"
	} else if tariffs.n > 0 && controls.n == 0 {
		what = "cost-bearing lines"
	}
	eg := ""
	if len(examples) > 0 {
		eg = " (" + strings.Join(examples, ", ")
		if missing > len(examples) {
			eg += ", …"
		}
		eg += ")"
	}
	r.ps.figuref(r.bomName(), r.silent.bomHSCol, "%d of %d %s have no hs_code%s, so the scenario rows that select by HS code cannot reach them: %s. Those lines get only the rows without hs_prefix (or none); give their customs codes in an hs_code column",
		missing, reach, what, eg, strings.Join(rows, "; "))
}

// hsRows gathers the Controls or Tariffs rows that select by HS code.
type hsRows struct {
	n         int
	refs      []string // "Tariffs!5 (my-shock, 8505.11)"
	scenarios []string
	prefixes  []string
}

func (h *hsRows) add(scenario, prefix, ref string) {
	h.n++
	h.refs = append(h.refs, fmt.Sprintf("%s (%s, %s)", ref, scenario, prefix))
	if !slices.Contains(h.scenarios, scenario) {
		h.scenarios = append(h.scenarios, scenario)
	}
	if !slices.Contains(h.prefixes, prefix) {
		h.prefixes = append(h.prefixes, prefix)
	}
}

// text names the rows: by place when they come from a sheet of the
// user's, else (the built-in library) by their prefixes and scenarios.
func (h *hsRows) text(sheet string, fromSheet bool) string {
	if fromSheet {
		return sheet + " rows " + capList(h.refs, 6)
	}
	p := slices.Clone(h.prefixes)
	sort.Strings(p)
	prefixes := capList(p, 8)
	if len(p) <= 8 {
		prefixes = orList(p)
	}
	return fmt.Sprintf("%d %s row(s) with hs_prefix %s (scenarios %s)", h.n, sheet, prefixes, capList(h.scenarios, 8))
}

// warnScenarioAge compares the scenarios' check dates with --as-of. The
// library's check date is its newest `checked` date: the last time anyone
// went through it, as its note in the report says ("figures last checked
// ..."). Past 90 days the library as a whole is stale; else the scenarios
// whose own date is past 90 days are named.
func (r *reader) warnScenarioAge(asOf time.Time) {
	type dated struct {
		id, text string
		d        time.Time
	}
	var all []dated
	var newest dated
	for _, sc := range r.scenarios {
		if strings.TrimSpace(sc.Checked) == "" {
			continue
		}
		d, ok := parseDay(sc.Checked)
		if !ok {
			r.ps.warnf(r.scenarioSheet(), "", "scenario %s: checked %s is not a date such as 2026-01-29, so its age is not known", sc.ID, schema.Quote(sc.Checked))
			continue
		}
		x := dated{sc.ID, dayText(sc.Checked, d), d}
		all = append(all, x)
		if d.After(newest.d) {
			newest = x
		}
	}
	if len(all) == 0 {
		return
	}
	const advice = "controls, tariffs and their probabilities may have moved since, so check the scenarios against the news (rexpo scenarios lists them) and give current figures on a Scenarios sheet or with --scenarios"
	if days := daysBetween(newest.d, asOf); days > staleDays {
		r.ps.figuref(r.scenarioSheet(), "", "the scenario library was last checked %s, %d days before this report; %s", newest.text, days, advice)
		return
	}
	var stale []string
	for _, x := range all {
		if days := daysBetween(x.d, asOf); days > staleDays {
			stale = append(stale, fmt.Sprintf("%s (checked %s, %d days before this report)", x.id, x.text, days))
		}
	}
	if len(stale) > 0 {
		r.ps.figuref(r.scenarioSheet(), "", "scenario(s) %s were last checked more than %d days before this report; %s", capList(stale, 6), staleDays, advice)
	}
}

// scenarioSheet is the sheet the scenarios' problems name: "" for the
// built-in library, which is no sheet of the input.
func (r *reader) scenarioSheet() string {
	if strings.HasPrefix(r.scenarioSrc, "built-in") {
		return ""
	}
	return "Scenarios"
}

// warnPriceAge compares the as_of dates of the prices the BOM uses (its
// elements' and its materials') with --as-of.
func (r *reader) warnPriceAge(asOf time.Time) {
	elems, mats := map[string]bool{}, map[string]bool{}
	for i := range r.bom.Lines {
		l := &r.bom.Lines[i]
		for _, e := range l.Content {
			elems[e.Element] = true
		}
		if l.Material != "" {
			mats[l.Material] = true
		}
	}
	type group struct {
		asOf  string
		days  int
		names []string
	}
	stale := func(names []string, asOfOf func(string) string) string {
		byDate := map[string]*group{}
		for _, n := range names {
			text := strings.TrimSpace(asOfOf(n))
			d, ok := parseDay(text)
			if text == "" || !ok {
				continue
			}
			if days := daysBetween(d, asOf); days > staleDays {
				text = dayText(text, d)
				if byDate[text] == nil {
					byDate[text] = &group{asOf: text, days: days}
				}
				byDate[text].names = append(byDate[text].names, n)
			}
		}
		var gs []*group
		for _, g := range byDate {
			gs = append(gs, g)
		}
		sort.Slice(gs, func(i, j int) bool {
			return gs[i].days > gs[j].days || gs[i].days == gs[j].days && gs[i].asOf < gs[j].asOf
		})
		var parts []string
		for i, g := range gs {
			ago := "days"
			if i == 0 {
				ago = "days before this report"
			}
			parts = append(parts, fmt.Sprintf("%s as of %s (%d %s)", strings.Join(g.names, ", "), g.asOf, g.days, ago))
		}
		return strings.Join(parts, "; ")
	}
	if s := stale(sortedKeys(elems), func(e string) string { return r.prices[e].AsOf }); s != "" {
		r.ps.figuref("", "", "element prices more than %d days old: %s. Each scenario's uplift applies to these prices; give current ones on a Prices sheet", staleDays, s)
	}
	priced := func(m string) string {
		if r.materials[m].PricePerKg.IsZero() {
			return ""
		}
		return r.materials[m].PriceAsOf
	}
	if s := stale(sortedKeys(mats), priced); s != "" {
		r.ps.figuref("", "", "material prices more than %d days old: %s. Shortage and carrying costs are shares of these prices; give current ones on a Materials sheet", staleDays, s)
	}
}

// warnSignalAge: a signal whose newest reading is older than 92 days is
// shown but moves no probability (SPEC section 4).
func (r *reader) warnSignalAge(asOf time.Time) {
	newest := map[string]int{}
	var order []string
	for i, s := range r.signals {
		k := exposure.SignalKey(s.Name)
		j, ok := newest[k]
		if !ok {
			order = append(order, k)
		}
		if !ok || !s.Date.Before(r.signals[j].Date) {
			newest[k] = i
		}
	}
	sheet := r.find("Signals")
	for _, k := range order {
		s := r.signals[newest[k]]
		if s.Date.IsZero() {
			continue
		}
		if days := daysBetween(day(s.Date), asOf); days > staleSignalDays {
			r.ps.figuref(sheet, s.Ref, "signal %s: its newest reading is dated %s, %d days before this report (more than %d): it is shown on the Signals sheet but moves no probability; add current readings",
				s.Name, s.Date.Format("2006-01-02"), days, staleSignalDays)
		}
	}
}

// warnDecided: a scenario whose branch settled before --as-of has a known
// outcome; weighing it with a prior is then out of date. Scenarios that
// settle on the same day are the outcomes of one decision, so they are
// named together: the one that happened goes to 1, the others to 0 (a
// single raised prior would be scaled back down with the rest).
func (r *reader) warnDecided(asOf time.Time) {
	type branch struct {
		date  string
		day   time.Time
		names []string
		prior []string
	}
	var branches []*branch
	byDate := map[string]*branch{}
	for _, sc := range r.scenarios {
		text := strings.TrimSpace(sc.DecidedOn)
		if text == "" {
			continue
		}
		d, ok := parseDay(text)
		if !ok || !asOf.After(d) {
			continue
		}
		b := byDate[text]
		if b == nil {
			b = &branch{date: text, day: d}
			byDate[text] = b
			branches = append(branches, b)
		}
		b.names = append(b.names, fmt.Sprintf("%s (%s)", sc.ID, schema.Quote(sc.Name)))
		b.prior = append(b.prior, sc.Prior.Shift(2).Round(1).String()+"%")
	}
	where := "on the Scenarios sheet"
	if r.scenarioSheet() == "" {
		where = "on a Scenarios sheet (rexpo scenarios --format xlsx writes the library to start from; give it with --scenarios)"
	}
	for _, b := range branches {
		days := daysBetween(b.day, asOf)
		if len(b.names) == 1 {
			r.ps.figuref(r.scenarioSheet(), "", "scenario %s was decided on %s, %d days before this report: its outcome is now known, so its probability belongs at 1 (it happened; then set the scenarios that assume otherwise to 0) or 0 (it did not) %s, not at the %s prior it is weighed with",
				b.names[0], b.date, days, where, b.prior[0])
			continue
		}
		r.ps.figuref(r.scenarioSheet(), "", "scenarios %s are outcomes of one decision, settled on %s, %d days before this report (priors %s): give the one that happened probability 1 and the others 0 %s, together with the undated scenarios that assume another outcome; raising one prior alone would be scaled back down with the rest",
			strings.Join(b.names, " and "), b.date, days, strings.Join(b.prior, ", "), where)
	}
}

// day returns t's calendar date at midnight UTC, so that days between two
// dates are whole.
func day(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// daysBetween is the number of calendar days from a to b.
func daysBetween(a, b time.Time) int {
	return int(day(b).Sub(day(a)).Hours()/24 + 0.5)
}

// parseDay reads a date as the reference data and users write one:
// 2026-01-29, a month 2026-01 (its first day, as for signals), 2026/01/29,
// 29 January 2026, a timestamp, or a date cell's serial number.
func parseDay(text string) (time.Time, bool) {
	s := strings.TrimSpace(text)
	for _, layout := range []string{"2006-01-02", "2006-01", "2006/01/02", "2 January 2006", "2 Jan 2006", "January 2, 2006", "Jan 2, 2006", "January 2006", "Jan 2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	if t, err := parseTimestamp(s); err == nil {
		return day(t), true
	}
	if t, err := serialTime(s); err == nil {
		return day(t), true
	}
	return time.Time{}, false
}

// dayText is a date as the input wrote it, or, for a date cell's serial
// number, as 2026-01-29.
func dayText(text string, d time.Time) string {
	text = strings.TrimSpace(text)
	if strings.Trim(text, "0123456789.") == "" {
		return d.Format("2006-01-02")
	}
	return text
}

// capList joins at most n items, saying how many more there are.
func capList(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

// andList joins "A", "A and B", "A, B and C".
func andList(items []string) string { return joinLast(items, " and ") }

// orList joins "A", "A or B", "A, B or C".
func orList(items []string) string { return joinLast(items, " or ") }

func joinLast(items []string, last string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + last + items[len(items)-1]
}
