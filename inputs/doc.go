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
//   - table.go: a sheet as a table of named columns (headers found below a
//     title block, aliases, --map, ERP exports) and its typed cells;
//   - values.go: cell text to numbers, percentages, ranges, months and
//     yes/no (ParseAmount, ParsePercent, ParseMonth, ...) and the causes
//     they wrap (ErrInvalidNumber, ErrAmbiguousNumber, ...);
//   - bom.go: Products, BOM (the tree, element content, balance element)
//     and Sourcing; limits.go: the exploded-quantity and date-cell guards;
//   - scenarios.go: Scenarios, Controls, Tariffs (SPEC section 4);
//     alternatives.go: Alternatives (section 8); signals.go: Signals and
//     SignalRules (section 6); settings.go, fx.go and checksettings.go:
//     Settings, FX and the report flags;
//   - reference.go: the embedded prices and materials with the input's
//     Prices and Materials sheets over them, the built-in library and the
//     demo's sample (data/sample);
//   - declarations_bom.go: suppliers' declarations matched to BOM lines;
//   - silent.go: the warnings of SPEC section 11, "Nothing ignored
//     silently"; problems.go: Problem, InputError and the capped list;
//     errors.go: CellError (a problem placed as csv.ParseError places a
//     field) and the sentinels its causes wrap.
package inputs
