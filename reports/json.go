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
			Objective:          s.Objective,
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
			ID: sc.ID, Name: sc.Name, Stance: sc.Stance,
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
// quantities, quantity-weighted unit deltas and annual deltas.
type jsonSum struct {
	qty       decimal.Decimal
	weighted  []decimal.Decimal // Σ annual qty × unit delta, per scenario
	firstUnit []decimal.Decimal // the first line's unit delta, for parts without volume
	annual    []decimal.Decimal
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
	open := map[int32]*jsonSum{}
	row := 0
	err = parts(exposure.PartOptions{NoSplit: true}, func(pr exposure.PartRow) error {
		if row >= len(rowPart) || keyOf(&pr) != ps.keys[rowPart[row]] {
			return fmt.Errorf("the part rows changed between two passes at row %d", row)
		}
		p := rowPart[row]
		row++
		sum := open[p]
		if sum == nil {
			sum = &jsonSum{weighted: make([]decimal.Decimal, n), firstUnit: make([]decimal.Decimal, n), annual: make([]decimal.Decimal, n)}
			for s := 0; s < n && s < len(pr.Deltas); s++ {
				sum.firstUnit[s] = pr.Deltas[s].UnitDelta
			}
			open[p] = sum
		}
		sum.add(&pr)
		if count[p]--; count[p] == 0 {
			ps.round(int(p), sum)
			delete(open, p)
		}
		return nil
	})
	if err == nil && row != len(rowPart) {
		err = fmt.Errorf("the part rows changed between two passes: %d rows, then %d", len(rowPart), row)
	}
	return ps, err
}

// keyOf is the part a row belongs to.
func keyOf(pr *exposure.PartRow) partKey {
	if pr.Line == nil {
		return partKey{}
	}
	return partKey{pr.Line.Product, pr.Line.PartNumber}
}

// add adds one line's figures.
func (a *jsonSum) add(pr *exposure.PartRow) {
	a.qty = a.qty.Add(pr.AnnualQty)
	for s := 0; s < len(a.annual) && s < len(pr.Deltas); s++ {
		d := &pr.Deltas[s]
		a.weighted[s] = a.weighted[s].Add(pr.AnnualQty.Mul(d.UnitDelta))
		a.annual[s] = a.annual[s].Add(d.AnnualDelta)
	}
}

// round keeps part p's figures as the JSON shows them.
func (ps *jsonParts) round(p int, a *jsonSum) {
	base := p * ps.figs()
	ps.set(base, a.qty)
	for s := 0; s < ps.n; s++ {
		unit := a.firstUnit[s]
		if a.qty.Sign() != 0 {
			unit = a.weighted[s].DivRound(a.qty, 18)
		}
		ps.set(base+1+2*s, unit)
		ps.set(base+2+2*s, a.annual[s])
	}
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
