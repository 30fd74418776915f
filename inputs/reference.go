package inputs

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/reference"
	"rexpo/schema"
	"rexpo/workbook"
)

// Reference opens the embedded reference data as a book of CSV sheets.
func Reference() (*workbook.Book, error) { return workbook.OpenCSVFS(reference.Files(), "data") }

// Sample opens the embedded sample input of `rexpo demo`.
func Sample() (*workbook.Book, error) { return workbook.OpenCSVFS(sampleFS, "data/sample") }

// readGroups takes the embedded element groups (HRE7, HRE12, ...), by
// NormalizeKey of their names.
func (r *reader) readGroups() {
	r.groups = map[string][]string{}
	for _, g := range reference.Groups() {
		r.groups[schema.NormalizeKey(g.Name)] = g.Elements
	}
}

// readPrices reads the embedded prices, then the input's Prices sheet over
// them, and converts USD to the report currency.
func (r *reader) readPrices() error {
	r.prices = reference.Prices()
	r.pricesFrom(r.book)
	rate, ok := r.usdRate()
	if !ok || rate.Equal(whole) {
		return nil
	}
	for e, p := range r.prices {
		p.China = p.USDChina.Mul(rate)
		p.ExChina = p.USDExChina.Mul(rate)
		r.prices[e] = p
	}
	return nil
}

// usdRate returns the rate of USD into the report currency, in which the
// element and material prices are quoted. A missing rate is an error,
// recorded once however many prices need it; ok is then false.
func (r *reader) usdRate() (rate decimal.Decimal, ok bool) {
	if r.settings.Currency == "" || r.settings.Currency == "USD" {
		return whole, true
	}
	if rate, ok := r.fx["USD"]; ok {
		return rate, true
	}
	if r.missingFX == nil {
		r.missingFX = map[string]bool{}
	}
	if !r.missingFX["USD"] {
		r.missingFX["USD"] = true
		r.ps.errorIs(ErrMissingRate, "FX", "", "no FX rate for USD: element and material prices are in USD; %s", r.fxHint("USD"))
	}
	return decimal.Decimal{}, false
}

func (r *reader) pricesFrom(b *workbook.Book) {
	t := r.openIn(b, "Prices", false)
	if t == nil {
		return
	}
	defer t.close()
	for t.next() {
		i := t.col["element"]
		sym, err := reference.LookupElement(t.text("element"))
		if err != nil {
			t.cellErr(i, err)
			continue
		}
		cn, ok := t.amount("price_usd_per_kg")
		if !ok {
			if t.text("price_usd_per_kg") == "" {
				t.bad("price_usd_per_kg", ErrMissingValue, "price is empty")
			}
			continue
		}
		ex, _ := t.amount("exchina_usd_per_kg")
		r.prices[sym] = exposure.Price{Element: sym, China: cn, ExChina: ex, USDChina: cn, USDExChina: ex,
			AsOf: t.text("as_of"), Source: t.text("source")}
	}
	r.readErr(t)
}

// readMaterials reads the embedded compositions, then the input's.
func (r *reader) readMaterials() error {
	r.materials = reference.Materials()
	r.materialByKey = map[string]string{}
	for code := range r.materials {
		r.materialByKey[schema.NormalizeKey(code)] = code
	}
	if !r.libraryOnly {
		r.materialsFrom(r.openIn(r.book, "Materials", true))
	}
	rate, ok := r.usdRate()
	if !ok {
		return nil
	}
	for code, m := range r.materials {
		if !m.USDPerKg.IsZero() {
			m.PricePerKg = m.USDPerKg.Mul(rate)
			r.materials[code] = m
		}
	}
	return nil
}

// materialsFrom reads the rows of a Materials table, each a whole
// composition with its optional price in USD (converted by readMaterials).
func (r *reader) materialsFrom(t *table) {
	if t == nil {
		return
	}
	defer t.close()
	_, ownPriceSource := t.col["price_source"]
	for t.next() {
		code := strings.ToUpper(t.text("material"))
		if code == "" {
			t.bad("material", ErrMissingValue, "material code is empty")
			continue
		}
		m := exposure.Material{Code: code, Description: t.text("description"), Family: schema.NormalizeKey(t.text("family")),
			WtPct: map[string]decimal.Decimal{}, Source: t.text("source"), PriceAsOf: t.text("as_of"), PriceSource: t.text("price_source")}
		if p, ok := t.amount("price_usd_per_kg"); ok {
			m.USDPerKg, m.PricePerKg = p, p
			if !ownPriceSource {
				m.PriceSource = m.Source
			}
		}
		total, first := decimal.Zero, -1
		for _, sym := range sortedKeys(t.elemPct) {
			i := t.elemPct[sym]
			if pct, ok := t.percentAt(i); ok {
				if pct.Sign() < 0 || pct.GreaterThan(hundred) {
					t.cellErr(i, fmt.Errorf("%w: wt%% must be between 0 and 100", ErrOutOfRange))
					continue
				}
				if pct.Sign() > 0 {
					m.WtPct[sym] = pct
					total = total.Add(pct)
					if first < 0 || i < first {
						first = i
					}
				}
			}
		}
		// A row states a whole composition: no element gives way.
		if total.GreaterThan(maxComposition) {
			r.ps.errorIs(ErrOutOfRange, t.sheet, t.ref(first), "composition of %s adds up to %s wt%%, more than 100: a Materials row states the whole composition", code, total)
			continue
		}
		r.materials[code] = m
		r.materialByKey[schema.NormalizeKey(code)] = code
	}
	r.readErr(t)
}

// suggestMaterial returns " (did you mean X?)" for the nearest known code.
func (r *reader) suggestMaterial(code string) string {
	best, bestD := "", 1<<30
	key := schema.NormalizeKey(code)
	for k, c := range r.materialByKey {
		if d := editDistance(key, k); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" || bestD > len(key)/2+1 {
		return " (add it to a Materials sheet)"
	}
	return fmt.Sprintf(" (did you mean %s? or add it to a Materials sheet)", best)
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// SampleFS returns the embedded sample input's files (for hashing).
func SampleFS() fs.FS {
	sub, err := fs.Sub(sampleFS, "data/sample")
	if err != nil {
		return sampleFS
	}
	return sub
}
