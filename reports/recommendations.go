package reports

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

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
	b, sheet, r := rep.b, sheetRecommendations, rep.r
	if err := b.pageSetup(sheet, planHeaderRow); err != nil {
		return err
	}
	b.printed[sheet].minScale = minPlanScale
	if err := b.f.SetPanes(sheet, freezePanes(planHeaderRow, 0)); err != nil {
		return err
	}
	if err := b.str(sheet, 1, 1, "Recommendations: spread each exposed part over more production centres", b.s.title); err != nil {
		return err
	}
	p := r.Plan
	if p == nil {
		if err := b.str(sheet, 1, 2, "No plan was computed for this report.", b.s.subtitle); err != nil {
			return err
		}
		row := planHeaderRow
		return rep.planTable(&row, nil)
	}
	objective := "the expected annual cost (scenarios weighed by probability)"
	if p.Objective == exposure.ObjectiveWorst {
		objective = "the annual cost in the worst scenario"
	}
	sub := fmt.Sprintf("Each part's mix minimises %s · no capped country (%s) above %s%% of a part at any stage where the candidates allow it, nor above its share today · amounts in %s a year",
		objective, capWho(p), p.CountryCap.String(), rep.cur)
	if err := b.str(sheet, 1, 2, sub, b.s.subtitle); err != nil {
		return err
	}
	if err := b.str(sheet, 1, 3, rep.planGist(), b.s.subtitle); err != nil {
		return err
	}
	order := planOrder(p)
	row := planHeaderRow
	if err := rep.planTable(&row, order); err != nil {
		return err
	}
	// The right part starts below the plan table, so that the two never
	// share a row (and its height).
	top := row + 1
	b.printed[sheet].split = &printSplit{leftCols: planNotesCol, leftRows: row - 2, rightCol: recRight, rightRow: top}
	b.fix(sheet, recRight-1, 3) // a narrow gap between the two parts

	// The right part's title sits in the rows the plan's header repeats,
	// so that it heads each of its printed pages.
	if err := b.str(sheet, recRight, 1, "The plan in figures", b.s.title); err != nil {
		return err
	}
	if err := b.str(sheet, recRight, 2, "The portfolio's figures, how to read the plan, where the planned parts come from, every candidate source and the concentration by stage. The plan by part is in columns A to M.", b.s.subtitle); err != nil {
		return err
	}
	if err := b.str(sheet, recRight, 3, "← Back to the plan by part", b.s.subtitle); err != nil {
		return err
	}
	if err := b.f.SetCellHyperLink(sheet, cellName(recRight, 3), "'"+sheet+"'!A1", "Location"); err != nil {
		return err
	}
	if err := b.f.SetCellHyperLink(sheet, "A3", "'"+sheet+"'!"+cellName(recRight, top), "Location"); err != nil {
		return err
	}
	row = top
	if err := rep.portfolioBlock(&row); err != nil {
		return err
	}
	chartRow := row
	if len(p.Lines) > 0 {
		row += planChartHeight/16 + 3 // the chart sits here; LibreOffice's rows are lower than Excel's
	}
	if err := rep.sourcesTable(&row, order); err != nil {
		return err
	}
	if err := rep.hhiTable(&row, order); err != nil {
		return err
	}
	if err := rep.unplannedTable(&row); err != nil {
		return err
	}
	if err := rep.planChart(&row, chartRow); err != nil {
		return err
	}
	return rep.defaultsTable(&row, order)
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

// paragraphAt writes text merged across columns 1..width of row, wrapped,
// with the row sized for it (merged cells do not grow with their text).
func (rep *report) paragraphAt(sheet string, row, width int, text string) error {
	return rep.paragraphFrom(sheet, 1, row, width, text, 120.0*float64(width)/summaryWidth)
}

// paragraphFrom writes text merged across width columns from column left
// of row, wrapped, with the row sized for perLine characters a line.
func (rep *report) paragraphFrom(sheet string, left, row, width int, text string, perLine float64) error {
	b := rep.b
	if err := b.str(sheet, left, row, text, b.s.wrap); err != nil {
		return err
	}
	if err := b.f.MergeCell(sheet, cellName(left, row), cellName(left+width-1, row)); err != nil {
		return err
	}
	lines := int(math.Ceil(float64(utf8.RuneCountInString(text))/perLine)) + 1
	return b.f.SetRowHeight(sheet, row, math.Min(float64(lines)*15, 409))
}

// recParagraphChars is about how many characters a line of the sheet's
// paragraphs (merged over 13 columns) holds.
const recParagraphChars = 200

// portfolioBlock writes the portfolio's figures, how to read the sheet
// and the plan's notes at *row of the right part.
func (rep *report) portfolioBlock(row *int) error {
	b, sheet, p, r := rep.b, sheetRecommendations, rep.r.Plan, rep.r
	if err := b.str(sheet, rc(1), *row, "Portfolio (the plan by part is in columns A to M, above)", b.s.section); err != nil {
		return err
	}
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
		if err := b.str(sheet, rc(1), *row, f.label, b.s.label); err != nil {
			return err
		}
		if err := b.f.MergeCell(sheet, cellName(rc(1), *row), cellName(rc(3), *row)); err != nil {
			return err
		}
		if err := b.put(sheet, rc(4), *row, f.v, f.k, f.bold); err != nil {
			return err
		}
	}
	*row += 2
	if err := b.str(sheet, rc(1), *row, "How to read it", b.s.section); err != nil {
		return err
	}
	*row++
	if err := rep.paragraphFrom(sheet, rc(1), *row, planNotesCol, rep.howToRead(), recParagraphChars); err != nil {
		return err
	}
	*row += 2
	if len(p.Notes) > 0 {
		if err := rep.paragraphFrom(sheet, rc(1), *row, planNotesCol, "Notes: "+strings.Join(p.Notes, "; ")+".", recParagraphChars); err != nil {
			return err
		}
		*row += 2
	}
	return nil
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
func (rep *report) planTable(row *int, order []*exposure.LinePlan) error {
	b, sheet, p := rep.b, sheetRecommendations, rep.r.Plan
	t, err := b.newTable(sheet, 1, *row, []col{
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
	if err != nil {
		return err
	}
	notes := map[int]string{
		6:  "Annual cost of the recommended mix minus today's, when no scenario happens (baseline unit costs only).",
		7:  "Probability-weighted annual cost (baseline plus scenario change) of today's mix minus the recommended one's, in steady state once the plan is in effect. Net of the premium; negative when the cap requires the plan.",
		8:  "Today's mix in its worst scenario minus the recommended mix in its worst scenario, net of the premium.",
		9:  "Σ over the months from the plan's taking effect to the end of the projection of the probability-weighted saving, less the new sources' one-off qualification costs.",
		10: "The month the plan's last new source can deliver: the projection's first month plus its qualification time. Savings count from then.",
		11: "The first month by which the saving since the plan took effect covers the qualification costs; \"not within the horizon\" when none.",
		12: "The plan's expected saving is negative: the cap, not the cost, asks for it, and this is what it costs a year. Empty when the plan saves.",
	}
	for _, c := range slices.Sorted(maps.Keys(notes)) { // in column order: the file is the same from run to run
		if err := b.note(sheet, c, t.top, notes[c]); err != nil {
			return err
		}
	}
	for _, lp := range order {
		var costOfCap any
		if lp.RequiredByCap {
			costOfCap = lp.ExpectedSaving.Neg()
		}
		recommended, effect := rep.mixWords(lp, false), any(planMonth(p, lp.QualificationMonth))
		var horizon any = lp.HorizonSaving
		if !lp.Changed {
			recommended, effect, horizon = "Today's mix, kept: no other mix does better within the cap.", nil, nil
		}
		if err := t.add(lp.Line.Product, lp.Line.PartNumber, lp.Line.Description, rep.mixWords(lp, true), recommended,
			lp.Premium, lp.ExpectedSaving, lp.WorstSaving, horizon, effect, paybackText(p, lp), costOfCap, rep.lineNotes(lp)); err != nil {
			return err
		}
	}
	if len(order) == 0 {
		msg := "No plan was computed."
		switch {
		case p == nil:
		case p.Exposed == 0:
			msg = "No part's cost changes in these scenarios: nothing to plan."
		case p.Planned == 0:
			msg = "No exposed part has a second candidate source: add Alternatives rows to get a plan."
		default:
			msg = "Every planned part keeps today's mix: no other mix does better within the cap."
		}
		if err := b.str(sheet, 1, t.row+1, msg, b.s.note); err != nil {
			return err
		}
		t.row++
		*row = t.row + 2
		return t.filter()
	}
	if err := t.filter(); err != nil {
		return err
	}
	t.row++ // a blank row keeps the totals out of the filter
	title := fmt.Sprintf("All %d planned parts", p.Planned)
	switch {
	case len(order) < len(p.Lines) || p.Changed > len(p.Lines):
		title += fmt.Sprintf(" (%d listed: the largest savings)", len(order))
	case p.Planned > len(p.Lines):
		title += fmt.Sprintf(" (%d listed: the others keep today's mix)", len(p.Lines))
	}
	if err := t.addBold(title, nil, nil, nil, nil, p.Premium, p.ExpectedSaving, p.WorstSaving, p.HorizonSaving, nil, nil, p.CostOfCap, nil); err != nil {
		return err
	}
	*row = t.row + 2
	return nil
}

// sourcesTable writes every candidate of every listed part.
func (rep *report) sourcesTable(row *int, order []*exposure.LinePlan) error {
	b, sheet := rep.b, sheetRecommendations
	if len(order) == 0 {
		return nil
	}
	if err := b.str(sheet, rc(1), *row, "Candidate sources of the listed parts", b.s.section); err != nil {
		return err
	}
	t, err := b.newTable(sheet, rc(1), *row+1, []col{
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
	if err != nil {
		return err
	}
	if err := b.note(sheet, rc(10), t.top, "Units of the part a year for another maker of the whole part; kg of material a year for a material centre, shared by every part of that material it serves. Empty: no limit."); err != nil {
		return err
	}
	for _, lp := range order {
		mat := rep.materialWord(lp.Line)
		for _, c := range lp.Candidates {
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
				basis = "Unit cost from the input."
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
				basis += " Can deliver from " + c.EarliestMonth + "."
			}
			if c.Shared {
				basis += " Capacity shared with other parts."
			}
			if err := t.add(lp.Line.Product, lp.Line.PartNumber, c.Supplier, offer, rep.countriesText(lp, c), c.UnitCost, c.CurrentShare, c.Share, c.Share.Sub(c.CurrentShare),
				capacity, qual, qcost, basis); err != nil {
				return err
			}
		}
	}
	if err := t.asTable("PlanSources"); err != nil {
		return err
	}
	*row = t.row + 3
	return nil
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
func (rep *report) hhiTable(row *int, order []*exposure.LinePlan) error {
	b, sheet := rep.b, sheetRecommendations
	if len(order) == 0 {
		return nil
	}
	if err := b.str(sheet, rc(1), *row, "Concentration by stage (HHI over the known countries, 0 to 10,000)", b.s.section); err != nil {
		return err
	}
	cols := []col{
		{head: "Product", kind: kWrap, width: recWProduct},
		{head: "Part number", kind: kWrap, width: recWPart},
		{head: "Where the plan raises it", kind: kWrap, width: recWDesc},
	}
	for _, g := range capStageOrder {
		cols = append(cols, col{head: capStageHead(g) + " today", kind: kInt}, col{head: capStageHead(g) + " planned", kind: kInt})
	}
	t, err := b.newTable(sheet, rc(1), *row+1, cols)
	if err != nil {
		return err
	}
	if err := b.note(sheet, rc(3), t.top, "The stages where the plan's HHI is higher than today's. A stage whose countries are unknown today but named by a new source is listed as known only under the plan."); err != nil {
		return err
	}
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
		if err := t.add(vals...); err != nil {
			return err
		}
	}
	if err := t.asTable("PlanHHI"); err != nil {
		return err
	}
	*row = t.row + 3
	return nil
}

// unplannedTable lists the exposed parts that have no alternative.
func (rep *report) unplannedTable(row *int) error {
	b, sheet, p := rep.b, sheetRecommendations, rep.r.Plan
	if p.UnplannedCount == 0 {
		return nil
	}
	title := fmt.Sprintf("Exposed parts with no alternative source (%d; expected change %s %s a year): add Alternatives rows for them", p.UnplannedCount, rep.cur, moneyText(p.UnplannedDelta))
	if p.UnplannedCount > len(p.Unplanned) {
		title += fmt.Sprintf("; the %d largest", len(p.Unplanned))
	}
	if err := b.str(sheet, rc(1), *row, title, b.s.section); err != nil {
		return err
	}
	t, err := b.newTable(sheet, rc(1), *row+1, []col{
		{head: "Product", kind: kWrap, width: recWProduct},
		{head: "Part number", kind: kWrap, width: recWPart},
		{head: "Description", kind: kWrap, width: recWDesc},
		{head: rep.money("Expected annual change"), kind: kMoney},
		{head: rep.money("Largest annual change"), kind: kMoney},
		{head: "Annual qty", kind: kQty},
	})
	if err != nil {
		return err
	}
	for _, u := range p.Unplanned {
		if err := t.add(u.Line.Product, u.Line.PartNumber, u.Line.Description, u.Expected, u.Worst, u.AnnualQty); err != nil {
			return err
		}
	}
	if err := t.asTable("Unplanned"); err != nil {
		return err
	}
	*row = t.row + 3
	return nil
}

// planChart writes the chart's data, the planned parts' annual spend by
// country at each stage, today and planned, and the chart at chartRow, in
// the workbook's country colours.
func (rep *report) planChart(row *int, chartRow int) error {
	b, sheet, p := rep.b, sheetRecommendations, rep.r.Plan
	if len(p.Lines) == 0 {
		return nil
	}
	// Weight: each part's annual spend today, so that only the shares move.
	type key struct {
		stage   exposure.Stage
		planned bool
		country string
	}
	w := map[key]decimal.Decimal{}
	total := map[string]decimal.Decimal{}
	for _, sp := range p.Spend { // every planned part, not only those listed
		cc := sp.Country
		if sp.Today.Sign() > 0 {
			w[key{sp.Stage, false, cc}] = w[key{sp.Stage, false, cc}].Add(sp.Today)
			total[cc] = total[cc].Add(sp.Today)
		}
		if sp.Planned.Sign() > 0 {
			w[key{sp.Stage, true, cc}] = w[key{sp.Stage, true, cc}].Add(sp.Planned)
			total[cc] = total[cc].Add(sp.Planned)
		}
	}
	var countries []string
	for c := range total {
		countries = append(countries, c)
	}
	sort.Slice(countries, func(i, j int) bool {
		a, b := countries[i], countries[j]
		if (a == "") != (b == "") {
			return b == ""
		}
		if !total[a].Equal(total[b]) {
			return total[a].GreaterThan(total[b])
		}
		return a < b
	})
	// At most eight named countries; the rest are "Other".
	const named = 8
	var heads []string
	headCountry := map[string]string{} // head → its country, for the colour
	group := map[string]string{}
	for i, c := range countries {
		h := countryName(c)
		if c != "" && i >= named {
			h = "Other"
		}
		group[c] = h
		if !slices.Contains(heads, h) {
			heads = append(heads, h)
			headCountry[h] = c
		}
	}
	// Keep Unknown last.
	sort.SliceStable(heads, func(i, j int) bool { return heads[j] == "Unknown" && heads[i] != "Unknown" })
	if err := b.str(sheet, rc(1), *row, "Where the planned parts come from, share of their annual spend today (the chart's data)", b.s.section); err != nil {
		return err
	}
	cols := []col{{head: "Stage", kind: kWrap, width: recWProduct}}
	for _, h := range heads {
		cols = append(cols, col{head: h, kind: kPct})
	}
	t, err := b.newTable(sheet, rc(1), *row+1, cols)
	if err != nil {
		return err
	}
	for g := exposure.StageMine; g < exposure.NumStages; g++ {
		for _, planned := range []bool{false, true} {
			sum := decimal.Zero
			by := map[string]decimal.Decimal{}
			for _, c := range countries {
				v := w[key{g, planned, c}]
				by[group[c]] = by[group[c]].Add(v)
				sum = sum.Add(v)
			}
			when := " today"
			if planned {
				when = " planned"
			}
			vals := []any{stageLabel(g) + when}
			for _, h := range heads {
				if sum.IsZero() {
					vals = append(vals, nil)
					continue
				}
				vals = append(vals, by[h].DivRound(sum, 6))
			}
			if err := t.add(vals...); err != nil {
				return err
			}
		}
	}
	*row = t.row + 2
	var series []excelize.ChartSeries
	for i, h := range heads {
		color := rep.countryColour(headCountry[h])
		if h == "Other" {
			color = colOther
		}
		series = append(series, excelize.ChartSeries{
			Name:       absCell(sheet, rc(2+i), t.top),
			Categories: absRange(sheet, rc(1), t.top+1, rc(1), t.row),
			Values:     absRange(sheet, rc(2+i), t.top+1, rc(2+i), t.row),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}},
		})
	}
	b.chart(sheet, cellName(rc(1), chartRow), &excelize.Chart{
		Type:      excelize.BarPercentStacked,
		Series:    series,
		Title:     chartTitle("Planned parts by country and stage: today and under the plan (share of annual spend)"),
		Legend:    excelize.ChartLegend{Position: "bottom", Font: &excelize.Font{Size: 9, Color: colAxis}},
		Dimension: excelize.ChartDimension{Width: 900, Height: planChartHeight},
		XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: excelize.Font{Size: 9, Color: colAxis}},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}, Font: excelize.Font{Size: 9, Color: colAxis}},
		Format:    excelize.GraphicOptions{AltText: "Stacked bar chart of the planned parts' country shares per stage, today and under the plan"},
	})
	return nil
}

// defaultsTable lists the indicative default centres the listed parts
// were offered, with the source and date of their figures.
func (rep *report) defaultsTable(row *int, order []*exposure.LinePlan) error {
	b, sheet := rep.b, sheetRecommendations
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
		return nil
	}
	if err := b.str(sheet, rc(1), *row, "Default centres offered (indicative: reference estimates, not quotes)", b.s.section); err != nil {
		return err
	}
	t, err := b.newTable(sheet, rc(1), *row+1, []col{
		{head: "Material", kind: kWrap, width: recWProduct},
		{head: "Centre", kind: kWrap, width: recWPart},
		{head: "Countries: mine · separation · metal · component", kind: kWrap, width: recWDesc},
		{head: "Premium on the material's value (%)", kind: kPct},
		{head: "Source and date", kind: kWrap, width: recWPlan},
		{head: "Months to qualify", kind: kInt},
		{head: "Capacity (kg a year)", kind: kQty},
	})
	if err != nil {
		return err
	}
	for _, v := range rows {
		if err := t.add(v...); err != nil {
			return err
		}
	}
	if err := t.asTable("PlanDefaults"); err != nil {
		return err
	}
	*row = t.row + 3
	return nil
}

// jsonRec is one entry of the JSON's recommendations (SPEC section 10).
// hhi_before and hhi_after hold each stage's HHI (null when none of its
// countries is known; heavy-rare-earth separation only for lines holding
// heavy rare earths); payback_month is null when the plan does not pay
// back within the horizon. Indicative sources carry "(indicative)" in
// their name.
type jsonRec struct {
	Product            string      `json:"product"`
	PartNumber         string      `json:"part_number"`
	Current            []jsonShare `json:"current"`
	Recommended        []jsonShare `json:"recommended"`
	Premium            string      `json:"premium"`
	ExpectedSaving     string      `json:"expected_saving"`
	WorstSaving        string      `json:"worst_saving"`
	HorizonSaving      string      `json:"horizon_saving"`
	PaybackMonth       *int        `json:"payback_month"`
	QualificationMonth int         `json:"qualification_month"`
	RequiredByCap      bool        `json:"required_by_cap"`
	HHIBefore          jsonHHI     `json:"hhi_before"`
	HHIAfter           jsonHHI     `json:"hhi_after"`
}

// jsonShare is one source of a mix: its supplier, component country,
// origin and share; a material-level candidate's entry names the centre
// that makes the material (material_supplier) and its component country.
type jsonShare struct {
	Supplier         string `json:"supplier"`
	Country          string `json:"country"`
	Origin           string `json:"origin"`
	Share            string `json:"share"`
	MaterialSupplier string `json:"material_supplier,omitempty"`
}

// jsonHHI is a line's HHI per stage, in percent points.
type jsonHHI struct {
	Mine          *string `json:"mine"`
	Separation    *string `json:"separation"`
	HRESeparation *string `json:"hre_separation"`
	Metal         *string `json:"metal"`
	Component     *string `json:"component"`
}

func newJSONHHI(h [exposure.NumStages + 1]exposure.HHI) jsonHHI {
	v := func(g exposure.Stage) *string {
		if !h[g].Known {
			return nil
		}
		s := dec(h[g].Value)
		return &s
	}
	return jsonHHI{v(exposure.StageMine), v(exposure.StageSeparation), v(exposure.StageHRESeparation), v(exposure.StageMetal), v(exposure.StageComponent)}
}

// jsonRecommendations lists every listed line of the plan in BOM order.
func jsonRecommendations(p *exposure.Plan) []jsonRec {
	out := []jsonRec{}
	if p == nil {
		return out
	}
	for i := range p.Lines {
		lp := &p.Lines[i]
		rec := jsonRec{
			Product: lp.Line.Product, PartNumber: lp.Line.PartNumber,
			Current: jsonShares(lp.Candidates, true), Recommended: jsonShares(lp.Candidates, false),
			Premium: dec(lp.Premium), ExpectedSaving: dec(lp.ExpectedSaving), WorstSaving: dec(lp.WorstSaving),
			HorizonSaving: dec(lp.HorizonSaving), QualificationMonth: lp.QualificationMonth, RequiredByCap: lp.RequiredByCap,
			HHIBefore: newJSONHHI(lp.HHIBefore), HHIAfter: newJSONHHI(lp.HHIAfter),
		}
		if lp.PaybackMonth > 0 {
			m := lp.PaybackMonth
			rec.PaybackMonth = &m
		}
		out = append(out, rec)
	}
	return out
}

// jsonShares sums the non-zero shares by supplier, component country,
// origin and material supplier, in the candidates' order: a
// material-level candidate gives one entry per source it keeps, at the
// candidate's share times the source's.
func jsonShares(cands []exposure.Candidate, current bool) []jsonShare {
	out := []jsonShare{}
	sum := map[jsonShare]decimal.Decimal{}
	var order []jsonShare
	add := func(k jsonShare, sh decimal.Decimal) {
		if _, ok := sum[k]; !ok {
			order = append(order, k)
		}
		sum[k] = sum[k].Add(sh)
	}
	for _, c := range cands {
		sh := c.Share
		if current {
			sh = c.CurrentShare
		}
		if sh.Sign() <= 0 {
			continue
		}
		comp := c.Countries[exposure.StageComponent]
		if c.MaterialLevel && len(c.Parts) > 0 {
			for _, pt := range c.Parts {
				add(jsonShare{Supplier: pt.Supplier, Country: comp, Origin: pt.Origin, MaterialSupplier: c.Supplier}, sh.Mul(pt.Share))
			}
			continue
		}
		add(jsonShare{Supplier: c.Supplier, Country: comp, Origin: c.Origin}, sh)
	}
	for _, k := range order {
		k2 := k
		k2.Share = dec(sum[k])
		out = append(out, k2)
	}
	return out
}

// planWarnings are the JSON's warnings for the stages left above the cap,
// one per listed line, pointing at the line's row of the plan table.
func planWarnings(p *exposure.Plan) []jsonWarning {
	if p == nil {
		return nil
	}
	row := map[*exposure.LinePlan]int{}
	for i, lp := range planOrder(p) {
		row[lp] = planHeaderRow + 1 + i
	}
	var out []jsonWarning
	for i := range p.Lines {
		lp := &p.Lines[i]
		br := breaksText(lp, capStageWord)
		if br == "" {
			continue
		}
		cell := ""
		if r, ok := row[lp]; ok {
			cell = cellName(planNotesCol, r)
		}
		out = append(out, jsonWarning{Sheet: sheetRecommendations, Cell: cell,
			Message: fmt.Sprintf("%s %s stays above the %s%% cap: %s", lp.Line.Product, lp.Line.PartNumber, p.CountryCap, br)})
	}
	return out
}
