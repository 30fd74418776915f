// Package inputs turns a user's input into the domain's values: it maps
// the rows of a workbook.Book (an .xlsx workbook or CSV files, read by
// package workbook) to an exposure.Input — products, BOM lines, sources,
// scenarios, prices, materials, alternatives, signals and settings — and
// checks every value on the way (SPEC section 2). The sheets and columns
// it reads, and the words it accepts, are package schema's; the embedded
// reference data is package reference's; suppliers' declarations are
// parsed by package declaration.
//
// Every problem is collected with its place (BOM!F12) and listed in one
// run, errors and warnings apart, up to MaxProblems (SPEC section 11):
// Read returns an *InputError when any is an error, and the Loaded input
// with its warnings otherwise. Programs match a problem by its Err, a
// *CellError (sheet, row, column, field) whose cause wraps a sentinel:
// errors.Is(err, ErrInvalidNumber), not words. Warnings that change the figures (a column
// not understood, no rare-earth content, stale data, ...) are marked so
// that the report's Summary repeats them: nothing is ignored silently.
//
// Where things are:
//
//   - open.go: Open, the one place that tells what an input file is (by
//     its bytes, then its name), for an upload and for the command line's
//     OpenPath; fields.go: OptionsFrom, the flags or form fields beside
//     the input as Options;
//   - read.go: Read, Options, Loaded, ReadLibrary, and the order the
//     sheets are read in;
//   - a sheet as a table: table.go (opening a sheet and walking its rows),
//     headers.go (which header means which column: names, aliases, --map,
//     ERP exports, element columns; a missing required column),
//     cells.go (the current row's cells typed by column, each bad cell a
//     CellError), longtext.go (texts longer than a cell holds);
//   - cell text to values: values.go (ParseAmount, ParsePercent,
//     ParseFraction, ParseRange, ParseYesNo), numbers.go (the number
//     grammar: signs, brackets, thousands, decimal commas),
//     currencytext.go (a currency beside an amount), dates.go (ParseMonth,
//     days, timestamps, date serials);
//   - the sheets of SPEC section 2: bom.go (Products, BOM lines),
//     composition.go (element content, the balance element), bomtree.go
//     (parents, levels, cycles), sourcing.go (Sourcing) with limits.go (the
//     exploded-quantity and date-cell guards) and linememory.go (what a
//     line keeps in memory: texts and amounts once; measures.go the same
//     for quantities, masses and contents); reference.go (the embedded
//     prices and materials with the input's Prices and Materials sheets
//     over them, the built-in library, the demo's sample, data/sample via
//     embed.go); fx.go (FX); settings.go (Settings and the report flags
//     over it), checksettings.go (flag values checked before any input);
//     scenarios.go (Scenarios, Controls, Tariffs: section 4);
//     signals.go (Signals, SignalRules: section 6); alternatives.go
//     (Alternatives: section 8); declarations_bom.go (suppliers'
//     declarations matched to BOM lines);
//   - problems (SPEC section 11): problems.go (Problem, InputError and the
//     capped list), errors.go (CellError, placed as csv.ParseError places
//     a field, and the sentinels its causes wrap); the warnings of
//     "Nothing ignored silently", listed in silent.go: unknowncolumns.go
//     with nearheaders.go (unrecognised headers and the nearest known
//     one), costwatch.go (costs read in an assumed currency),
//     examples.go (the template's example rows), figurewarnings.go (no
//     content, no country, HS codes, unknown origins, past tariffs) and
//     dataage.go (stale data and decided scenarios: section 4, "Data
//     age"); lists.go joins names for their messages.
package inputs
