package reports

import (
	"fmt"
	"slices"
	"strings"

	"rexpo/exposure"
)

// sheetRecommendations is the plan of SPEC section 8; it follows Countries.
const sheetRecommendations = "Recommendations"

// planChartHeight is the height of the sheet's chart in pixels.
const planChartHeight = 380

// maxPlanRows is how many planned lines the sheet lists (largest expected
// saving first); the JSON has them all.
const maxPlanRows = 2000

// planHeaderRow is the plan table's header row: the sheet's title and
// subtitles above it, the rows frozen on screen and repeated on every
// printed page down to it.
const planHeaderRow = 4

// planNotesCol is the plan table's column of notes (the stages left above
// the cap), where the JSON's warnings point.
const planNotesCol = 13

// minPlanScale is the smallest print scale of the sheet, in percent: the
// plan table is laid out to fit a landscape Letter page's width at it.
const minPlanScale = 60

// Column widths of the plan table, shared by the sheet's other blocks.
const (
	recWProduct = 11
	recWPart    = 14
	recWDesc    = 18
	recWToday   = 22
	recWPlan    = 26
	recWMoney   = 12
	recWMonth   = 9
	recWPayback = 11
	recWNotes   = 28
)

// recommendationsSheet writes the plan in two side-by-side parts, each
// printed on its own pages: in columns A to M the plan table, one row per
// part, its header frozen and repeated on every page; from column O the
// portfolio's figures, how to read them, a chart of where the planned
// parts come from today and under the plan, every candidate source, the
// concentration per stage and the exposed parts without an alternative.
// Side by side, the rows repeated on the plan's pages (its title and
// header) show only the right part's own title on its pages.
func (rep *report) recommendationsSheet() error {
	w := rep.writer(sheetRecommendations)
	w.pageSetup(planHeaderRow)
	w.b.printed[w.sheet].minScale = minPlanScale
	w.panes(planHeaderRow, 0)
	w.str(1, 1, "Recommendations: spread each exposed part over more production centres", w.b.s.title)
	p := rep.r.Plan
	row := planHeaderRow
	if p == nil {
		w.str(1, 2, "No plan was computed for this report.", w.b.s.subtitle)
		rep.planTable(w, &row, nil)
		return w.err
	}
	objective := "the expected annual cost (scenarios weighed by probability)"
	if p.Objective == exposure.ObjectiveWorst {
		objective = "the annual cost in the worst scenario"
	}
	w.str(1, 2, fmt.Sprintf("Each part's mix minimises %s · no capped country (%s) above %s%% of a part at any stage where the candidates allow it, nor above its share today · amounts in %s a year",
		objective, capWho(p), p.CountryCap.String(), rep.cur), w.b.s.subtitle)
	w.str(1, 3, rep.planGist(), w.b.s.subtitle)
	order := planOrder(p)
	rep.planTable(w, &row, order)
	// The right part starts below the plan table, so that the two never
	// share a row (and its height).
	top := row + 1
	w.b.printed[w.sheet].split = &printSplit{leftCols: planNotesCol, leftRows: row - 2, rightCol: recRight, rightRow: top}
	w.b.fix(w.sheet, recRight-1, 3) // a narrow gap between the two parts
	rep.rightPartTitle(w, top)
	row = top
	rep.portfolioBlock(w, &row)
	chartRow := row
	if len(p.Lines) > 0 {
		row += planChartHeight/16 + 3 // the chart sits here; LibreOffice's rows are lower than Excel's
	}
	rep.sourcesTable(w, &row, order)
	rep.hhiTable(w, &row, order)
	rep.unplannedTable(w, &row)
	rep.planChart(w, &row, chartRow)
	rep.defaultsTable(w, &row, order)
	return w.err
}

// rightPartTitle writes the right part's title in the rows the plan's
// header repeats, so that it heads each of its printed pages, and links
// the two parts: A3 to the right part's first block at row top, and back.
func (rep *report) rightPartTitle(w *sheetWriter, top int) {
	w.str(recRight, 1, "The plan in figures", w.b.s.title)
	w.str(recRight, 2, "The portfolio's figures, how to read the plan, where the planned parts come from, every candidate source and the concentration by stage. The plan by part is in columns A to M.", w.b.s.subtitle)
	w.str(recRight, 3, "← Back to the plan by part", w.b.s.subtitle)
	w.link(recRight, 3, "'"+w.sheet+"'!A1")
	w.link(1, 3, "'"+w.sheet+"'!"+cellName(recRight, top))
}

// recRight is the first column of the sheet's right part (O).
const recRight = planNotesCol + 2

// rc is column i (1-based) of the sheet's right part.
func rc(i int) int { return recRight + i - 1 }

// planGist is the line above the plan table: how many parts change, what
// the cap costs, and where the rest is.
func (rep *report) planGist() string {
	p := rep.r.Plan
	s := fmt.Sprintf("%d of the %d exposed parts change their mix", p.Changed, p.Exposed)
	if p.RequiredByCap > 0 {
		s += fmt.Sprintf("; %d of them are required by the cap, which costs %s %s a year in expectation", p.RequiredByCap, rep.cur, wholeText(p.CostOfCap))
	}
	return s + ". Totals, a chart, every candidate and the HHI by stage: from column O, below the table (click)."
}

// recParagraphChars is about how many characters a line of the sheet's
// paragraphs (merged over 13 columns) holds.
const recParagraphChars = 200

// portfolioBlock writes the portfolio's figures, how to read the sheet
// and the plan's notes at *row of the right part.
func (rep *report) portfolioBlock(w *sheetWriter, row *int) {
	p, r := rep.r.Plan, rep.r
	w.str(rc(1), *row, "Portfolio (the plan by part is in columns A to M, above)", w.b.s.section)
	type fig struct {
		label string
		v     any
		k     kind
		bold  bool
	}
	figures := []fig{
		{"Exposed parts (cost moves in a scenario)", p.Exposed, kInt, false},
		{"Parts with a plan (two or more candidates)", p.Planned, kInt, false},
		{"Parts whose mix changes", p.Changed, kInt, false},
		{rep.money("Premium a year if nothing happens"), p.Premium, kMoney, true},
		{rep.money("Expected saving a year, net of premium"), p.ExpectedSaving, kMoney, true},
	}
	if len(r.Scenarios) > 0 && p.WorstCurrent < len(r.Scenarios) {
		figures = append(figures, fig{rep.money("Worst-case saving a year"), p.WorstSaving, kMoney, true})
	}
	figures = append(figures,
		fig{rep.money("Horizon saving, after qualifying"), p.HorizonSaving, kMoney, true},
		fig{rep.money("One-off costs to qualify sources"), p.QualificationCost, kMoney, false},
		fig{"Parts required by the cap", p.RequiredByCap, kInt, false},
		fig{rep.money("Cost of the cap a year, expected"), p.CostOfCap, kMoney, true},
		fig{fmt.Sprintf("Parts above the %s%% cap at some stage", p.CountryCap), p.CapNotMet, kInt, false},
	)
	for _, f := range figures {
		*row++
		// Label across the first three columns, value in the fourth.
		w.str(rc(1), *row, f.label, w.b.s.label)
		w.merge(rc(1), *row, rc(3), *row)
		w.put(rc(4), *row, f.v, f.k, f.bold)
	}
	*row += 2
	w.str(rc(1), *row, "How to read it", w.b.s.section)
	*row++
	w.paragraph(rc(1), *row, planNotesCol, rep.howToRead(), recParagraphChars)
	*row += 2
	if len(p.Notes) > 0 {
		w.paragraph(rc(1), *row, planNotesCol, "Notes: "+strings.Join(p.Notes, "; ")+".", recParagraphChars)
		*row += 2
	}
}

// howToRead explains the sheet in a few sentences.
func (rep *report) howToRead() string {
	p := rep.r.Plan
	s := []string{
		"For each exposed part with two or more candidate sources, a linear program chooses the share of its annual volume to buy from each.",
		"Candidates: today's sources; Alternatives rows for its part number (another maker of the whole part); else rows for its material, else the default centres for its material: these keep today's suppliers, in today's shares, and have only the rare-earth-bearing material inside the part made elsewhere, at a premium on that material's value (\"Ningbo Magnet Co. (CN) with magnet material from Neo Narva (EE)\"); their tariff stays the part's.",
		fmt.Sprintf("The cap: no capped country (%s) may hold more than %s%% of a part at any stage (mine, separation, heavy-rare-earth separation for parts holding heavy rare earths, metal, component), nor more than it holds today; other countries are not capped (--cap-countries). Where no candidate, or not enough capacity, lies outside a capped country at some stage, the plan gives way at that stage only, and the last column names it.", capWho(p), p.CountryCap),
		"Premium: what the recommended mix costs more a year if no scenario happens. Expected and worst-case savings are annual, in steady state once the plan takes effect, net of the premium. A plan takes effect when its last new source has qualified (\"In effect from\").",
		"Horizon saving: the probability-weighted saving of each month from then to the end of the projection, less the new sources' one-off qualification costs; payback is the first month by which it covers them.",
		"Required by the cap: the plan's expected saving is negative; the cap, not the cost, asks for it, and that is what it costs.",
		"HHI: the Herfindahl–Hirschman index of a stage over its known countries, 0 to 10,000 (the European Commission treats above 4,000 as concentrated); the last column names every stage where the plan raises it.",
	}
	if p.IndicativeCandidate {
		s = append(s, "Sources marked indicative are reference-data defaults: premiums and qualification times are published estimates, not quotes.")
	}
	return strings.Join(s, " ")
}

// planTable writes one row per listed part at *row (its header), with the
// sheet's autofilter, and the portfolio's totals under it.
func (rep *report) planTable(w *sheetWriter, row *int, order []*exposure.LinePlan) {
	p := rep.r.Plan
	t := w.table(1, *row, []col{
		{head: "Product", kind: kWrap, width: recWProduct},
		{head: "Part number", kind: kWrap, width: recWPart},
		{head: "Description", kind: kWrap, width: recWDesc},
		{head: "Today's mix (supplier, component country, share)", kind: kWrap, width: recWToday},
		{head: "Recommended mix", kind: kWrap, width: recWPlan},
		{head: rep.money("Premium a year if nothing happens"), kind: kMoneyWhole, width: recWMoney},
		{head: rep.money("Expected saving a year"), kind: kMoneyWhole, width: recWMoney},
		{head: rep.money("Worst-case saving a year"), kind: kMoneyWhole, width: recWMoney},
		{head: rep.money("Horizon saving, after qualifying"), kind: kMoneyWhole, width: recWMoney},
		{head: "In effect from", kind: kText, width: recWMonth},
		{head: "Paid back by", kind: kWrap, width: recWPayback},
		{head: rep.money("Required by the cap: its cost a year"), kind: kMoneyWhole, width: recWMoney},
		{head: "Above the cap, concentration, notes", kind: kWrap, width: recWNotes},
	})
	w.notes(t.top, map[int]string{
		6:  "Annual cost of the recommended mix minus today's, when no scenario happens (baseline unit costs only).",
		7:  "Probability-weighted annual cost (baseline plus scenario change) of today's mix minus the recommended one's, in steady state once the plan is in effect. Net of the premium; negative when the cap requires the plan.",
		8:  "Today's mix in its worst scenario minus the recommended mix in its worst scenario, net of the premium.",
		9:  "Σ over the months from the plan's taking effect to the end of the projection of the probability-weighted saving, less the new sources' one-off qualification costs.",
		10: "The month the plan's last new source can deliver: the projection's first month plus its qualification time. Savings count from then.",
		11: "The first month by which the saving since the plan took effect covers the qualification costs; \"not within the horizon\" when none.",
		12: "The plan's expected saving is negative: the cap, not the cost, asks for it, and this is what it costs a year. Empty when the plan saves.",
	})
	for _, lp := range order {
		t.add(rep.planRow(lp)...)
	}
	if len(order) == 0 {
		w.str(1, t.row+1, emptyPlanText(p), w.b.s.note)
		t.row++
		*row = t.row + 2
		t.filter()
		return
	}
	t.filter()
	t.row++ // a blank row keeps the totals out of the filter
	title := fmt.Sprintf("All %d planned parts", p.Planned)
	switch {
	case len(order) < len(p.Lines) || p.Changed > len(p.Lines):
		title += fmt.Sprintf(" (%d listed: the largest savings)", len(order))
	case p.Planned > len(p.Lines):
		title += fmt.Sprintf(" (%d listed: the others keep today's mix)", len(p.Lines))
	}
	t.addBold(title, nil, nil, nil, nil, p.Premium, p.ExpectedSaving, p.WorstSaving, p.HorizonSaving, nil, nil, p.CostOfCap, nil)
	*row = t.row + 2
}

// planRow is a listed part's row of the plan table.
func (rep *report) planRow(lp *exposure.LinePlan) []any {
	p := rep.r.Plan
	var costOfCap any
	if lp.RequiredByCap {
		costOfCap = lp.ExpectedSaving.Neg()
	}
	recommended, effect := rep.mixWords(lp, false), any(planMonth(p, lp.QualificationMonth))
	var horizon any = lp.HorizonSaving
	if !lp.Changed {
		recommended, effect, horizon = "Today's mix, kept: no other mix does better within the cap.", nil, nil
	}
	return []any{lp.Line.Product, lp.Line.PartNumber, lp.Line.Description, rep.mixWords(lp, true), recommended,
		lp.Premium, lp.ExpectedSaving, lp.WorstSaving, horizon, effect, paybackText(p, lp), costOfCap, rep.lineNotes(lp)}
}

// emptyPlanText says why the plan table lists no part.
func emptyPlanText(p *exposure.Plan) string {
	switch {
	case p == nil:
		return "No plan was computed."
	case p.Exposed == 0:
		return "No part's cost changes in these scenarios: nothing to plan."
	case p.Planned == 0:
		return "No exposed part has a second candidate source: add Alternatives rows to get a plan."
	}
	return "Every planned part keeps today's mix: no other mix does better within the cap."
}

// sourcesTable writes every candidate of every listed part.
func (rep *report) sourcesTable(w *sheetWriter, row *int, order []*exposure.LinePlan) {
	if len(order) == 0 {
		return
	}
	w.str(rc(1), *row, "Candidate sources of the listed parts", w.b.s.section)
	t := w.table(rc(1), *row+1, []col{
		{head: "Product", kind: kWrap, width: recWProduct},
		{head: "Part number", kind: kWrap, width: recWPart},
		{head: "Candidate", kind: kWrap, width: recWDesc},
		{head: "What it offers", kind: kWrap, width: recWToday},
		{head: "Countries: mine · separation · heavy-RE separation · metal · component; shipped from", kind: kWrap, width: recWPlan},
		{head: rep.money("Unit cost"), kind: kUnitMoney, width: recWMoney},
		{head: "Today (%)", kind: kPct, width: recWMoney},
		{head: "Planned (%)", kind: kPct, width: recWMoney},
		{head: "Change (% points)", kind: kPct, width: recWMoney},
		{head: "Capacity a year", kind: kQty, width: recWMonth},
		{head: "Months to qualify", kind: kInt, width: recWPayback},
		{head: rep.money("One-off cost to qualify"), kind: kMoneyWhole, width: recWMoney},
		{head: "Basis of the figures", kind: kWrap, width: recWNotes},
	})
	w.note(rc(10), t.top, "Units of the part a year for another maker of the whole part; kg of material a year for a material centre, shared by every part of that material it serves. Empty: no limit.")
	for _, lp := range order {
		for _, c := range lp.Candidates {
			t.add(rep.candidateRow(lp, c)...)
		}
	}
	t.asTable("PlanSources")
	*row = t.row + 3
}

// candidateRow is one candidate source of a listed part: what it offers,
// where it makes the part, its shares today and planned, and the basis of
// its figures.
func (rep *report) candidateRow(lp *exposure.LinePlan, c exposure.Candidate) []any {
	mat := rep.materialWord(lp.Line)
	var capacity, qual, qcost any
	if c.HasCapacity {
		capacity = c.Capacity
	}
	offer, basis := "Today's source", "Today's unit cost."
	if !c.Current {
		qual = c.QualificationMonths
		if c.QualificationCost.Sign() > 0 {
			qcost = c.QualificationCost
		}
		offer = "The whole part (input row " + c.Ref + ")"
		if c.MaterialLevel {
			var kept []string
			for _, pt := range c.Parts {
				kept = append(kept, who(pt.Supplier, pt.Origin)+" "+sharePct(pt.Share))
			}
			offer = "Its " + mat + ", made inside today's parts (" + strings.Join(kept, "; ") + ")"
			if !c.Indicative {
				offer += "; input row " + c.Ref
			}
		}
		basis = candidateBasis(c, mat)
	}
	if c.Shared {
		basis += " Capacity shared with other parts."
	}
	return []any{lp.Line.Product, lp.Line.PartNumber, c.Supplier, offer, rep.countriesText(lp, c), c.UnitCost, c.CurrentShare, c.Share, c.Share.Sub(c.CurrentShare),
		capacity, qual, qcost, basis}
}

// candidateBasis says where a new candidate's unit cost comes from and
// when it can deliver; mat names the line's material.
func candidateBasis(c exposure.Candidate, mat string) string {
	basis := "Unit cost from the input."
	if c.ByPremium {
		basis = fmt.Sprintf("Today's unit cost plus %s%% of the %s's value.", c.PremiumPct, mat)
		if !c.MaterialLevel {
			basis = fmt.Sprintf("Today's average unit cost plus %s%%.", c.PremiumPct)
		}
	}
	if c.Indicative {
		basis = strings.TrimSuffix(basis, ".") + " (a published estimate, not a quote)."
		if c.Note != "" {
			basis += " " + sentence(c.Note)
		}
	}
	return basis + " Can deliver from " + c.EarliestMonth + "."
}

// countriesText prints a candidate's stage countries as "AU · MY · CN ·
// EE · EE; shipped from EE" (– unknown; the heavy-rare-earth separation
// only for a line that holds heavy rare earths).
func (rep *report) countriesText(lp *exposure.LinePlan, c exposure.Candidate) string {
	var out []string
	for _, g := range capStageOrder {
		if g == exposure.StageHRESeparation && !lp.Heavy {
			out = append(out, "n/a")
			continue
		}
		cc := stageCountry(c, g)
		if cc == "" {
			cc = "–"
		}
		out = append(out, cc)
	}
	s := strings.Join(out, " · ")
	switch {
	case c.MaterialLevel:
		var origins []string
		for _, pt := range c.Parts {
			if pt.Origin != "" && !slices.Contains(origins, pt.Origin) {
				origins = append(origins, pt.Origin)
			}
		}
		if len(origins) > 0 {
			s += "; shipped from " + strings.Join(origins, ", ") + " as today"
		}
	case c.Origin != "":
		s += "; shipped from " + c.Origin
	}
	return s
}

// stagesText prints stage countries as "– · CN · JP · JP" (– unknown).
func stagesText(cs [exposure.NumStages]string) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c
		if c == "" {
			out[i] = "–"
		}
	}
	return strings.Join(out, " · ")
}

// hhiTable writes each listed part's concentration per stage, today and
// planned, heavy-rare-earth separation included, and names the stages
// where it rises.
func (rep *report) hhiTable(w *sheetWriter, row *int, order []*exposure.LinePlan) {
	if len(order) == 0 {
		return
	}
	w.str(rc(1), *row, "Concentration by stage (HHI over the known countries, 0 to 10,000)", w.b.s.section)
	cols := []col{
		{head: "Product", kind: kWrap, width: recWProduct},
		{head: "Part number", kind: kWrap, width: recWPart},
		{head: "Where the plan raises it", kind: kWrap, width: recWDesc},
	}
	for _, g := range capStageOrder {
		cols = append(cols, col{head: capStageHead(g) + " today", kind: kInt}, col{head: capStageHead(g) + " planned", kind: kInt})
	}
	t := w.table(rc(1), *row+1, cols)
	w.note(rc(3), t.top, "The stages where the plan's HHI is higher than today's. A stage whose countries are unknown today but named by a new source is listed as known only under the plan.")
	for _, lp := range order {
		m := hhiMoves(lp)
		rises := "none"
		if up := stagesWith(m, hhiRises); len(up) > 0 {
			rises = shortWords(up)
		}
		if k := stagesWith(m, hhiKnown); len(k) > 0 {
			rises += "; known only under the plan at " + shortWords(k)
		}
		if !lp.Changed {
			rises = "today's mix kept"
		}
		vals := []any{lp.Line.Product, lp.Line.PartNumber, rises}
		for _, g := range capStageOrder {
			for _, h := range []exposure.HHI{lp.HHIBefore[g], lp.HHIAfter[g]} {
				if h.Known {
					vals = append(vals, cellNum{h.Value, kInt})
				} else if g != exposure.StageHRESeparation || lp.Heavy {
					vals = append(vals, "unknown") // no country known at the stage: no index, not 0
				} else {
					vals = append(vals, nil)
				}
			}
		}
		t.add(vals...)
	}
	t.asTable("PlanHHI")
	*row = t.row + 3
}

// unplannedTable lists the exposed parts that have no alternative.
func (rep *report) unplannedTable(w *sheetWriter, row *int) {
	p := rep.r.Plan
	if p.UnplannedCount == 0 {
		return
	}
	title := fmt.Sprintf("Exposed parts with no alternative source (%d; expected change %s %s a year): add Alternatives rows for them", p.UnplannedCount, rep.cur, moneyText(p.UnplannedDelta))
	if p.UnplannedCount > len(p.Unplanned) {
		title += fmt.Sprintf("; the %d largest", len(p.Unplanned))
	}
	w.str(rc(1), *row, title, w.b.s.section)
	t := w.table(rc(1), *row+1, []col{
		{head: "Product", kind: kWrap, width: recWProduct},
		{head: "Part number", kind: kWrap, width: recWPart},
		{head: "Description", kind: kWrap, width: recWDesc},
		{head: rep.money("Expected annual change"), kind: kMoney},
		{head: rep.money("Largest annual change"), kind: kMoney},
		{head: "Annual qty", kind: kQty},
	})
	for _, u := range p.Unplanned {
		t.add(u.Line.Product, u.Line.PartNumber, u.Line.Description, u.Expected, u.Worst, u.AnnualQty)
	}
	t.asTable("Unplanned")
	*row = t.row + 3
}

// defaultsTable lists the indicative default centres the listed parts
// were offered, with the source and date of their figures.
func (rep *report) defaultsTable(w *sheetWriter, row *int, order []*exposure.LinePlan) {
	type centre struct{ supplier, premium string }
	seen := map[centre]bool{}
	var rows [][]any
	for _, lp := range order {
		for _, c := range lp.Candidates {
			k := centre{c.Supplier, c.PremiumPct.String()}
			if !c.Indicative || seen[k] {
				continue
			}
			seen[k] = true
			var capacity any
			if c.HasCapacity {
				capacity = c.Capacity
			}
			rows = append(rows, []any{lp.Line.Material, c.Supplier, stagesText(c.Countries), pct(c.PremiumPct), c.Source, c.QualificationMonths, capacity})
		}
	}
	if len(rows) == 0 {
		return
	}
	w.str(rc(1), *row, "Default centres offered (indicative: reference estimates, not quotes)", w.b.s.section)
	t := w.table(rc(1), *row+1, []col{
		{head: "Material", kind: kWrap, width: recWProduct},
		{head: "Centre", kind: kWrap, width: recWPart},
		{head: "Countries: mine · separation · metal · component", kind: kWrap, width: recWDesc},
		{head: "Premium on the material's value (%)", kind: kPct},
		{head: "Source and date", kind: kWrap, width: recWPlan},
		{head: "Months to qualify", kind: kInt},
		{head: "Capacity (kg a year)", kind: kQty},
	})
	for _, v := range rows {
		t.add(v...)
	}
	t.asTable("PlanDefaults")
	*row = t.row + 3
}
