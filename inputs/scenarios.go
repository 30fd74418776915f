package inputs

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/reference"
	"rexpo/schema"
	"rexpo/workbook"
)

// readScenarios reads the scenario library: from --scenarios, else from
// the input's own Scenarios sheet, else the built-in library.
func (r *reader) readScenarios() error {
	ref, err := Reference()
	if err != nil {
		return err
	}
	r.readGroups()
	src := ref
	r.scenarioSrc = "built-in library"
	// A filled-in template whose scenario sheets hold only its examples
	// runs the library, as if the sheets were not there.
	examples := !r.libraryOnly && r.opts.Scenarios == nil && r.examplesOnly("Scenarios", "Controls", "Tariffs")
	switch {
	case r.opts.Scenarios != nil:
		src = r.opts.Scenarios
		r.scenarioSrc = r.opts.Scenarios.Name()
		if findSheet(src, "Scenarios") == "" {
			r.ps.errorIs(ErrMissingSheet, "", "", "%s has no Scenarios sheet (sheets found: %s)", src.Name(), quoteList(src.Sheets()))
			return nil
		}
	case !r.libraryOnly && !examples && findSheet(r.book, "Scenarios") != "":
		src = r.book
		r.scenarioSrc = r.book.Name() + " (its Scenarios sheet)"
	case !r.libraryOnly && !examples:
		for _, s := range []string{"Controls", "Tariffs"} {
			if sh := findSheet(r.book, s); sh != "" {
				r.ps.errorIs(ErrMissingSheet, sh, "", "a %s sheet needs a Scenarios sheet beside it: its rows replace the built-in library", s)
			}
		}
	}
	byID := r.scenarioRows(src)
	r.controlRows(src, byID)
	r.tariffRows(src, byID)
	r.filterOnly()
	r.normalisePriors()
	if src == ref {
		latest := ""
		for _, sc := range r.scenarios {
			latest = max(latest, sc.Checked)
		}
		if latest != "" {
			r.scenarioSrc += " (figures last checked " + latest + ")"
		}
	}
	return nil
}

// scenarioIndex finds scenarios by id while their sheets are read.
type scenarioIndex struct {
	idx   map[string]int
	where []string
}

func (r *reader) scenarioRows(b *workbook.Book) *scenarioIndex {
	ix := &scenarioIndex{idx: map[string]int{}}
	t := r.openIn(b, "Scenarios", false)
	if t == nil {
		return ix
	}
	defer t.close()
	for t.next() {
		id := t.text("scenario")
		if id == "" {
			t.bad("scenario", ErrMissingValue, "scenario id is empty")
			continue
		}
		if first, dup := ix.idx[id]; dup {
			t.bad("scenario", ErrDuplicate, "scenario %q already defined at %s", id, ix.where[first])
			continue
		}
		sc := exposure.Scenario{ID: id, Name: t.text("name"), Description: t.text("description"), Source: t.text("source"), Country: "CN", Checked: t.text("checked")}
		if sc.Name == "" {
			sc.Name = id
		}
		if v := t.text("stance"); v != "" {
			st, ok := schema.Stances.Lookup(v)
			if !ok {
				t.bad("stance", ErrUnknownWord, "stance %q: expected %s", v, schema.Stances.OneOf())
			}
			sc.Stance = st
		}
		if c := t.country("country"); c != "" {
			sc.Country = c
		}
		sc.DecidedOn = t.day("decided_on")
		given := false
		if v := t.cell("probability"); strings.TrimSpace(v.Text) != "" {
			text, err := t.numberText(v)
			var p decimal.Decimal
			if err == nil {
				p, err = ParseFraction(text, v.Percent)
			}
			if err != nil {
				t.cellErr(t.col["probability"], err)
			} else {
				sc.Prior, given = p, true
			}
		}
		sc.SpotPremium = r.param(t, "spot_premium_pct", "spot_premium_low", "spot_premium_high", true, decimal.Zero)
		if sc.SpotPremium.Value.Sign() < 0 {
			t.bad("spot_premium_pct", ErrNegative, "spot premium must be 0 or more")
		}
		ix.idx[id] = len(r.scenarios)
		sc.PriorBlank = !given
		ix.where = append(ix.where, t.rowRef())
		r.scenarios = append(r.scenarios, sc)
	}
	r.readErr(t)
	return ix
}

// param reads a numeric scenario field that may carry a range, either
// "30 (20..60)" in the cell or in low/high columns.
func (r *reader) param(t *table, col, lowCol, highCol string, pct bool, def decimal.Decimal) exposure.Param {
	parse := ParseAmount
	if pct {
		parse = func(s string) (decimal.Decimal, error) { return ParsePercent(s, false) }
	}
	p := exposure.Fixed(def)
	i, ok := t.col[col]
	c := t.cellAt(i)
	if ok && strings.TrimSpace(c.Text) != "" {
		text, err := t.numberText(c)
		switch {
		case err != nil:
		case c.Percent && pct:
			var v decimal.Decimal
			v, err = ParsePercent(text, true)
			p = exposure.Fixed(v)
		default:
			p.Value, p.Low, p.High, p.Ranged, err = ParseRange(text, parse)
		}
		if err != nil {
			t.cellErr(i, err)
			return exposure.Fixed(def)
		}
	}
	low, hasLow := r.rangeEnd(t, lowCol, pct)
	high, hasHigh := r.rangeEnd(t, highCol, pct)
	if hasLow || hasHigh {
		if p.Ranged {
			t.bad(lowCol, ErrConflict, "the range is given twice: in %s and in %s/%s", col, lowCol, highCol)
			return p
		}
		if !hasLow {
			low = p.Value
		}
		if !hasHigh {
			high = p.Value
		}
		if low.GreaterThan(p.Value) || high.LessThan(p.Value) {
			t.bad(lowCol, ErrOutOfRange, "range %s..%s does not contain the value %s", low, high, p.Value)
			return p
		}
		p.Low, p.High, p.Ranged = low, high, true
	}
	return p
}

func (r *reader) rangeEnd(t *table, col string, pct bool) (decimal.Decimal, bool) {
	i, ok := t.col[col]
	if !ok {
		return decimal.Decimal{}, false
	}
	if pct {
		return t.percentAt(i)
	}
	c := t.cellAt(i)
	if strings.TrimSpace(c.Text) == "" {
		return decimal.Decimal{}, false
	}
	text, err := t.numberText(c)
	var d decimal.Decimal
	if err == nil {
		d, err = ParseAmount(text)
	}
	if err != nil {
		t.cellErr(i, err)
		return decimal.Decimal{}, false
	}
	return d, true
}

func (r *reader) scenarioOf(t *table, ix *scenarioIndex) *exposure.Scenario {
	id := t.text("scenario")
	i, ok := ix.idx[id]
	if !ok {
		t.bad("scenario", ErrUnknownName, "scenario %q is not on the Scenarios sheet", id)
		return nil
	}
	return &r.scenarios[i]
}

func (r *reader) controlRows(b *workbook.Book, ix *scenarioIndex) {
	t := r.openIn(b, "Controls", false)
	if t == nil {
		return
	}
	defer t.close()
	minus100 := decimal.NewFromInt(-100)
	for t.next() {
		sc := r.scenarioOf(t, ix)
		if sc == nil {
			continue
		}
		c := exposure.Control{Ref: t.rowRef()}
		if !r.controlElements(t, &c) {
			continue
		}
		cls, ok := schema.Classes.Lookup(t.text("class"))
		if !ok {
			t.bad("class", ErrUnknownWord, "class %q: expected %s", t.text("class"), schema.Classes.OneOf())
			continue
		}
		c.Class = cls
		if c.HSPrefix, ok = hsPrefix(t); !ok {
			continue
		}
		c.Uplift = r.param(t, "price_uplift_pct", "price_uplift_low", "price_uplift_high", true, decimal.Zero)
		c.Availability = r.param(t, "availability_pct", "availability_low", "availability_high", true, hundred)
		c.Delay = r.param(t, "delay_days", "delay_low", "delay_high", false, decimal.Zero)
		if c.Uplift.Low.LessThan(minus100) {
			t.bad("price_uplift_pct", ErrOutOfRange, "a price uplift cannot be below -100%%")
		}
		if c.Availability.Low.Sign() < 0 || c.Availability.High.GreaterThan(hundred) {
			t.bad("availability_pct", ErrOutOfRange, "availability must be between 0 and 100%%")
		}
		if c.Delay.Low.Sign() < 0 {
			t.bad("delay_days", ErrNegative, "delay must be 0 days or more")
		}
		c.From, c.To = r.window(t)
		sc.Controls = append(sc.Controls, c)
	}
	r.readErr(t)
}

// controlElements parses the elements cell: symbols, names, group names
// (HRE7, HRE12) or `*`.
func (r *reader) controlElements(t *table, c *exposure.Control) bool {
	cell := t.text("elements")
	if cell == "" {
		t.bad("elements", ErrMissingValue, "elements is empty: name elements, a group such as HRE7, or *")
		return false
	}
	seen := map[string]bool{}
	ok := true
	for _, tok := range strings.Split(cell, ",") {
		tok = strings.TrimSpace(tok)
		switch {
		case tok == "":
		case tok == "*":
			c.AllElements = true
		case r.groups[schema.NormalizeKey(tok)] != nil:
			for _, e := range r.groups[schema.NormalizeKey(tok)] {
				if !seen[e] {
					seen[e] = true
					c.Elements = append(c.Elements, e)
				}
			}
		default:
			sym, err := reference.LookupElement(tok)
			if err != nil {
				t.bad("elements", ErrUnknownElement, "%v (groups: %s)", err, strings.Join(sortedKeys(r.groups), ", "))
				ok = false
				continue
			}
			r.named[sym] = true
			if !seen[sym] {
				seen[sym] = true
				c.Elements = append(c.Elements, sym)
			}
		}
	}
	if c.AllElements && len(c.Elements) > 0 {
		t.bad("elements", ErrConflict, "* already means every element: list elements or *, not both")
		return false
	}
	return ok
}

// window reads from_month and to_month and checks their order.
func (r *reader) window(t *table) (exposure.Month, exposure.Month) {
	from, to := t.month("from_month"), t.month("to_month")
	if !from.IsZero() && !to.IsZero() && (from.Relative > 0) == (to.Relative > 0) {
		if to.Index(from) < 1 {
			t.bad("to_month", ErrOutOfRange, "to_month is before from_month")
		}
	}
	return from, to
}

func (r *reader) tariffRows(b *workbook.Book, ix *scenarioIndex) {
	t := r.openIn(b, "Tariffs", false)
	if t == nil {
		return
	}
	defer t.close()
	for t.next() {
		sc := r.scenarioOf(t, ix)
		if sc == nil {
			continue
		}
		tr := exposure.Tariff{Ref: t.rowRef(), ImportCountry: t.country("import_country"), Origin: "*"}
		if tr.ImportCountry == "" && t.text("import_country") == "" {
			t.bad("import_country", ErrMissingValue, "import country is empty")
		}
		if o := t.text("origin_country"); o != "" && o != "*" {
			code, err := reference.LookupCountry(o)
			if err != nil {
				t.cellErr(t.col["origin_country"], err)
				continue
			}
			tr.Origin = code
		}
		if m := t.text("material"); m != "" {
			code, ok := r.materialByKey[schema.NormalizeKey(m)]
			if !ok {
				t.bad("material", ErrUnknownName, "unknown material %q%s", m, r.suggestMaterial(m))
				continue
			}
			tr.Material = code
		}
		tr.HSPrefix = t.text("hs_prefix")
		if strings.Trim(tr.HSPrefix, "0123456789. ") != "" {
			t.bad("hs_prefix", ErrInvalidNumber, "HS prefix %q: expected digits such as 8505.11", tr.HSPrefix)
			continue
		}
		tr.Pct = r.param(t, "tariff_pct", "tariff_low", "tariff_high", true, decimal.Zero)
		if t.text("tariff_pct") == "" {
			t.bad("tariff_pct", ErrMissingValue, "tariff is empty")
		}
		tr.From, tr.To = r.window(t)
		sc.Tariffs = append(sc.Tariffs, tr)
	}
	r.readErr(t)
}

// hsPrefix reads a Controls row's hs_prefix as its digits alone (8505.11
// is 850511), as HS codes are compared; ok is false when the cell holds
// anything but digits, dots and spaces (recorded).
func hsPrefix(t *table) (digits string, ok bool) {
	text := t.text("hs_prefix")
	if strings.Trim(text, "0123456789. ") != "" || text != "" && strings.Trim(text, ". ") == "" {
		t.bad("hs_prefix", ErrInvalidNumber, "HS prefix %q: expected digits such as 8505.11", text)
		return "", false
	}
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, text), true
}

// day reads an optional date column as YYYY-MM-DD: a date cell, or text
// such as 2026-11-10 (a timestamp's time of day is dropped). Empty gives
// ""; a bad cell is recorded and gives "".
func (t *table) day(name string) string {
	i, ok := t.col[name]
	c := t.cellAt(i)
	text := strings.TrimSpace(c.Text)
	if !ok || text == "" {
		return ""
	}
	if c.Date && c.Kind == workbook.CellNumber {
		v := text
		if t.date1904 {
			if d, err := decimal.NewFromString(text); err == nil {
				v = d.Add(decimal.NewFromInt(1462)).String()
			}
		}
		if d, err := serialTime(v); err == nil {
			return d.Format(time.DateOnly)
		}
	}
	if d, err := parseTimestamp(text); err == nil {
		return d.Format(time.DateOnly)
	}
	t.cellErr(i, fmt.Errorf("%w: write a date such as 2026-11-10", ErrInvalidDate))
	return ""
}

// filterOnly keeps the scenarios --only names, in library order.
func (r *reader) filterOnly() {
	if len(r.opts.Only) == 0 {
		return
	}
	want := map[string]bool{}
	for _, id := range r.opts.Only {
		want[id] = true
	}
	var kept []exposure.Scenario
	for _, sc := range r.scenarios {
		if want[sc.ID] {
			kept = append(kept, sc)
			delete(want, sc.ID)
		}
	}
	for _, id := range sortedKeys(want) {
		var ids []string
		for _, sc := range r.scenarios {
			ids = append(ids, sc.ID)
		}
		r.ps.errorIs(ErrUnknownName, "", "--only", "unknown scenario %q (known: %s)", id, strings.Join(ids, ", "))
	}
	r.scenarios = kept
}

// normalisePriors makes the priors add up to 1: blanks share what the
// given ones leave; given ones above 1 in total are scaled down (blanks
// get 0), below 1 with no blanks scaled up; both with a warning.
func (r *reader) normalisePriors() {
	if len(r.scenarios) == 0 {
		if r.ps.errs == 0 {
			r.ps.errorIs(ErrMissingValue, "Scenarios", "", "no scenarios to compute")
		}
		return
	}
	one := decimal.NewFromInt(1)
	var given decimal.Decimal
	blanks := 0
	for _, sc := range r.scenarios {
		if sc.PriorBlank {
			blanks++
		}
		given = given.Add(sc.Prior)
	}
	switch {
	case given.GreaterThan(one):
		r.ps.warnf("Scenarios", "", "probabilities add up to %s: scaled to 1 (blank ones get 0)", given)
		for i := range r.scenarios {
			r.scenarios[i].Prior = r.scenarios[i].Prior.DivRound(given, 18)
		}
	case blanks > 0:
		share := one.Sub(given).DivRound(decimal.NewFromInt(int64(blanks)), 18)
		for i := range r.scenarios {
			if r.scenarios[i].PriorBlank {
				r.scenarios[i].Prior = share
			}
		}
	case given.IsZero():
		r.ps.errorIs(ErrOutOfRange, "Scenarios", "", "every probability is 0: give at least one scenario a probability")
	case !given.Equal(one):
		r.ps.warnf("Scenarios", "", "probabilities add up to %s: scaled to 1", given)
		for i := range r.scenarios {
			r.scenarios[i].Prior = r.scenarios[i].Prior.DivRound(given, 18)
		}
	}
}
