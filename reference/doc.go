// Package reference is rexpo's embedded reference data, as CSV files under
// data/ that a reviewer can diff, each row with its source: the chemical
// elements and the CAS numbers of the 17 rare earths (elements.csv,
// periodic.csv), the countries with the names people write for them
// (countries.csv), the element groups of the export-control
// announcements (groups.csv), the material compositions with their
// prices (materials.csv), the element prices (prices.csv) and the world
// shares of each supply-chain stage by country (stage_shares.csv) — SPEC
// sections 2 and 3 and the reference document's tables. The built-in
// scenario library (scenarios.csv, controls.csv, tariffs.csv), the default
// alternative sources and the signal rules live here too, but are read by
// the inputs package as a book of sheets (Files), exactly as a user's.
//
// One loader, Load, parses and checks every table the first time it is
// needed and returns its error; the lookups (LookupCountry,
// LookupElement) wrap ErrUnknownCountry and ErrUnknownElement and suggest
// the nearest match. Where things are: load.go (Load, Files), csv.go (a
// reference CSV file's rows by column name), elements.go,
// countries.go (and index.go, the name index both share), groups.go
// (Groups, ElementsText), materials.go (materials, prices, stage shares).
// The package does no other I/O and imports no reader.
package reference
