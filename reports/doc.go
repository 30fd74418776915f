// Package reports writes what rexpo computed: the report workbook and its
// JSON twin (SPEC sections 9 and 10), the empty input template, and the
// scenario library in three formats. It never opens files: every writer
// takes an io.Writer, and cmd/rexpo decides where the bytes go.
//
// # Numbers
//
// The exposure package computes in exact decimals. The workbook is read by
// buyers who sum and filter columns, so every figure is written as a
// numeric cell, rounded at the cell boundary and only there:
//
//   - money to 2 places, shown as #,##0.00 with negatives in brackets and
//     the currency code in the column header; unit costs and per-unit
//     changes of single parts to 4 places (a screw costs fractions of a cent);
//   - masses to 6 places of kg (or g for per-unit element content), shown
//     with 3 decimals;
//   - shares and probabilities as fractions to 4 places, shown as 0.0%;
//   - quantities to 6 places, shown without decimals when whole.
//
// The JSON keeps more: money, masses, quantities and fractions are decimal
// strings of the exact value rounded to 6 decimal places
// (decimal.Decimal.Round(6).String(), so "10.5", not "10.500000"). Field
// names are a contract and stay stable.
//
// # Text
//
// Text from the input (descriptions, part numbers, scenario names) is
// always written as a string cell, never as a formula, so "=SUM(A1)" stays
// the text "=SUM(A1)". A text longer than the 32,767 characters a cell
// holds is cut, ends in "…", and the cut is listed on the Warnings sheet.
//
// # Large BOMs
//
// Every sheet has a frozen header row, a filter on its header (sheets with
// several blocks make each block an Excel table, which carries its own
// filter), units in its headers, a dimension (openpyxl's read-only mode
// trusts it), and prints landscape, one page wide.
//
// The Parts sheet is streamed in two passes over exposure.Result.Parts:
// the first counts rows and measures columns (a streamed sheet's
// dimension, widths and panes must be known before its first row, and
// its cells' styles and heights depend on them), the second writes.
// excelize's StreamWriter writes the sheet's start, header row and end;
// the rows are formatted straight into a buffer, byte for byte as the
// stream writer would write them (sheetRows), deflated in chunks on every
// core as they come (sheetBody), and put between the two when the zip is
// written (stableZip). Beyond 1,048,575 lines the sheet continues on
// "Parts (2)", "Parts (3)", ...
//
// # Files
//
// The report workbook: workbook.go puts the sheets in order; book.go
// wraps the excelize file (cells, widths), with booktable.go (tables,
// blocks) and bookprint.go (print setup), and
// sheetwriter.go writes a sheet through it keeping the first error, so
// that each sheet function reads as its layout. One file per sheet or
// group of sheets: summary.go and summary_notices.go (Summary), sheets.go
// (Scenarios, Projection, Warnings) with uncertainty.go (percentiles,
// tornado, band, phases), parts.go (the writing pass) with
// partsexact.go (its deltas from dec128), partsscan.go (the first pass),
// topparts.go and partranks.go (the parts the Summary lists),
// sheetxml.go, cellnum.go, sheetbody.go and declarations.go (Parts),
// elements.go, countries.go, recommendations.go with planchart.go,
// signals.go, assumptions.go. The plan in words: planwords.go (mixes,
// caps), planhhi.go (concentration), planparagraph.go (the Summary's
// paragraph, PlanLines). The JSON: json.go, jsonparts.go (the
// streamed parts pass) and planjson.go. Formats and
// colours: style.go, colours.go; the zip: zipwriter.go. The template:
// template.go, template_examples.go; the scenario library: library.go.
//
// The figures are exposure's: the probability-weighted ones, totals and
// outlooks come computed (exposure.Result.Weigh, Plan.Tally), and the
// sheets only lay them out.
package reports
