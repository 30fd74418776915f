package inputs

// Unit costs read without a currency column: taken to be in the report
// currency (SPEC section 2), with a warning when their text names another.

import (
	"strings"

	"rexpo/schema"
)

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
