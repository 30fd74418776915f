// Package genbom generates synthetic bills of materials for benchmarks and
// tests: a workbook written the way Excel saves one (every text in the
// shared-string table, empty cells left out, number formats in styles.xml),
// or the same BOM as CSV.
//
// The workbook is written streamingly and never held in memory, so that a
// full sheet (1,048,575 lines) can be generated: the shared-string table is
// a fixed vocabulary followed by one part number per line, so each string's
// index is known without collecting the strings first.
//
// The same lines and seed always give the same BOM.
//
// Where things are: genbom.go (the generator: products, the BOM tree and
// each line's cells, the shared vocabulary), xlsx.go (WriteXLSX, one
// writer with a method per part of the zip), csv.go (WriteCSV),
// products.go (ProductsCSV, the Products sheet of the same BOM).
package genbom
