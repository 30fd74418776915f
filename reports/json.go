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
//
// It rounds d's coefficient in an int64 where it fits (roundedCoef) and
// prints it as decimal's String would: a rounded decimal makes big.Ints.
func dec(d decimal.Decimal) string {
	if c, ok := roundedCoef(d, 0, jsonPlaces); ok {
		var buf [32]byte
		return string(appendDecimal(buf[:0], c, jsonPlaces))
	}
	return d.Round(jsonPlaces).String()
}

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
	if err := m.awaitPlan(); err != nil {
		return err
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
