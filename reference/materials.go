package reference

import (
	"io/fs"
	"maps"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/schema"
)

// The embedded tables of figures: material compositions with their prices,
// element prices, and the world shares of each stage by country. Prices
// are in USD; the inputs package converts them to the report currency.
const (
	materialsFile   = "data/materials.csv"
	pricesFile      = "data/prices.csv"
	stageSharesFile = "data/stage_shares.csv"
)

var hundred = decimal.NewFromInt(100)

// materialColumns are the columns of materials.csv that are not elements:
// every other header is a chemical symbol, the element's wt%.
var materialColumns = map[string]bool{}

func init() {
	for _, c := range []string{"material", "description", "family", "source", "price_usd_per_kg", "as_of", "price_as_of", "price_source"} {
		materialColumns[schema.NormalizeKey(c)] = true
	}
}

// figure parses a figure of an embedded file: a plain decimal number,
// "" being absent.
func figure(r row, col string) (d decimal.Decimal, ok bool, err error) {
	v := r.get(col)
	if v == "" {
		return d, false, nil
	}
	d, err = decimal.NewFromString(v)
	if err != nil {
		return d, false, r.errorf("%s %q is not a number", col, v)
	}
	return d, true, nil
}

// loadMaterials reads data/materials.csv: each row a whole composition in
// wt% (between 0 and 100, at most 100 in all), with the price of one kg of
// the material in USD when known. The composition's source is the source
// column; the price has price_as_of and price_source of its own.
func loadMaterials(fsys fs.FS, elements *elementTable) (map[string]exposure.Material, error) {
	header, rows, err := readTable(fsys, materialsFile, "material", "description", "family", "source", "price_usd_per_kg", "price_as_of", "price_source")
	if err != nil {
		return nil, err
	}
	var syms []string // the element columns, by header
	for _, h := range header {
		if materialColumns[schema.NormalizeKey(h)] {
			continue
		}
		sym := elements.symbol(h)
		if sym == "" || sym != strings.TrimSpace(h) {
			return nil, rowError(materialsFile, 1, "column %q is neither a known column nor a chemical symbol", h)
		}
		syms = append(syms, sym)
	}
	out := map[string]exposure.Material{}
	for _, r := range rows {
		m, err := material(r, syms)
		if err != nil {
			return nil, err
		}
		if _, dup := out[m.Code]; dup {
			return nil, r.errorf("material %s appears twice", m.Code)
		}
		out[m.Code] = m
	}
	return out, nil
}

// material reads one row of materials.csv.
func material(r row, syms []string) (exposure.Material, error) {
	code := strings.ToUpper(r.get("material"))
	if code == "" {
		return exposure.Material{}, r.errorf("material code is empty")
	}
	m := exposure.Material{Code: code, Description: r.get("description"), Family: schema.NormalizeKey(r.get("family")),
		WtPct: map[string]decimal.Decimal{}, Source: r.get("source"), PriceAsOf: r.get("price_as_of"), PriceSource: r.get("price_source")}
	p, ok, err := figure(r, "price_usd_per_kg")
	if err != nil {
		return m, err
	}
	if ok {
		m.USDPerKg, m.PricePerKg = p, p
	}
	total := decimal.Zero
	for _, sym := range syms {
		pct, ok, err := figure(r, sym)
		switch {
		case err != nil:
			return m, err
		case !ok:
			continue
		case pct.Sign() < 0 || pct.GreaterThan(hundred):
			return m, r.errorf("%s: %s wt%% is not between 0 and 100", code, sym)
		case pct.Sign() > 0:
			m.WtPct[sym] = pct
			total = total.Add(pct)
		}
	}
	if total.GreaterThan(hundred) {
		return m, r.errorf("composition of %s adds up to %s wt%%, more than 100", code, total)
	}
	return m, nil
}

// loadPrices reads data/prices.csv: per element, the China-origin price and
// the ex-China price (empty: none) in USD per kg of metal.
func loadPrices(fsys fs.FS, elements *elementTable) (map[string]exposure.Price, error) {
	rows, err := readCSV(fsys, pricesFile, "element", "price_usd_per_kg", "exchina_usd_per_kg", "as_of", "source")
	if err != nil {
		return nil, err
	}
	out := map[string]exposure.Price{}
	for _, r := range rows {
		sym, err := elements.lookup(r.get("element"))
		if err != nil {
			return nil, r.errorf("%v", err)
		}
		cn, ok, err := figure(r, "price_usd_per_kg")
		if err != nil || !ok {
			return nil, r.errorf("%s: the China price is missing or not a number", sym)
		}
		ex, _, err := figure(r, "exchina_usd_per_kg")
		if err != nil {
			return nil, err
		}
		if _, dup := out[sym]; dup {
			return nil, r.errorf("%s is priced twice", sym)
		}
		out[sym] = exposure.Price{Element: sym, China: cn, ExChina: ex, USDChina: cn, USDExChina: ex, AsOf: r.get("as_of"), Source: r.get("source")}
	}
	return out, nil
}

// stageNames are the stages of stage_shares.csv, by NormalizeKey; the heavy
// rare earths' separation is "hre_separation".
var stageNames = map[string]exposure.Stage{"mine": exposure.StageMine, "separation": exposure.StageSeparation, "metal": exposure.StageMetal,
	"component": exposure.StageComponent, "hreseparation": exposure.StageHRESeparation}

// loadStageShares reads data/stage_shares.csv: for a stage, a family of
// materials (empty: all) and a country, its share of world output in
// percent, returned as a fraction.
func loadStageShares(fsys fs.FS) ([]exposure.StageShare, error) {
	rows, err := readCSV(fsys, stageSharesFile, "stage", "family", "country", "share_pct", "source", "as_of")
	if err != nil {
		return nil, err
	}
	var out []exposure.StageShare
	for _, r := range rows {
		g, ok := stageNames[schema.NormalizeKey(r.get("stage"))]
		if !ok {
			return nil, r.errorf("unknown stage %q", r.get("stage"))
		}
		share, ok, err := figure(r, "share_pct")
		if err != nil || !ok {
			return nil, r.errorf("share_pct %q is not a number", r.get("share_pct"))
		}
		c := strings.ToUpper(r.get("country"))
		if c == "" {
			return nil, r.errorf("no country")
		}
		out = append(out, exposure.StageShare{Stage: g, Family: schema.NormalizeKey(r.get("family")), Country: c,
			Share: share.Div(hundred), Source: r.get("source"), AsOf: r.get("as_of")})
	}
	return out, nil
}

// Materials returns the embedded materials by code, with their prices in
// USD (PricePerKg is USDPerKg); nil when Load fails. The map and each
// composition are the caller's.
func Materials() map[string]exposure.Material {
	d, err := Load()
	if err != nil {
		return nil
	}
	out := make(map[string]exposure.Material, len(d.materials))
	for code, m := range d.materials {
		m.WtPct = maps.Clone(m.WtPct)
		out[code] = m
	}
	return out
}

// MaterialCodes returns the embedded material codes, sorted.
func MaterialCodes() []string {
	d, err := Load()
	if err != nil {
		return nil
	}
	return slices.Sorted(maps.Keys(d.materials))
}

// Prices returns the embedded element prices in USD by symbol; nil when
// Load fails. The map is the caller's.
func Prices() map[string]exposure.Price {
	d, err := Load()
	if err != nil {
		return nil
	}
	return maps.Clone(d.prices)
}

// StageShares returns the embedded world stage shares; nil when Load
// fails. The slice is shared: do not change it.
func StageShares() []exposure.StageShare {
	d, err := Load()
	if err != nil {
		return nil
	}
	return d.stageShares
}
