package inputs

// Stale data and settled scenarios, against --as-of: the scenario
// library's check date, price dates, signal readings and decided_on
// (SPEC section 4, "Data age"; section 11).

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"rexpo/exposure"
	"rexpo/schema"
)

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
