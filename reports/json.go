package reports

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/internal/dec128"
)

// jsonPlaces is where the JSON rounds its exact decimals.
const jsonPlaces = 6

// dec prints d as the JSON's decimal string.
func dec(d decimal.Decimal) string { return d.Round(jsonPlaces).String() }

// The JSON document of SPEC section 10. Structs, not maps, keep the field
// order stable.
type jsonReport struct {
	Currency            string         `json:"currency"`
	AsOf                string         `json:"as_of"`
	Settings            jsonSettings   `json:"settings"`
	Products            []jsonProduct  `json:"products"`
	Scenarios           []jsonScenario `json:"scenarios"`
	ExpectedAnnualDelta string         `json:"expected_annual_delta"`
	Mix                 jsonMix        `json:"mix"`
	Exposure            jsonExposure   `json:"exposure"`
	Recommendations     []jsonRec      `json:"recommendations"`
	Warnings            []jsonWarning  `json:"warnings"`
}

type jsonSettings struct {
	Currency           string `json:"currency"`
	ImportCountry      string `json:"import_country"`
	ControllingCountry string `json:"controlling_country"`
	Start              string `json:"start"`
	Horizon            string `json:"horizon"`
	CarryingRate       string `json:"carrying_rate"`
	UnknownOrigin      string `json:"unknown_origin"`
	CountryCap         string `json:"country_cap"`
	Objective          string `json:"objective"`
	Rollup             string `json:"rollup"`
	Draws              string `json:"draws"`
	Seed               string `json:"seed"`
	AsOf               string `json:"as_of"`
}

type jsonProduct struct {
	Product          string `json:"product"`
	AnnualVolume     string `json:"annual_volume"`
	BaselineUnitCost string `json:"baseline_unit_cost"`
}

type jsonScenario struct {
	ID           string             `json:"id"`
	Name         string             `json:"name"`
	Stance       string             `json:"stance"`
	Prior        string             `json:"prior"`
	Probability  string             `json:"probability"`
	AnnualDelta  string             `json:"annual_delta"`
	HorizonDelta string             `json:"horizon_delta"`
	Split        jsonSplit          `json:"split"`
	P10          string             `json:"p10"`
	P50          string             `json:"p50"`
	P90          string             `json:"p90"`
	Products     []jsonProductDelta `json:"products"`
	Parts        []jsonPartDelta    `json:"parts"`
	Elements     []jsonElementDelta `json:"elements"`
	Months       []jsonMonthDelta   `json:"months"`
}

// jsonMix is the probability-weighted mixture of the Monte Carlo draws.
type jsonMix struct {
	Mean string `json:"mean"`
	P50  string `json:"p50"`
	P90  string `json:"p90"`
	P95  string `json:"p95"`
}

type jsonSplit struct {
	Price    string `json:"price"`
	Shortage string `json:"shortage"`
	Carrying string `json:"carrying"`
	Tariff   string `json:"tariff"`
}

type jsonProductDelta struct {
	Product     string `json:"product"`
	UnitDelta   string `json:"unit_delta"`
	AnnualDelta string `json:"annual_delta"`
	UnitsAtRisk string `json:"units_at_risk"`
}

type jsonPartDelta struct {
	Product     string `json:"product"`
	PartNumber  string `json:"part_number"`
	AnnualQty   string `json:"annual_qty"`
	UnitDelta   string `json:"unit_delta"`
	AnnualDelta string `json:"annual_delta"`
}

type jsonElementDelta struct {
	Element     string `json:"element"`
	AnnualDelta string `json:"annual_delta"`
}

type jsonMonthDelta struct {
	Month string `json:"month"`
	Delta string `json:"delta"`
}

type jsonExposure struct {
	Elements []jsonElementMass `json:"elements"`
	Stages   []jsonStage       `json:"stages"`
}

type jsonElementMass struct {
	Element    string `json:"element"`
	AnnualKg   string `json:"annual_kg"`
	DirectKg   string `json:"direct_kg"`
	UpstreamKg string `json:"upstream_kg"`
	FreeKg     string `json:"free_kg"`
}

type jsonStage struct {
	Stage   string `json:"stage"`
	Country string `json:"country"`
	Share   string `json:"share"`
	HHI     string `json:"hhi"`
}

type jsonWarning struct {
	Sheet   string `json:"sheet"`
	Cell    string `json:"cell"`
	Message string `json:"message"`
}

// WriteJSON writes the report of r as one JSON object (SPEC section 10),
// indented by two spaces. Money, quantities, masses and fractions are
// decimal strings rounded to 6 places.
func WriteJSON(w io.Writer, r *exposure.Result, m Meta) error {
	return writeJSON(w, r, m, r.PartsWith)
}

// writeJSON writes the document as encoding/json would encode it whole,
// byte for byte, without ever holding it: every scenario lists every
// part, so a million-line BOM makes a document of a gigabyte and more.
// The parts are summed first (sumJSONParts), into a few numbers each;
// the rest of the document, small, is encoded with its part lists empty,
// and each scenario's list is written into it as it goes out.
func writeJSON(w io.Writer, r *exposure.Result, m Meta, parts partsFunc) error {
	ps, err := sumJSONParts(len(r.Scenarios), parts)
	if err != nil {
		return fmt.Errorf("read parts: %w", err)
	}
	var head bytes.Buffer
	enc := json.NewEncoder(&head)
	enc.SetIndent("", "  ")
	if err := enc.Encode(buildJSON(r, m)); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	text := head.Bytes()
	for s := range r.Scenarios {
		k := bytes.Index(text, emptyPartsList)
		if k < 0 {
			return fmt.Errorf("write JSON: scenario %d has no parts list", s) // cannot happen: buildJSON gives each one
		}
		k += len(emptyPartsList) - len("[]")
		bw.Write(text[:k])
		ps.writeList(bw, s)
		text = text[k+len("[]"):]
	}
	bw.Write(text)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

// emptyPartsList is a scenario's empty parts list as the encoder indents
// it. A string in the document cannot hold it: the encoder escapes its
// newline and quotes.
var emptyPartsList = []byte("\n      \"parts\": []")

// buildJSON returns the document with every scenario's parts list empty.
func buildJSON(r *exposure.Result, m Meta) *jsonReport {
	s := r.Settings
	doc := &jsonReport{
		Currency: s.Currency,
		AsOf:     asOfRFC(s.AsOf),
		Settings: jsonSettings{
			Currency:           s.Currency,
			ImportCountry:      s.ImportCountry,
			ControllingCountry: s.ControllingCountry,
			Start:              startText(s.Start),
			Horizon:            strconv.Itoa(s.Horizon),
			CarryingRate:       s.CarryingRate.String(),
			UnknownOrigin:      s.UnknownOrigin.String(),
			CountryCap:         s.CountryCap.String(),
			Objective:          string(s.Objective),
			Rollup:             s.Rollup.String(),
			Draws:              strconv.Itoa(s.Draws),
			Seed:               strconv.FormatInt(s.Seed, 10),
			AsOf:               asOfRFC(s.AsOf),
		},
		Products:            []jsonProduct{},
		Scenarios:           []jsonScenario{},
		ExpectedAnnualDelta: dec(r.ExpectedAnnualDelta),
		Mix:                 jsonMix{dec(r.Mix.Mean), dec(r.Mix.P50), dec(r.Mix.P90), dec(r.Mix.P95)},
		Exposure:            jsonExposure{Elements: []jsonElementMass{}, Stages: []jsonStage{}},
		Warnings:            []jsonWarning{},
		Recommendations:     jsonRecommendations(r.Plan),
	}
	for _, p := range r.Products {
		doc.Products = append(doc.Products, jsonProduct{Product: p.ID, AnnualVolume: dec(p.AnnualVolume), BaselineUnitCost: dec(p.BaselineUnitCost)})
	}
	for _, sr := range r.Scenarios {
		sc := sr.Scenario
		js := jsonScenario{
			ID: sc.ID, Name: sc.Name, Stance: string(sc.Stance),
			Prior: dec(sc.Prior), Probability: dec(sr.Probability),
			AnnualDelta: dec(sr.AnnualDelta), HorizonDelta: dec(sr.HorizonDelta),
			Split:    jsonSplit{dec(sr.Split.Price), dec(sr.Split.Shortage), dec(sr.Split.Carrying), dec(sr.Split.Tariff)},
			Products: []jsonProductDelta{}, Parts: []jsonPartDelta{}, Elements: []jsonElementDelta{}, Months: []jsonMonthDelta{},
		}
		js.P10, js.P50, js.P90 = dec(sr.P10), dec(sr.P50), dec(sr.P90)
		for _, p := range sr.Products {
			js.Products = append(js.Products, jsonProductDelta{p.Product, dec(p.UnitDelta), dec(p.AnnualDelta), dec(p.UnitsAtRisk)})
		}
		for _, e := range sr.Elements {
			js.Elements = append(js.Elements, jsonElementDelta{e.Element, dec(e.AnnualDelta)})
		}
		for _, mo := range sr.Months {
			js.Months = append(js.Months, jsonMonthDelta{mo.Month, dec(mo.Delta)})
		}
		doc.Scenarios = append(doc.Scenarios, js)
	}
	for _, e := range r.Elements {
		doc.Exposure.Elements = append(doc.Exposure.Elements, jsonElementMass{
			Element: e.Element, AnnualKg: dec(e.AnnualKg),
			DirectKg: dec(e.ByClass[exposure.ClassDirect]), UpstreamKg: dec(e.ByClass[exposure.ClassUpstream]), FreeKg: dec(e.ByClass[exposure.ClassFree]),
		})
	}
	for _, st := range r.Stages {
		doc.Exposure.Stages = append(doc.Exposure.Stages, jsonStage{st.Stage.String(), st.Country, dec(st.Share), dec(st.HHI)})
	}
	for _, p := range m.Warnings {
		doc.Warnings = append(doc.Warnings, jsonWarning{p.Sheet, p.Cell, p.Message})
	}
	// The stages the plan leaves above the cap, as the Recommendations
	// sheet names them (SPEC section 8).
	doc.Warnings = append(doc.Warnings, planWarnings(r.Plan)...)
	return doc
}

// jsonParts are the JSON's part entries: the lines of each part number of
// each product summed (in first-seen order), their annual quantity and,
// per scenario, their unit and annual deltas. A part used in several
// places of a product sums its annual quantities and deltas; its unit
// delta is the lines' unit deltas weighted by their annual quantities.
//
// A million-line BOM has hundreds of thousands of parts, each listed by
// every scenario, so a part is kept as its figures already rounded to
// the JSON's 6 places, not as exact sums: its lines are summed exactly
// (jsonSum) only while some are still to come, which a first pass over
// the rows, counting, tells.
type jsonParts struct {
	n     int            // scenarios
	keys  []partKey      // first-seen order
	fig   []int64        // per part 1 + 2n figures, in millionths: qty, then unit and annual per scenario
	large map[int]string // fig index → text, for figures beyond int64 millionths (±9.2e12)
}

// figs returns how many figures a part has.
func (ps *jsonParts) figs() int { return 1 + 2*ps.n }

// jsonSum sums one part's lines exactly, as the JSON always has:
// quantities, quantity-weighted unit deltas and annual deltas. The sums
// are dec128 values (the rows' own, see exposure.PartDelta.Exact) until
// one needs more than 128 bits; from then on, the part's sums are
// decimals (dec).
type jsonSum struct {
	qty              dec128.Decimal
	weighted, annual []dec128.Decimal      // per scenario; weighted is Σ annual qty × unit delta
	firstUnit        []*exposure.PartDelta // the first line's deltas, for the unit delta of parts without volume
	dec              *jsonSumDecimal
}

// jsonSumDecimal is a jsonSum in decimals.
type jsonSumDecimal struct {
	qty              decimal.Decimal
	weighted, annual []decimal.Decimal
}

func newJSONSum(n int) *jsonSum {
	return &jsonSum{weighted: make([]dec128.Decimal, n), annual: make([]dec128.Decimal, n), firstUnit: make([]*exposure.PartDelta, n)}
}

// reset makes a an empty sum again.
func (a *jsonSum) reset() {
	a.qty = dec128.Decimal{}
	clear(a.weighted)
	clear(a.annual)
	clear(a.firstUnit)
	a.dec = nil
}

// sumJSONParts makes two passes over the rows: one counts the lines of
// each part, the next sums each part's figures and rounds them when its
// last line has been seen.
func sumJSONParts(n int, parts partsFunc) (*jsonParts, error) {
	ps := &jsonParts{n: n, large: map[int]string{}}
	index := map[partKey]int32{}
	var count []int32
	var rowPart []int32 // per row, its part
	err := parts(exposure.PartOptions{NoDeltas: true}, func(pr exposure.PartRow) error {
		key := keyOf(&pr)
		p, ok := index[key]
		if !ok {
			p = int32(len(ps.keys))
			index[key] = p
			ps.keys = append(ps.keys, key)
			count = append(count, 0)
		}
		count[p]++
		rowPart = append(rowPart, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	index = nil // not needed any more: let it go before the figures grow
	ps.fig = make([]int64, len(ps.keys)*ps.figs())
	open := map[int32]*jsonSum{} // parts with lines still to come
	single := newJSONSum(n)      // a part of one line, summed and rounded at once
	var sc jsonScratch
	row := 0
	err = parts(exposure.PartOptions{NoSplit: true, ExactOnly: true}, func(pr exposure.PartRow) error {
		if row >= len(rowPart) || keyOf(&pr) != ps.keys[rowPart[row]] {
			return fmt.Errorf("the part rows changed between two passes at row %d", row)
		}
		p := rowPart[row]
		row++
		sum := open[p]
		if sum == nil {
			if count[p] == 1 {
				sum = single
				sum.reset()
			} else {
				sum = newJSONSum(n)
				open[p] = sum
			}
			for s := 0; s < n && s < len(pr.Deltas); s++ {
				sum.firstUnit[s] = &pr.Deltas[s]
			}
		}
		sum.add(&pr, &sc)
		if count[p]--; count[p] == 0 {
			ps.round(int(p), sum, &sc)
			delete(open, p)
		}
		return nil
	})
	if err == nil && row != len(rowPart) {
		err = fmt.Errorf("the part rows changed between two passes: %d rows, then %d", len(rowPart), row)
	}
	return ps, err
}

// jsonScratch is what summing and rounding reuse.
type jsonScratch struct {
	dc               dec128.Converter
	weighted, annual []dec128.Decimal
}

// keyOf is the part a row belongs to.
func keyOf(pr *exposure.PartRow) partKey {
	if pr.Line == nil {
		return partKey{}
	}
	return partKey{pr.Line.Product, pr.Line.PartNumber}
}

// add adds one line's figures.
func (a *jsonSum) add(pr *exposure.PartRow, sc *jsonScratch) {
	if a.dec == nil {
		if a.addExact(pr, sc) {
			return
		}
		a.toDecimal(&sc.dc)
	}
	d := a.dec
	d.qty = d.qty.Add(pr.AnnualQty)
	for s := 0; s < len(d.annual) && s < len(pr.Deltas); s++ {
		unit, annual := deltaDecimals(&pr.Deltas[s], &sc.dc)
		d.weighted[s] = d.weighted[s].Add(pr.AnnualQty.Mul(unit))
		d.annual[s] = d.annual[s].Add(annual)
	}
}

// deltaDecimals returns a row's unit and annual delta as decimals: from
// Exact where the row gives them so (its decimals are then left zero, see
// exposure.PartOptions.ExactOnly).
func deltaDecimals(pd *exposure.PartDelta, dc *dec128.Converter) (unit, annual decimal.Decimal) {
	if u, a, ok := pd.Exact(); ok {
		return dc.Decimal(u), dc.Decimal(a)
	}
	return pd.UnitDelta, pd.AnnualDelta
}

// addExact adds one line's figures in dec128; false, with a unchanged,
// when some sum would need more than 128 bits.
func (a *jsonSum) addExact(pr *exposure.PartRow, sc *jsonScratch) bool {
	q := dec128.Of(pr.AnnualQty)
	qty := a.qty.Add(q)
	sc.weighted = append(sc.weighted[:0], a.weighted...)
	sc.annual = append(sc.annual[:0], a.annual...)
	for s := 0; s < len(a.annual) && s < len(pr.Deltas); s++ {
		pd := &pr.Deltas[s]
		unit, annual, ok := pd.Exact()
		if !ok {
			unit, annual = dec128.Of(pd.UnitDelta), dec128.Of(pd.AnnualDelta)
		}
		sc.weighted[s] = sc.weighted[s].Add(q.Mul(unit))
		sc.annual[s] = sc.annual[s].Add(annual)
		if sc.weighted[s].Over() || sc.annual[s].Over() {
			return false
		}
	}
	if qty.Over() {
		return false
	}
	a.qty = qty
	copy(a.weighted, sc.weighted)
	copy(a.annual, sc.annual)
	return true
}

// toDecimal moves a's sums to decimals.
func (a *jsonSum) toDecimal(dc *dec128.Converter) {
	d := &jsonSumDecimal{qty: dc.Decimal(a.qty), weighted: make([]decimal.Decimal, len(a.weighted)), annual: make([]decimal.Decimal, len(a.annual))}
	for s := range a.weighted {
		d.weighted[s], d.annual[s] = dc.Decimal(a.weighted[s]), dc.Decimal(a.annual[s])
	}
	a.dec = d
}

// round keeps part p's figures as the JSON shows them: the unit delta is
// the weighted sum divided by the quantity at 18 places, then, as every
// figure, rounded to 6.
func (ps *jsonParts) round(p int, a *jsonSum, sc *jsonScratch) {
	base := p * ps.figs()
	if a.dec == nil {
		if ps.roundExact(base, a) {
			return
		}
		a.toDecimal(&sc.dc)
	}
	d := a.dec
	ps.set(base, d.qty)
	for s := 0; s < ps.n; s++ {
		var unit decimal.Decimal
		if a.firstUnit[s] != nil {
			unit, _ = deltaDecimals(a.firstUnit[s], &sc.dc)
		}
		if d.qty.Sign() != 0 {
			unit = d.weighted[s].DivRound(d.qty, 18)
		}
		ps.set(base+1+2*s, unit)
		ps.set(base+2+2*s, d.annual[s])
	}
}

// roundExact is round in dec128; false when a figure needs more than
// 128 bits or int64 millionths.
func (ps *jsonParts) roundExact(base int, a *jsonSum) bool {
	ok := ps.setExact(base, a.qty)
	for s := 0; s < ps.n && ok; s++ {
		var unit dec128.Decimal
		if a.qty.IsZero() {
			if f := a.firstUnit[s]; f != nil {
				var ok bool
				if unit, _, ok = f.Exact(); !ok {
					unit = dec128.Of(f.UnitDelta)
				}
			}
		} else {
			unit = a.weighted[s].DivRound(a.qty, 18)
		}
		ok = ps.setExact(base+1+2*s, unit) && ps.setExact(base+2+2*s, a.annual[s])
	}
	return ok
}

// setExact keeps x rounded to the JSON's places at figure i; false when
// it does not fit.
func (ps *jsonParts) setExact(i int, x dec128.Decimal) bool {
	c, ok := x.Round(jsonPlaces).Coefficient64()
	ps.fig[i] = c
	return ok
}

// set keeps d rounded to the JSON's places at figure i.
func (ps *jsonParts) set(i int, d decimal.Decimal) {
	r := d.Round(jsonPlaces)
	if c := r.Coefficient(); r.Exponent() == -jsonPlaces && c.IsInt64() {
		ps.fig[i] = c.Int64()
		return
	}
	ps.large[i] = r.String()
}

// writeList writes scenario s's parts list as the encoder would indent
// it inside the document.
func (ps *jsonParts) writeList(w *bufio.Writer, s int) {
	if len(ps.keys) == 0 {
		w.WriteString("[]")
		return
	}
	w.WriteByte('[')
	var buf []byte
	for p, key := range ps.keys {
		base := p * ps.figs()
		buf = buf[:0]
		if p > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, "\n        {\n          \"product\": "...)
		buf = appendJSONString(buf, key.product)
		buf = append(buf, ",\n          \"part_number\": "...)
		buf = appendJSONString(buf, key.part)
		buf = append(buf, ",\n          \"annual_qty\": \""...)
		buf = ps.appendFigure(buf, base)
		buf = append(buf, "\",\n          \"unit_delta\": \""...)
		buf = ps.appendFigure(buf, base+1+2*s)
		buf = append(buf, "\",\n          \"annual_delta\": \""...)
		buf = ps.appendFigure(buf, base+2+2*s)
		buf = append(buf, "\"\n        }"...)
		w.Write(buf)
	}
	w.WriteString("\n      ]")
}

// appendFigure appends figure i as dec prints it: a decimal rounded to 6
// places, without trailing zeros.
func (ps *jsonParts) appendFigure(buf []byte, i int) []byte {
	if s, ok := ps.large[i]; ok {
		return append(buf, s...)
	}
	return appendMillionths(buf, ps.fig[i])
}

// appendMillionths appends v/10^6 as decimal's String prints it: no
// trailing zeros after the point, and no point without digits after it.
func appendMillionths(buf []byte, v int64) []byte {
	u := uint64(v)
	if v < 0 {
		buf = append(buf, '-')
		u = -u
	}
	buf = strconv.AppendUint(buf, u/1e6, 10)
	frac := u % 1e6
	if frac == 0 {
		return buf
	}
	digits := 6
	for frac%10 == 0 {
		frac /= 10
		digits--
	}
	buf = append(buf, '.')
	for k := digits - 1; k >= 0; k-- {
		buf = append(buf, byte('0'+frac/pow10(k)%10))
	}
	return buf
}

// pow10 returns 10^k for small k.
func pow10(k int) uint64 {
	p := uint64(1)
	for ; k > 0; k-- {
		p *= 10
	}
	return p
}

// appendJSONString appends s as encoding/json encodes a string (escaping
// <, > and & too, as its Encoder does by default).
func appendJSONString(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s) // a string always encodes
			return append(buf, b...)
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}
