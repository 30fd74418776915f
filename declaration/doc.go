// Package declaration reads suppliers' material declarations (README
// "Suppliers' material declarations"; they fill the rare-earth content of
// SPEC section 2's BOM lines): IPC-1752A (Class C and Class D, any
// namespace version) and IEC 62474 XML files list, for each product, its
// homogeneous materials and the substances in them with CAS numbers and
// masses. Parse turns one file into the grams of each rare earth in one
// unit of each declared product; Read does a file or a folder.
//
// The files are read by local element name (prefixes and namespaces are
// ignored), streaming, with a decoder that refuses DTDs and entities: a
// declaration can neither expand into an XML bomb nor make rexpo open
// another file or URL. A broken file yields Problems, never an error or a
// panic. A Problem has its own position, a file, an element path and a
// line, not a sheet and a cell: the inputs package lists it beside the
// workbook's problems and matches products to BOM lines.
//
// Where things are: declaration.go (File, Product, Problem, Parse, and
// Read, which lists a folder's files and parses them in parallel),
// parser.go (the element-by-element reading), resolve.go (masses and
// shares into grams, and the checks of totals), species.go (the rare-earth
// CAS numbers and the oxides counted by element), encoding.go (UTF-16,
// Latin-1 and byte-order marks).
package declaration
