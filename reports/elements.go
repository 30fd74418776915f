package reports

import (
	"rexpo/exposure"
	"rexpo/reference"
)

// elementsSheet writes each element's annual mass by exposure class, its
// prices and each scenario's price part from it, with the elements'
// totals below the filtered rows.
func (rep *report) elementsSheet() error {
	r := rep.r
	w := rep.writer(sheetElements)
	w.plain(1)
	var prices map[string]exposure.Price
	if r.Input != nil {
		prices = r.Input.Prices
	}
	cols := rep.elementColumns(prices != nil)
	t := w.table(1, 1, cols)
	cc := countryName(r.Settings.ControllingCountry)
	notes := map[int]string{
		3: "Annual mass of the element in all products: grams per unit × exploded quantity × annual volume.",
		4: "Mass in parts whose component stage is in " + cc + ".",
		5: "Mass in parts made elsewhere with mining, separation or metal making in " + cc + ".",
		6: "Mass with no stage in " + cc + ". Unknown stages are split by the unknown-origin setting.",
	}
	if len(r.Scenarios) > 0 {
		notes[len(cols)-len(r.Scenarios)+1] = "The price part of the scenario's annual change that comes from this element."
	}
	w.notes(1, notes)
	for _, e := range r.Elements {
		vals := []any{e.Element, reference.ElementName(e.Element), e.AnnualKg, e.ByClass[exposure.ClassDirect], e.ByClass[exposure.ClassUpstream], e.ByClass[exposure.ClassFree], e.ChinaPrice}
		if prices != nil {
			vals = append(vals, exChinaCell(prices, e.Element))
		}
		for _, d := range e.PriceDelta {
			vals = append(vals, d)
		}
		t.add(vals...)
	}
	if len(r.Elements) == 0 {
		w.str(1, 2, "The BOM holds no rare-earth content.", w.b.s.note)
		return w.err
	}
	t.filter()
	t.row++
	tot := r.Totals.Elements
	vals := []any{"All elements", nil, tot.AnnualKg, tot.ByClass[exposure.ClassDirect], tot.ByClass[exposure.ClassUpstream], tot.ByClass[exposure.ClassFree], nil}
	if prices != nil {
		vals = append(vals, nil)
	}
	for _, d := range tot.PriceDelta {
		vals = append(vals, d)
	}
	t.addBold(vals...)
	return w.err
}

// elementColumns are the Elements sheet's columns: the ex-China price
// when the input has prices, and a price part per scenario.
func (rep *report) elementColumns(prices bool) []col {
	cols := []col{
		{head: "Element", kind: kText},
		{head: "Name", kind: kText},
		{head: "Mass (kg/yr)", kind: kKg},
		{head: "Direct (kg/yr)", kind: kKg},
		{head: "Upstream (kg/yr)", kind: kKg},
		{head: "Free (kg/yr)", kind: kKg},
		{head: "China-origin price (" + rep.cur + "/kg)", kind: kUnitMoney},
	}
	if prices {
		cols = append(cols, col{head: "Ex-China price, 2025 stress (" + rep.cur + "/kg)", kind: kUnitMoney})
	}
	for _, s := range rep.r.Scenarios {
		cols = append(cols, col{head: rep.money(scenarioName(s.Scenario) + ": annual price change"), kind: kMoney, width: moneyWidth})
	}
	return cols
}

// exChinaCell is an element's ex-China price (the China-origin one when
// there is none), nil without a price.
func exChinaCell(prices map[string]exposure.Price, element string) any {
	p, ok := prices[element]
	switch {
	case !ok:
		return nil
	case p.ExChina.Sign() > 0:
		return p.ExChina
	}
	return p.China
}
