// Package schema is the input workbook's contract (SPEC section 2): its
// sheets and their columns, each column's aliases, kind and template note
// (layout.go); the words a word column or setting accepts, beside the
// drop-down lists that offer them (words.go); the Settings keys
// (settings.go); NormalizeKey (layout.go), the one rule by which sheet names,
// headers, keys and words are matched; and Quote and Trim (text.go), how
// a cell's text is cut for a message and trimmed of every kind of space.
//
// The inputs package reads by it, `rexpo template` (package reports)
// writes the empty workbook from it, and the scenario library is written
// back in its columns, so the three cannot drift apart. It holds no data
// and does no I/O; its words are the domain's own names (exposure's
// String methods), so a word is spelt once.
package schema
