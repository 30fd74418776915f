package inputs

import (
	"context"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rexpo/declaration"
	"rexpo/exposure"
	"rexpo/reference"
	"rexpo/schema"
	"rexpo/workbook"
)

// Options are what the command line adds to an input.
type Options struct {
	// Settings from flags, by Settings key (currency, horizon, ...). A flag
	// wins over the Settings sheet.
	Settings map[string]string
	// Mapping maps our column names to an export's headers (--map).
	Mapping map[string]string
	// Scenarios, when set, is a workbook whose Scenarios, Controls and
	// Tariffs sheets replace the built-in library (--scenarios).
	Scenarios *workbook.Book
	// Only keeps these scenario ids (--only).
	Only []string
	// Now is the default as-of time.
	Now time.Time
	// Progress, when set, is called every ProgressEvery BOM rows with the
	// count so far, so that long reads can show progress.
	Progress func(rows int)
	// DecimalComma says numbers written as text use ',' for decimals and
	// '.' for thousands (1.234,5), as Excel writes CSV in much of Europe
	// (--decimal-comma). Numeric cells of a workbook are not affected.
	DecimalComma bool
	// Declarations are suppliers' material declarations already read
	// (ReadDeclarations); a declarations setting adds the files it names.
	Declarations []declaration.File
	// Context, when set, stops reading with its error once it is done
	// (Ctrl-C, a request's deadline); the book's own context, from
	// OpenPath, does so too.
	Context context.Context
}

// ProgressEvery is how many BOM rows pass between Progress calls.
const ProgressEvery = 50000

// Loaded is an input read and checked, ready for exposure.Compute.
type Loaded struct {
	Input          exposure.Input
	Problems       []Problem // warnings only when Read returns no error
	ScenarioSource string    // where the scenarios came from
	SignalsNote    string
}

// reader carries the state of one Read.
type reader struct {
	book    *workbook.Book
	opts    Options
	ps      problems
	csvOnly bool // a single CSV file: products come from the BOM
	// libraryOnly reads embedded reference data alone (ReadLibrary,
	// MaterialCodes): book is the reference itself, not a user's input.
	libraryOnly bool

	settings      exposure.Settings
	volume        decimal.Decimal
	fx            map[string]decimal.Decimal
	missingFX     map[string]bool
	noProducts    *missingProducts  // the Products sheet is missing or unreadable
	fxAt          map[string]string // currency → the FX sheet cell of its rate
	fxSet         []fxRate          // the fx setting's rates (fx.go)
	fxPlace       [2]string         // the fx setting's sheet and cell ("", "--fx" for the flag)
	prices        map[string]exposure.Price
	materials     map[string]exposure.Material
	materialByKey map[string]string
	groups        map[string][]string
	named         map[string]bool // elements named by any Controls row
	scenarios     []exposure.Scenario
	scenarioSrc   string
	bom           exposure.BOM
	bomSheet      string // the BOM sheet's name as the input spells it
	alternatives  []exposure.Alternative
	fatal         error

	signals     []exposure.Signal
	signalRules []exposure.SignalRule
	signalSet   string // which SignalRules were used

	declSetting settingValue // the declarations setting, if any
	declPlace   [2]string    // its sheet and cell, for problems

	silent silentState // what the warnings of silent.go need
}

// Read reads an input book: settings, reference data overrides, scenarios
// and the BOM. Every problem is collected; when any is an error, Read
// returns an *InputError listing them all.
func Read(b *workbook.Book, opts Options) (*Loaded, error) {
	if _, err := reference.Load(); err != nil {
		return nil, err
	}
	r := &reader{book: b, opts: opts, fx: map[string]decimal.Decimal{}, named: map[string]bool{}, missingFX: map[string]bool{}}
	if opts.Now.IsZero() {
		r.opts.Now = time.Now()
	}
	if opts.Context != nil {
		b.SetContext(opts.Context)
	}
	r.csvOnly = r.find("Products") == "" && r.find("BOM") != "" && len(b.Sheets()) == 1
	r.checkMapping()
	if err := r.readAll(); err != nil {
		return nil, err
	}
	list := r.ps.finish()
	if r.ps.errs > 0 {
		return nil, &InputError{Problems: list}
	}
	return &Loaded{
		Input: exposure.Input{
			BOM:         r.bom,
			Scenarios:   r.scenarios,
			Prices:      r.prices,
			Materials:   r.materials,
			StageShares: reference.StageShares(),
			Settings:    r.settings,

			// The input's rows, then the embedded default centres.
			Alternatives: r.alternatives,

			Signals:       r.signals,
			SignalRules:   r.signalRules,
			SignalRuleSet: r.signalSet,
		},
		Problems:       list,
		ScenarioSource: r.scenarioSrc,
		SignalsNote:    r.signalSet,
	}, nil
}

// readAll reads the sheets in dependency order. It returns an error only
// for a file that cannot be read at all; problems go to r.ps.
func (r *reader) readAll() error {
	steps := []func() error{
		r.readSettings,
		r.readFX,
		r.readPrices,
		r.readMaterials,
		r.readScenarios,
		r.readSignals,
		func() error { r.readProductsOrDerive(); return nil },
		func() error { r.readBOM(); r.reportMissingProducts(); return nil },
		r.readDeclarations,
		func() error { r.readSourcing(); return nil },
		r.readAlternatives,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
		if r.fatal != nil {
			return r.fatal
		}
		if err := r.book.Err(); err != nil {
			return err
		}
	}
	r.warnFigures()
	if len(r.bom.Lines) == 0 && r.ps.errs == 0 {
		r.ps.errorIs(ErrMissingValue, "BOM", "", "the BOM has no lines")
	}
	return nil
}

// checkMapping reports --map entries that name none of our columns.
func (r *reader) checkMapping() {
	known := map[string]bool{}
	for i := range schema.Layouts {
		for k := range columnKeys(&schema.Layouts[i], nil) {
			known[k] = true
		}
	}
	known[schema.NormalizeKey(schema.DeclarationPartKey)] = true
	for _, ours := range sortedKeys(r.opts.Mapping) {
		if !known[schema.NormalizeKey(ours)] {
			r.ps.errorIs(ErrUnknownName, "", "--map", "%q is not one of our columns (e.g. part_number, qty_per, unit_cost)", ours)
		}
	}
}

// find returns the book's sheet whose normalised name matches name.
func (r *reader) find(name string) string {
	return findSheet(r.book, name)
}

// findSheet returns b's sheet whose normalised name matches name; none
// for a nil b, the book of settings given as flags (CheckSettings).
func findSheet(b *workbook.Book, name string) string {
	if b == nil {
		return ""
	}
	key := schema.NormalizeKey(name)
	for _, s := range b.Sheets() {
		if schema.NormalizeKey(s) == key {
			return s
		}
	}
	return ""
}

// open opens a sheet of the input by its layout name; nil when the sheet
// is absent (an error when required) or its header is bad (recorded).
func (r *reader) open(name string, withElements bool) *table {
	return r.openIn(r.book, name, withElements)
}

func (r *reader) openIn(b *workbook.Book, name string, withElements bool) *table {
	l, _ := schema.LayoutOf(name)
	sheet := findSheet(b, name)
	if sheet == "" {
		if l.Required && b == r.book {
			r.ps.errorIs(ErrMissingSheet, "", "", "%s has no %s sheet (sheets found: %s)", b.Name(), name, quoteList(b.Sheets()))
		}
		return nil
	}
	t, err := openTable(b, sheet, l, r.opts.Mapping, withElements, &r.ps)
	if err != nil {
		r.fail(err)
		return nil
	}
	if t != nil {
		// The user's files only: the embedded reference data write '.'.
		t.decimalComma = r.opts.DecimalComma && (b == r.book || b == r.opts.Scenarios)
		if b == r.book || b == r.opts.Scenarios {
			r.checkColumns(t, l)
		}
	}
	return t
}

// readErr records an error met while streaming a table's rows: a damaged
// file stops everything.
func (r *reader) readErr(t *table) {
	if err := t.err(); err != nil {
		r.fail(err)
	}
}

// fail records a fatal read error: the file itself is broken.
func (r *reader) fail(err error) {
	if r.fatal == nil {
		r.fatal = err
	}
}

// convert turns an amount in currency into the report currency.
func (r *reader) convert(t *table, col string, v decimal.Decimal, currency string) decimal.Decimal {
	if currency == "" || currency == r.settings.Currency || v.IsZero() {
		return v
	}
	rate, ok := r.fx[currency]
	if !ok {
		if !r.missingFX[currency] { // once per currency: one fix mends every cell
			r.missingFX[currency] = true
			t.bad(col, ErrMissingRate, "no FX rate for %s: %s; other %s cells are not listed", currency, r.fxHint(currency), currency)
		} else {
			r.ps.errs++
		}
		return v
	}
	return compact(v.Mul(rate)) // the lines keep it (measures.go)
}

// readFX reads exchange rates into the report currency.
func (r *reader) readFX() error {
	r.fx[r.settings.Currency] = decimal.NewFromInt(1)
	r.fxAt = map[string]string{}
	defer r.applyFXSetting() // the fx setting wins over the sheet
	t := r.open("FX", false)
	if t == nil {
		return nil
	}
	defer t.close()
	for t.next() {
		cur := strings.ToUpper(t.text("currency"))
		if cur == "" {
			t.bad("currency", ErrMissingValue, "currency is empty")
			continue
		}
		rate, ok := t.amount("rate")
		if !ok || rate.IsZero() {
			if ok || t.text("rate") == "" {
				t.bad("rate", ErrOutOfRange, "rate must be a number above 0")
			}
			continue
		}
		if cur == r.settings.Currency && !rate.Equal(decimal.NewFromInt(1)) {
			t.bad("rate", ErrOutOfRange, "%s is the report currency: its rate must be 1", cur)
			continue
		}
		r.fx[cur] = rate
		r.fxAt[cur] = t.sheet + "!" + t.refOf("rate")
	}
	r.readErr(t)
	return nil
}

// readProductsOrDerive reads Products, or for a lone CSV file starts with
// no products and lets the BOM's product column create them.
func (r *reader) readProductsOrDerive() {
	if !r.csvOnly {
		r.readProducts()
		return
	}
	if r.volume.IsZero() {
		r.volume = decimal.NewFromInt(1)
		r.ps.warnf("", "", "a CSV BOM has no Products sheet: annual volume 1 per product assumed (set it with --volume N)")
	}
	sheet := r.find("BOM")
	if t := r.probeColumns(sheet); t != nil && !t["product"] {
		r.addProduct("BOM")
	}
}

// probeColumns returns which canonical columns a sheet has, or nil.
func (r *reader) probeColumns(sheet string) map[string]bool {
	l, _ := schema.LayoutOf("BOM")
	var scratch problems
	t, err := openTable(r.book, sheet, l, r.opts.Mapping, false, &scratch)
	if err != nil || t == nil {
		return nil
	}
	defer t.close()
	out := map[string]bool{}
	for k := range t.col {
		out[k] = true
	}
	return out
}

func (r *reader) addProduct(id string) {
	r.bom.Products = append(r.bom.Products, exposure.Product{ID: id, Name: id, AnnualVolume: r.volume})
}

// ReadLibrary reads a scenario library alone: the built-in one when src
// is nil, else src's Scenarios, Controls and Tariffs sheets.
func ReadLibrary(src *workbook.Book) ([]exposure.Scenario, string, error) {
	if _, err := reference.Load(); err != nil {
		return nil, "", err
	}
	ref, err := Reference()
	if err != nil {
		return nil, "", err
	}
	r := &reader{book: ref, opts: Options{Scenarios: src, Now: time.Now()}, fx: map[string]decimal.Decimal{}, named: map[string]bool{}, libraryOnly: true}
	r.parseSettings(nil)
	for _, step := range []func() error{r.readMaterials, r.readScenarios} {
		if err := step(); err != nil {
			return nil, "", err
		}
	}
	if r.fatal != nil {
		return nil, "", r.fatal
	}
	if r.ps.errs > 0 {
		return nil, "", &InputError{Problems: r.ps.finish()}
	}
	return r.scenarios, r.scenarioSrc, nil
}
