package inputs

// The warnings about what the report's figures rest on, given once the
// whole input is read: no rare-earth content, no known country, HS codes
// that rows cannot reach, unknown origins, tariffs already in today's
// costs (SPEC section 11).

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"rexpo/exposure"
	"rexpo/reference"
)

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
		if p := int(lines[i].Parent); p >= 0 && p < len(lines) {
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
			if s.Origin == exposure.NoCountry && s.Countries[exposure.StageComponent] == exposure.NoCountry {
				n++
				refs = append(refs, r.bom.Ref(i))
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
			if s.Origin != exposure.NoCountry || s.HRESeparation != exposure.NoCountry {
				return
			}
			for _, c := range s.Countries {
				if c != exposure.NoCountry {
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
		if p := int(lines[i].Parent); p >= 0 && p < len(lines) {
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
				examples = append(examples, r.bom.Ref(i))
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
